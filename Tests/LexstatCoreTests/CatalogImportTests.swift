import XCTest
@testable import LexstatCore

final class CatalogImportTests: XCTestCase {
    func testSeedsTheBundledCatalogOnce() throws {
        let path = StoreFixture.freshPath()
        let s = try StoreFixture.open(path)
        let n = s.indicators().count
        XCTAssertEqual(n, try IndicatorTSV.bundled().count)
        let detail = try s.indicator(code: "litig.loss_rate")
        XCTAssertEqual(detail.areaName, "行政应诉")
        XCTAssertEqual(detail.history.map(\.field), ["created"])
        s.close()
        XCTAssertEqual(try StoreFixture.open(path).indicators().count, n)
    }

    func testImportAddsUpdatesAndKeepsHistory() throws {
        let s = try StoreFixture.open()
        let tsv = """
            code\tname\tarea\tunit\tpolarity\taggregate\taliases
            review.cases_received\t行政复议案件受理数\treview\t件\t0\tsum\t受理行政复议|复议案件
            literacy.survey_score\t公民法治素养测评得分\tpublicity\t分\t1\tnone\t素养得分
            litig.loss_rate\t行政诉讼败诉率\tlitig\t%\t-1\tnone\t败诉率
            """
        let result = try s.importIndicators(tsv: tsv, system: "公民法治素养评估指标体系", source: "literacy.tsv")
        XCTAssertEqual(result.added, 1)
        XCTAssertEqual(result.updated, 2)
        XCTAssertEqual(result.unchanged, 0)

        let review = try s.indicator(code: "review.cases_received")
        XCTAssertEqual(review.indicator.name, "行政复议案件受理数")
        let rename = try XCTUnwrap(review.history.first { $0.field == "name" })
        XCTAssertEqual(rename.oldValue, "行政复议受理案件数")
        XCTAssertEqual(rename.newValue, "行政复议案件受理数")
        XCTAssertEqual(rename.source, "literacy.tsv")
        XCTAssertTrue(review.history.contains { $0.field == "aliases" })

        let added = try s.indicator(code: "literacy.survey_score")
        XCTAssertEqual(added.indicator.system, "公民法治素养评估指标体系")
        XCTAssertEqual(added.history.map(\.field), ["created"])
        XCTAssertEqual(try s.indicators(area: nil, system: "公民法治素养评估指标体系").map(\.code), ["literacy.survey_score", "litig.loss_rate", "review.cases_received"])
        XCTAssertEqual(added.history.first?.newValue,
                       "name 公民法治素养测评得分; area publicity; unit 分; polarity higher; aggregation none; aliases 素养得分; system 公民法治素养评估指标体系")
        // The two it updated joined the second system and stayed in the first: bureaus keep several.
        XCTAssertEqual(review.indicator.systems, ["法治政府建设指标体系", "公民法治素养评估指标体系"])
        XCTAssertTrue(try s.indicators(area: nil, system: "法治政府建设指标体系").contains { $0.code == "review.cases_received" })
        let joined = try XCTUnwrap(review.history.first { $0.field == "system" })
        XCTAssertEqual(joined.oldValue, "法治政府建设指标体系")
        XCTAssertEqual(joined.newValue, "法治政府建设指标体系|公民法治素养评估指标体系")

        // Importing the same file again changes nothing.
        let again = try s.importIndicators(tsv: tsv, system: "公民法治素养评估指标体系", source: "literacy.tsv")
        XCTAssertEqual(again.unchanged, 3)
        XCTAssertTrue(again.changes.isEmpty)
    }

    func testFiltersByAreaCodeOrChineseName() throws {
        let s = try StoreFixture.open()
        let byCode = try s.indicators(area: "review")
        XCTAssertFalse(byCode.isEmpty)
        XCTAssertEqual(try s.indicators(area: "行政复议"), byCode)
        XCTAssertThrowsError(try s.indicators(area: "nosuch")) { e in
            let m = (e as? LexstatError)?.message ?? ""
            XCTAssertTrue(m.hasPrefix("area: \"nosuch\" is no function area of the catalog; areas are "), m)
            XCTAssertTrue(m.contains("review"), m)
        }
        XCTAssertThrowsError(try s.indicators(area: nil, system: "无此体系")) { e in
            XCTAssertTrue((e as? LexstatError)?.message.hasPrefix("system: \"无此体系\" is no indicator system") ?? false, "\(e)")
        }
        XCTAssertTrue(byCode.allSatisfy { $0.area == "review" })
    }

    func testUnknownIndicatorSuggests() throws {
        let s = try StoreFixture.open()
        XCTAssertThrowsError(try s.indicator(code: "litig.loss_rat")) { e in
            guard case .notFound(let m) = e as? LexstatError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("litig.loss_rate"), m)
        }
    }

    func testBadCatalogStoresNothing() throws {
        let s = try StoreFixture.open()
        let before = s.indicators()
        let tsv = "code\tname\tarea\tunit\tpolarity\taggregate\nnew.one\t新指标\tcoord\t件\t1\tsum\nbad.one\t坏指标\tcoord\t件\t7\tsum\n"
        XCTAssertThrowsError(try s.importIndicators(tsv: tsv, system: "", source: "bad.tsv"))
        XCTAssertEqual(s.indicators(), before)
    }
}

extension CatalogImportTests {
    func testAFileWithoutSystemKeepsTheExistingSystem() throws {
        let s = try StoreFixture.open()
        let tsv = "code\tname\tarea\tunit\tpolarity\taggregate\nlitig.loss_rate\t行政诉讼败诉率\tlitig\t%\t-1\tnone\n"
        let r = try s.importIndicators(tsv: tsv, system: "", source: "plain.tsv")
        XCTAssertEqual(r.updated, 1)
        XCTAssertEqual(r.changes.map(\.field), ["aliases"])
        XCTAssertEqual(try s.indicator(code: "litig.loss_rate").indicator.systems, ["法治政府建设指标体系"])
    }
}

extension CatalogImportTests {
    func testASystemColumnListsSeveralAndRepeatsCollapse() throws {
        let s = try StoreFixture.open()
        let tsv = "code\tname\tarea\tunit\tpolarity\taggregate\tsystem\nx.both\t两体系指标\tcoord\t件\t1\tsum\t调解力指数 | 试点体系|调解力指数\n"
        _ = try s.importIndicators(tsv: tsv, system: "", source: "both.tsv")
        XCTAssertEqual(try s.indicator(code: "x.both").indicator.systems, ["调解力指数", "试点体系"])
        XCTAssertEqual(try s.indicators(area: nil, system: "试点体系").map(\.code), ["x.both"])
        XCTAssertEqual(try s.indicators(area: nil, system: "调解力指数").map(\.code), ["x.both"])
    }
}
