import Foundation
import XCTest
@testable import LexstatCore

/// A whole report written for this test, checked figure by figure.
final class ExtractionEndToEndTests: XCTestCase {
    static let report = """
    首页 机构概况 政务公开 互动交流
    当前位置：首页 > 通知公告
    青山县司法局2023年工作总结和2024年工作安排
    2023年，青山县司法局紧扣中心大局，各项工作稳中有进。
    一、2023年工作成效
    （一）行政复议。全县受理行政复议案件96件，同比增长14.3%；复议纠错率6.2%，较上年下降1.5个百分点。
    （二）法律服务。全年办理法律援助案件1,208件，为群众挽回损失360余万元；全县现有执业律师近400人。
    （三）矛盾化解。化解矛盾纠纷3.6万件，调解成功率99.1%。
    （四）普法宣传。开展普法活动120余场，推行“1+3”宣讲机制，培训干部2000人次以上。
    二、存在的不足
    队伍专业化水平有待提升。
    三、2024年工作安排
    力争行政机关负责人出庭应诉率达到100%，开展普法活动不少于150场。
    返回顶部
    """

    struct Expected {
        let numberText: String
        let value: Double
        let unit: String
        let bound: Bound
        let kind: ObservationKind
        let period: Period
        let indicator: String?
    }

    static let expected: [Expected] = [
        Expected(numberText: "96件", value: 96, unit: "件", bound: .exact, kind: .actual, period: .year(2023), indicator: "review.cases_received"),
        Expected(numberText: "14.3%", value: 14.3, unit: "%", bound: .exact, kind: .change, period: .year(2023), indicator: "review.cases_received"),
        Expected(numberText: "6.2%", value: 6.2, unit: "%", bound: .exact, kind: .actual, period: .year(2023), indicator: "review.correction_rate"),
        Expected(numberText: "1.5个百分点", value: -1.5, unit: "pp", bound: .exact, kind: .change, period: .year(2023), indicator: "review.correction_rate"),
        Expected(numberText: "1,208件", value: 1208, unit: "件", bound: .exact, kind: .actual, period: .year(2023), indicator: "service.legal_aid_cases"),
        Expected(numberText: "360余万元", value: 3_600_000, unit: "元", bound: .atLeast, kind: .actual, period: .year(2023), indicator: "service.losses_recovered"),
        Expected(numberText: "近400人", value: 400, unit: "人", bound: .approx, kind: .actual, period: .year(2023), indicator: "service.lawyers"),
        Expected(numberText: "3.6万件", value: 36_000, unit: "件", bound: .exact, kind: .actual, period: .year(2023), indicator: "mediation.disputes_resolved"),
        Expected(numberText: "99.1%", value: 99.1, unit: "%", bound: .exact, kind: .actual, period: .year(2023), indicator: "mediation.success_rate"),
        Expected(numberText: "120余场", value: 120, unit: "场", bound: .atLeast, kind: .actual, period: .year(2023), indicator: "publicity.events"),
        Expected(numberText: "2000人次以上", value: 2000, unit: "人次", bound: .atLeast, kind: .actual, period: .year(2023), indicator: "team.trainees"),
        Expected(numberText: "100%", value: 100, unit: "%", bound: .exact, kind: .target, period: .year(2024), indicator: "litig.appearance_rate"),
        Expected(numberText: "不少于150场", value: 150, unit: "场", bound: .atLeast, kind: .target, period: .year(2024), indicator: "publicity.events"),
    ]

    func testExtractsEveryFigure() throws {
        let r = try TestCatalog.extractor.extract(data: Data(Self.report.utf8), name: "qingshan.txt", region: "青山县", year: nil)
        XCTAssertEqual(r.year, 2023)
        XCTAssertEqual(r.encoding, .utf8)
        XCTAssertEqual(r.mentions.count, Self.expected.count, r.mentions.map(\.numberText).joined(separator: " "))
        let u = Array(Self.report.unicodeScalars)
        for (m, e) in zip(r.mentions, Self.expected) {
            XCTAssertEqual(m.numberText, e.numberText)
            XCTAssertEqual(String(String.UnicodeScalarView(u[m.start..<m.end])), e.numberText, "span of \(e.numberText)")
            XCTAssertEqual(m.value, e.value, accuracy: 1e-9, e.numberText)
            XCTAssertEqual(m.unit, e.unit, e.numberText)
            XCTAssertEqual(m.bound, e.bound, e.numberText)
            XCTAssertEqual(m.kind, e.kind, e.numberText)
            XCTAssertEqual(m.period, e.period, e.numberText)
            XCTAssertEqual(m.indicator, e.indicator, e.numberText)
            XCTAssertEqual(m.region, "青山县")
            XCTAssertTrue(m.quote.contains(m.numberText), m.quote)
            if m.indicator != nil { XCTAssertGreaterThan(m.confidence, 0) }
        }
        XCTAssertEqual(r.mentions[1].changeOf, "受理行政复议案件")
        XCTAssertEqual(r.mentions[3].changeOf, "复议纠错率")
        XCTAssertEqual(r.sections.map(\.kind), [.results, .shortcomings, .plans])
    }

    func testJSONLinesFollowTheScorerFormat() throws {
        let r = TestCatalog.extractor.extract(text: Self.report, region: "青山县", year: 2023)
        let lines = r.jsonLines(doc: "qingshan").split(separator: "\n")
        XCTAssertEqual(lines.count, r.mentions.count)
        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(first["doc"] as? String, "qingshan")
        XCTAssertEqual(first["number_text"] as? String, "96件")
        XCTAssertEqual(first["value"] as? Int, 96)
        XCTAssertEqual(first["unit"] as? String, "件")
        XCTAssertEqual(first["bound"] as? String, "exact")
        XCTAssertEqual(first["kind"] as? String, "actual")
        XCTAssertEqual(first["period"] as? String, "2023")
        XCTAssertEqual(first["indicator"] as? String, "review.cases_received")
        XCTAssertEqual(first["change_of"] as? String, "")
        XCTAssertEqual(first["region"] as? String, "青山县")
        for key in ["start", "end", "quote", "subject"] { XCTAssertNotNil(first[key], key) }
        let fall = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[3].utf8)) as? [String: Any])
        XCTAssertEqual(fall["value"] as? Double, -1.5)
        XCTAssertEqual(fall["unit"] as? String, "pp")
    }

    func testMentionBecomesAnObservation() throws {
        let r = TestCatalog.extractor.extract(text: Self.report, region: "青山县", year: 2023)
        let o = try XCTUnwrap(r.mentions.first?.observation(reportID: 7))
        XCTAssertEqual(o.indicator, "review.cases_received")
        XCTAssertEqual(o.period, .year(2023))
        guard case .report(let id, let start, let end, let quote) = o.provenance else { return XCTFail("provenance") }
        XCTAssertEqual(id, 7)
        XCTAssertEqual(end - start, 3)
        XCTAssertTrue(quote.hasSuffix("96件"))
    }

    func testUnpunctuatedInputStaysFast() {
        // 30k code points without punctuation: must not go quadratic.
        let text = String(repeating: "办理案件3件", count: 5_000)
        let t0 = Date()
        let r = TestCatalog.extractor.extract(text: text, region: "", year: 2023)
        XCTAssertEqual(r.mentions.count, 5_000)
        XCTAssertLessThan(Date().timeIntervalSince(t0), 60) // a guard against quadratic time, not a benchmark
    }
    func testJSONLinesOfAFileNameTheDocument() throws {
        let out = try TestCatalog.extractor.jsonLines(data: Data("全年办理法律援助案件12件。".utf8), name: "in/abc_1.txt",
                                                      region: "", year: 2023)
        XCTAssertTrue(out.hasPrefix("{\"doc\": \"abc_1\", \"start\": 10, \"end\": 13,"), out)
        XCTAssertEqual(Extractor.documentName("x/y/002_z.txt"), "002_z")
    }
    func testStopsAtTheMentionCap() {
        let x = Extractor(indicators: [], maxMentions: 10)
        let r = x.extract(text: String(repeating: "办理案件3件，", count: 50), region: "", year: 2023)
        XCTAssertEqual(r.mentions.count, 10)
        XCTAssertTrue(r.notes.contains { $0.contains("stopped after 10") })
    }
}
