import XCTest
@testable import LexstatCore

final class ExtractionSectionParserTests: XCTestCase {
    static let text = """
    某区司法局2023年工作总结
    一、主要工作成效
    （一）公共法律服务。一是扩面。办理案件12件。二是提质。回访群众30人。
    (二)人民调解
    1.排查纠纷。化解纠纷40件。
    2、培训调解员。培训200人次。
    二、存在的问题
    基层力量薄弱。
    三、2024年工作思路
    （一）强化保障。力争新建站点5个以上。
    """

    func testBuildsTheTreeWithSpans() throws {
        let r = TestCatalog.extractor.extract(text: Self.text, region: "", year: 2023)
        XCTAssertEqual(r.sections.map(\.marker), [.chineseComma, .chineseComma, .chineseComma])
        XCTAssertEqual(r.sections.map(\.ordinal), [1, 2, 3])
        XCTAssertEqual(r.sections.map(\.title), ["主要工作成效", "存在的问题", "2024年工作思路"])
        let first = r.sections[0]
        XCTAssertEqual(first.children.map(\.marker), [.chineseParen, .chineseParen])
        XCTAssertEqual(first.children[0].title, "公共法律服务")
        XCTAssertEqual(first.children[0].children.map(\.marker), [.inline, .inline])
        XCTAssertEqual(first.children[0].children.map(\.title), ["扩面", "提质"])
        XCTAssertEqual(first.children[1].children.map(\.marker), [.arabic, .arabic])
        XCTAssertEqual(first.children[1].children.map(\.ordinal), [1, 2])
        // Spans in code points: the section starts at its heading and ends where the next starts.
        let u = Array(Self.text.unicodeScalars)
        XCTAssertEqual(String(String.UnicodeScalarView(u[first.start..<(first.start + 2)])), "一、")
        XCTAssertEqual(first.end, r.sections[1].start)
        XCTAssertEqual(r.sections[2].end, u.count)
    }

    func testClassesSectionsAndInheritsDown() {
        let r = TestCatalog.extractor.extract(text: Self.text, region: "", year: 2023)
        XCTAssertEqual(r.sections.map(\.kind), [.results, .shortcomings, .plans])
        XCTAssertEqual(r.sections[0].children[1].kind, .results)
        XCTAssertEqual(r.sections[2].children[0].kind, .plans)
        let target = r.mentions.last
        XCTAssertEqual(target?.kind, .target)
        XCTAssertEqual(target?.period, .year(2024))
        XCTAssertEqual(target?.sectionKind, .plans)
    }

    func testNextYearParagraphOpensThePlan() {
        let text = """
        2023年工作总结
        一、强基础
        办理案件10件。
        2024年，我们将继续努力。
        （一）抓重点
        确保办理案件20件以上。
        """
        let r = TestCatalog.extractor.extract(text: text, region: "", year: 2023)
        XCTAssertEqual(r.mentions.map(\.kind), [.actual, .target])
        XCTAssertEqual(r.mentions.map(\.period), [.year(2023), .year(2024)])
        XCTAssertEqual(r.sections[0].children.first?.kind, .plans)
    }

    func testADateLineDoesNotOpenThePlan() {
        let text = "2024年1月5日\n2023年工作总结\n办理案件10件。\n"
        let r = TestCatalog.extractor.extract(text: text, region: "", year: 2023)
        XCTAssertEqual(r.mentions.map(\.kind), [.actual])
    }
    func testHeadingNamingTheNextYearIsAPlan() {
        let text = "2023年工作总结\n一、主要成效\n办理案件10件。\n二、2024年重点工作\n办理案件12件。\n"
        let r = TestCatalog.extractor.extract(text: text, region: "", year: 2023)
        XCTAssertEqual(r.sections.map(\.kind), [.results, .plans])
        XCTAssertEqual(r.mentions.map(\.kind), [.actual, .target])
    }
    func testClosingNextStepSentenceSpeaksForItsSectionOnly() {
        let text = "一、工作成效\n（一）复议\n办理案件10件。\n下一步，将继续做好复议工作，争取办理案件12件。\n（二）调解\n调解纠纷30件。\n"
        let r = TestCatalog.extractor.extract(text: text, region: "", year: 2023)
        XCTAssertEqual(r.mentions.map(\.kind), [.actual, .target, .actual])
    }

    func testNextStepIntroducingTasksOpensThePlan() {
        let text = "一、工作成效\n办理案件10件。\n二、存在问题\n人手不足。\n下一步，我们将抓好以下工作：\n（一）复议\n办理案件12件以上。\n"
        let r = TestCatalog.extractor.extract(text: text, region: "", year: 2023)
        XCTAssertEqual(r.mentions.map(\.kind), [.actual, .target])
    }

    func testHeadingNamingALaterPartOfTheYearIsAPlan() {
        let text = "某县司法局2024年上半年工作总结\n一、上半年工作情况\n调解纠纷300件。\n二、下半年工作打算\n调解纠纷320件。\n"
        let r = TestCatalog.extractor.extract(text: text, region: "", year: nil)
        XCTAssertEqual(r.sections.map(\.kind), [.results, .plans])
        XCTAssertEqual(r.mentions.map(\.kind), [.actual, .target])
        XCTAssertEqual(r.mentions.map(\.period), [.year(2024), .year(2024)])
    }

    func testLaterQuarterHeadingIsAPlanAndTheReportsOwnQuarterIsNot() {
        let text = "某市2024年第二季度司法行政工作通报\n一、第二季度工作进展\n办理案件40件。\n二、三季度重点任务\n办理案件45件。\n"
        let r = TestCatalog.extractor.extract(text: text, region: "", year: nil)
        XCTAssertEqual(r.sections.map(\.kind), [.results, .plans])
        XCTAssertEqual(r.mentions.map(\.kind), [.actual, .target])
        let u = Scalars.of("前三季度和第四季度")
        XCTAssertTrue(SectionParser.namesLaterPart(u, 0..<u.count, than: 9))
        XCTAssertFalse(SectionParser.namesLaterPart(u, 0..<5, than: 9), "前三季度 ends with the report's part")
        XCTAssertEqual(YearGuesser.endMonth(Scalars.of("1—10月"), after: 0, limit: 5), 10)
        XCTAssertEqual(YearGuesser.endMonth(Scalars.of("第三季度"), after: 0, limit: 4), 9)
    }
}
