import XCTest
@testable import LexstatCore

/// Rules widened in review from the corpus wording to the class of phrasing
/// other bureaus use; one test per defect found.
final class ExtractionGeneralityTests: XCTestCase {
    typealias C = TestCatalog

    func testMultiplierAloneWithYuIsACount() {
        let ms = C.mentions("开展宣讲百余场，接待群众万余人次，服务企业千余家。")
        XCTAssertEqual(ms.map(\.numberText), ["百余场", "万余人次", "千余家"])
        XCTAssertEqual(ms.map(\.value), [100, 10_000, 1000])
        XCTAssertEqual(ms.map(\.bound), [.atLeast, .atLeast, .atLeast])
    }

    func testVagueCountsAndIdiomsAreNoFigures() {
        XCTAssertEqual(C.numbers("开展讲座数十场，受众几百人，百日攻坚，千家万户。"), [])
    }

    func testAnyEarlierPeriodIsAComparison() {
        let ms = C.mentions("与去年同期相比，受理复议申请增加12件。法律援助案件与上年同期相比减少20件，比上年同期多办理87件，律师较年初增加36人。")
        XCTAssertEqual(ms.map(\.kind), [.change, .change, .change, .change])
        XCTAssertEqual(ms.map(\.value), [12, -20, 87, 36])
    }

    func testSharedChangeAcrossCountUnits() {
        let ms = C.mentions("律师事务所和执业律师分别比上年增加61家和1,120人。")
        XCTAssertEqual(ms.map(\.kind), [.change, .change])
    }

    func testLaterYearGovernsEveryItemOfItsList() {
        let ms = C.mentions("2024年要抓好三项工作：一是力争出庭应诉率达到100%；二是办理法律援助案件不少于1万件；三是新培育法律明白人2000名。")
        XCTAssertEqual(ms.map(\.numberText), ["100%", "不少于1万件", "2000名"])
        XCTAssertEqual(ms.map(\.kind), [.target, .target, .target])
        XCTAssertEqual(ms.map(\.period), [.year(2024), .year(2024), .year(2024)])
    }

    func testNextYearWordsStateGoals() throws {
        let m = try XCTUnwrap(C.mentions("新的一年要努力实现法律援助案件数增长10%。").first)
        XCTAssertEqual(m.kind, .target)
        XCTAssertEqual(m.period, .year(2024))
    }

    func testHoldingVerbsMakeChineseCountsGoalsInAPlan() {
        let text = "一、工作成效\n办理案件50件。\n二、下一步工作安排\n组织两期骨干培训班，加强与四个专项小组的联系。\n"
        let ms = C.mentions(text)
        XCTAssertEqual(ms.map(\.numberText), ["50件", "两期"])
        XCTAssertEqual(ms.last?.kind, .target)
    }

    func testPartYearReportPlansForTheSameYear() throws {
        let text = "2024年第三季度全市司法行政工作通报\n一、主要指标完成情况\n办理法律援助案件650件。\n二、下一步工作要求\n确保全年办理法律援助案件达到800件以上。\n"
        let r = TestCatalog.extractor.extract(text: text, region: "", year: nil)
        XCTAssertEqual(r.year, 2024)
        XCTAssertEqual(r.mentions.map(\.kind), [.actual, .target])
        XCTAssertEqual(r.mentions.map(\.period), [.year(2024), .year(2024)])
    }

    func testPlanReviewHeadingIsResults() {
        let ms = C.mentions("一、2023年目标任务完成情况\n受理复议申请420件。\n二、主要工作目标\n新建法律援助工作站12个。\n")
        XCTAssertEqual(ms.map(\.kind), [.actual, .target])
    }

    func testPartHeadingsClassWhatFollows() {
        let text = "第一部分 2023年工作回顾\n一、法律服务\n办理法律援助案件420件。\n第二部分 2024年工作安排\n一、持续提升法律服务成效\n办理法律援助案件450件以上。\n"
        XCTAssertEqual(C.mentions(text).map(\.kind), [.actual, .target])
    }

    func testDateIsNotTheReportYear() {
        let text = "区司法局召开全区工作会议\n2024年1月18日，区司法局召开会议，全面总结2023年工作。\n全年办理法律援助案件860件。\n"
        let r = TestCatalog.extractor.extract(text: text, region: "", year: nil)
        XCTAssertEqual(r.year, 2023)
    }

    func testFigureAfterAYearsDeIsThatYears() {
        let ms = C.mentions("提供法律帮助4,210人次，较2022年的3,870人次增长8.8%。")
        XCTAssertEqual(ms.map(\.period), [.year(2023), .year(2022), .year(2023)])
        XCTAssertEqual(ms.map(\.kind), [.actual, .actual, .change])
    }

    func testFullWidthThousands() throws {
        let m = try XCTUnwrap(C.mentions("全年受理法律援助案件２,３４５件。").first)
        XCTAssertEqual(m.numberText, "２,３４５件")
        XCTAssertEqual(m.value, 2345)
    }

    func testZeroResultsAndTheRegionsOwnCounts() {
        XCTAssertEqual(C.numbers("实现矛盾纠纷零上交、零激化。"), ["零", "零"])
        XCTAssertEqual(C.numbers("全县十个乡镇全部建成工作站。"), ["十个"])
        XCTAssertEqual(C.numbers("入选全国十个试点县。"), [])
    }

    func testChangeOfACountInPercentMatchesNoRate() throws {
        let ms = C.mentions("全年受理复议申请2.46万件，较上年增长18.3%。")
        XCTAssertEqual(ms.last?.indicator, "review.cases_received")
    }

    func testSplitAliasCountsInsideTheSubject() throws {
        let m = try XCTUnwrap(C.mentions("全区法律援助中心受理案件1,376件。").first)
        XCTAssertEqual(m.indicator, "service.legal_aid_cases")
    }

    // MARK: periods and kinds across clauses

    func testEarlierYearNamedInTheParagraphGovernsItsFigures() {
        // A meeting in the report's year reviews the year before.
        let text = "大会回顾，2022年，全县政法队伍攻坚克难。过去一年，受理复议申请210件，同比增长12%；办理法律援助案件380件。\n会议现场设分会场9个。\n"
        let ms = C.mentions(text)
        XCTAssertEqual(ms.map(\.numberText), ["210件", "12%", "380件", "9个"])
        XCTAssertEqual(ms.map(\.period), [.year(2022), .year(2022), .year(2022), .year(2023)])
    }

    func testTopicYearEndsWhereAnotherYearIsNamed() {
        let ms = C.mentions("2022年，全县受理复议申请180件；今年，全县受理复议申请210件。")
        XCTAssertEqual(ms.map(\.period), [.year(2022), .year(2023)])
    }

    func testComparisonStartAndRangeYearsAreNoTopic() {
        let ms = C.mentions("与2021年相比，受理复议申请增加30件，办理法律援助案件400件；自2020年起，培训干部900人次；2019—2022年开展普法活动80场，本年开展普法活动30场。")
        XCTAssertEqual(ms.map(\.period), [.year(2023), .year(2023), .year(2023), .year(2023), .year(2023)])
    }

    func testStrivingWordGovernsItsWholeSentence() {
        let ms = C.mentions("今年要确保办理法律援助案件不少于900件，复议纠错率控制在8%以内、新建调解室12个。全年培训干部500人次。")
        XCTAssertEqual(ms.map(\.kind), [.target, .target, .target, .actual])
    }

    func testPurposeAndDoneEnsuringSetNoGoal() {
        let ms = C.mentions("为确保群众满意，全年办理法律援助案件820件，确保了调解成功率达到97%。")
        XCTAssertEqual(ms.map(\.kind), [.actual, .actual])
    }

    func testModalYaoWithReachSetsAGoal() {
        let ms = C.mentions("会议提出，全县要在年底前使调解成功率达到98%。主要负责人到场率达到100%。")
        XCTAssertEqual(ms.map(\.kind), [.target, .actual])
    }

    func testThisYearsGoalIsTheYearOfWriting() {
        let page = "区司法局召开工作会议\n来源：区司法局　发布时间：2024-01-25\n会议指出，2023年，全区办理法律援助案件860件。会议要求，今年要力争办理法律援助案件900件以上。\n"
        let r = TestCatalog.extractor.extract(text: page, region: "", year: 2023)
        XCTAssertEqual(r.mentions.map(\.kind), [.actual, .target])
        XCTAssertEqual(r.mentions.map(\.period), [.year(2023), .year(2024)])
        // Without a date, 今年 outside a plan for the next year is the report's own year.
        XCTAssertEqual(C.mentions("今年力争办理法律援助案件600件。").first?.period, .year(2023))
        let signed = "一、工作成效\n办理案件500件。\n二、下一步工作打算\n今年力争办理案件600件。\n某县司法局\n二〇二四年一月十日\n"
        XCTAssertEqual(TestCatalog.extractor.extract(text: signed, region: "", year: 2023).mentions.map(\.period), [.year(2023), .year(2024)])
        let u = Scalars.of(signed)
        XCTAssertEqual(YearGuesser.writtenIn(u, layout: PageLayout(u)), 2024)
    }

    func testResourcesObtainedAreNoGoal() {
        let ms = C.mentions("一、工作成效\n全年争取上级专项经费1,200万元，争取省级支持项目5个，争取创建示范项目2个。\n二、下一步工作计划\n争取上级资金2,000万元。\n")
        XCTAssertEqual(ms.map(\.kind), [.actual, .actual, .target, .target])
        XCTAssertEqual(ms.map(\.period), [.year(2023), .year(2023), .year(2024), .year(2024)])
    }

    func testComparisonWithAnEarlierQuarterOrMonthIsAChange() {
        let ms = C.mentions("三季度新收复议申请130件，较二季度增加20件；8月份办理法律援助案件90件，比7月减少6件；与第一季度相比，受理复议申请增加9件。")
        XCTAssertEqual(ms.map(\.kind), [.actual, .change, .actual, .change, .change])
        XCTAssertEqual(ms.map(\.value), [130, 20, 90, -6, 9])
        XCTAssertEqual(ms[1].indicator, "review.cases_received")
        XCTAssertEqual(ms[3].changeOf, "办理法律援助案件")
    }

    func testRespectiveChangesBelongToTheFiguresInOrder() {
        let ms = C.mentions("全年办理法律援助案件1,200件，受理复议申请300件，执业律师450人，分别比上年增加80件、12件和30人。")
        XCTAssertEqual(ms.map(\.kind), [.actual, .actual, .actual, .change, .change, .change])
        XCTAssertEqual(ms.suffix(3).map(\.changeOf), ["办理法律援助案件", "受理复议申请", "执业律师"])
        XCTAssertEqual(ms.suffix(3).map(\.indicator), ["service.legal_aid_cases", "review.cases_received", "service.lawyers"])
        let two = C.mentions("受理复议申请300件、执业律师450人，较上年末分别增长6%和9%。")
        XCTAssertEqual(two.suffix(2).map(\.changeOf), ["受理复议申请", "执业律师"])
    }

    func testChineseDecimalTakesItsMultiplier() {
        let ms = C.mentions("全年接待群众约四点八万人次，挽回经济损失一点二亿元。")
        XCTAssertEqual(ms.map(\.numberText), ["约四点八万人次", "一点二亿元"])
        XCTAssertEqual(ms.map(\.value), [48_000, 120_000_000])
    }

    func testStrivingWordInAResultsSectionGovernsItsOwnClauseOnly() {
        let text = "一、主要工作成效\n坚持问题导向，确保工作落实落地，全年办理法律援助案件1,200件，确保受援人满意率达到98%。\n"
        XCTAssertEqual(C.mentions(text).map(\.kind), [.actual, .target])
    }
}
