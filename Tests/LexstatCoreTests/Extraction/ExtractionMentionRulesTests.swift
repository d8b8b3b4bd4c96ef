import XCTest
@testable import LexstatCore

/// One test per rule of corpus/ANNOTATION.md: what counts, what does not.
final class ExtractionMentionRulesTests: XCTestCase {
    typealias C = TestCatalog

    // MARK: what counts

    func testCountAfterItsSubject() throws {
        let m = try XCTUnwrap(C.mentions("全年受理复议申请88件，办结率高。").first)
        XCTAssertEqual(m.numberText, "88件")
        XCTAssertEqual(m.value, 88)
        XCTAssertEqual(m.unit, "件")
        XCTAssertEqual(m.subject, "受理复议申请")
        XCTAssertEqual(m.quote, "全年受理复议申请88件")
        XCTAssertEqual(m.indicator, "review.cases_received")
    }

    func testCountBeforeItsNoun() throws {
        let m = try XCTUnwrap(C.mentions("今年新增25个村级调解室。").first)
        XCTAssertEqual(m.numberText, "25个")
        XCTAssertEqual(m.subject, "村级调解室")
        XCTAssertEqual(m.quote, "25个村级调解室")
    }

    func testChineseNumeralWithClassifier() {
        let ms = C.mentions("先后举办两期业务培训班，编印三本手册。")
        XCTAssertEqual(ms.map(\.value), [2, 3])
        XCTAssertEqual(ms.map(\.unit), ["期", "本"])
    }

    func testBigCountTakesGe() throws {
        let m = try XCTUnwrap(C.mentions("建成四大服务平台。").first)
        XCTAssertEqual(m.value, 4)
        XCTAssertEqual(m.unit, "个")
        XCTAssertEqual(m.numberText, "四大")
    }

    func testBareCountBeforeNounTakesGe() throws {
        let m = try XCTUnwrap(C.mentions("甲区、乙区等9区县参加了评比。").first)
        XCTAssertEqual(m.value, 9)
        XCTAssertEqual(m.unit, "个")
    }

    func testTwoNumbersInOnePhraseAreTwoMentions() {
        let ms = C.mentions("梳理出4类312项具体问题。")
        XCTAssertEqual(ms.map(\.numberText), ["4类", "312项"])
    }

    func testZeroResults() {
        let ms = C.mentions("实现零投诉，复议纠错率为零。")
        XCTAssertEqual(ms.count, 2)
        XCTAssertEqual(ms.map(\.value), [0, 0])
        XCTAssertEqual(ms.map(\.numberText), ["零", "零"])
        XCTAssertEqual(ms[0].unit, "")
        XCTAssertEqual(ms[0].subject, "投诉")
        XCTAssertEqual(ms[1].unit, "%")
    }

    func testQuotedZeroResultCounts() {
        XCTAssertEqual(C.numbers("连续保持“零差错”。"), ["零"])
    }

    func testWeightInScoringRuleIsAMention() throws {
        let m = try XCTUnwrap(C.mentions("日常考核占比30%。").first)
        XCTAssertEqual(m.value, 30)
        XCTAssertEqual(m.unit, "%")
        XCTAssertEqual(m.kind, .actual)
    }

    func testFallIsANegativeChange() throws {
        let ms = C.mentions("受理行政复议案件120件，同比下降12.4%。")
        XCTAssertEqual(ms.count, 2)
        XCTAssertEqual(ms[1].kind, .change)
        XCTAssertEqual(ms[1].value, -12.4)
        XCTAssertEqual(ms[1].changeOf, "受理行政复议案件")
        XCTAssertEqual(ms[1].indicator, "review.cases_received")
    }

    func testPercentagePointsAreAChangeOfTheFigureBefore() throws {
        let ms = C.mentions("调解成功率97.5%，较上年提升3个百分点。")
        XCTAssertEqual(ms.count, 2)
        XCTAssertEqual(ms[1].unit, "pp")
        XCTAssertEqual(ms[1].value, 3)
        XCTAssertEqual(ms[1].kind, .change)
        XCTAssertEqual(ms[1].changeOf, "调解成功率")
        XCTAssertEqual(ms[1].indicator, "mediation.success_rate")
    }

    func testRiseToALevelIsNotAChange() throws {
        let m = try XCTUnwrap(C.mentions("出庭应诉率提高到95%。").first)
        XCTAssertEqual(m.kind, .actual)
        XCTAssertEqual(m.value, 95)
    }

    func testCumulativeSinceAStart() {
        let ms = C.mentions("平台运行以来，累计服务群众8万余人次，提供咨询300余次。")
        XCTAssertEqual(ms.map(\.period), [.cumulative, .cumulative])
    }

    func testThisYearsRunningTotalIsTheYear() throws {
        let m = try XCTUnwrap(C.mentions("今年累计审核文件41件。").first)
        XCTAssertEqual(m.period, .year(2023))
        XCTAssertEqual(m.subject, "审核文件")
    }

    func testPlanSectionGivesTargetsForTheNextYear() throws {
        let text = "一、工作成效\n办理法律援助案件500件。\n二、下一步工作计划\n力争办理法律援助案件600件以上。\n"
        let ms = C.mentions(text)
        XCTAssertEqual(ms.count, 2)
        XCTAssertEqual(ms[0].kind, .actual)
        XCTAssertEqual(ms[0].period, .year(2023))
        XCTAssertEqual(ms[1].kind, .target)
        XCTAssertEqual(ms[1].period, .year(2024))
        XCTAssertEqual(ms[1].bound, .atLeast)
    }

    func testGoalWordOutsidePlanIsATarget() throws {
        let m = try XCTUnwrap(C.mentions("目标到2025年培训干部3000人次。").first)
        XCTAssertEqual(m.kind, .target)
        XCTAssertEqual(m.period, .year(2025))
    }

    func testElidedNounIsTakenFromTheFigureBefore() {
        let ms = C.mentions("创成省级示范点3个、市级5个。")
        XCTAssertEqual(ms.map(\.subject), ["创成省级示范点", "市级示范点"])
    }

    func testMeansPhraseIsNotTheSubject() throws {
        let m = try XCTUnwrap(C.mentions("通过讲座、沙龙等形式开展普法活动40场。").first)
        XCTAssertEqual(m.subject, "开展普法活动")
        XCTAssertEqual(m.indicator, "publicity.events")
    }

    // MARK: what does not count

    func testDatesAreNotMentions() {
        XCTAssertEqual(C.numbers("2023年3月15日召开会议，2024-05-06发布。"), [])
    }

    func testOrdinalsAndHeadingsAreNotMentions() {
        XCTAssertEqual(C.numbers("一是抓落实。第一，抓学习；第3批试点。"), [])
    }

    func testRanksAreNotMentions() {
        XCTAssertEqual(C.numbers("考核位居全省第2，排名前5。"), [])
    }

    func testQuotedNamesAndSlogansAreNotMentions() {
        XCTAssertEqual(C.numbers("推行“3+2”模式和“五个一”工作法，落实“1+4+7”考评。"), [])
    }

    func testTitlesAreNotMentions() {
        XCTAssertEqual(C.numbers("印发《规划（2021—2025年）》和《十条措施》。"), [])
    }

    func testPlanNamesAndCongressesAreNotMentions() {
        XCTAssertEqual(C.numbers("学习党的二十大精神，谋划十四五规划，推进八五普法。"), [])
    }

    func testUnquotedProgrammeNamesAreNotMentions() {
        XCTAssertEqual(C.numbers("落实行政执法三项制度，增强四个意识，深化五个一工程。"), [])
    }

    func testDurationsAnniversariesAndAgesAreNotMentions() {
        XCTAssertEqual(C.numbers("连续8年获评，颁布30周年，光荣在党40年，年满18周岁，24小时值守，3个月内办结。"), [])
    }

    func testNamedListTheRegionWasPlacedOnIsNotAMention() {
        XCTAssertEqual(C.numbers("入选全国十个示范单位。"), [])
    }

    func testSloganListIsNotAMention() {
        XCTAssertEqual(C.numbers("形成一个中心统筹、三级网络联动、四类队伍协同的格局。"), [])
    }

    func testArticlesAndIdiomsAreNotMentions() {
        XCTAssertEqual(C.numbers("打造一批品牌，服务千家万户和百姓，提供零距离服务，十分重要。"), [])
    }

    func testDecimalNamesHotlinesAndCodesAreNotMentions() {
        XCTAssertEqual(C.numbers("举办12.4宪法日活动，开通12348热线，建设5G网络。"), [])
    }

    func testOutlineCountsInAPlanAreNotMentions() {
        let text = "一、工作成效\n办理案件5件。\n二、下一步打算\n聚焦三个方面，实现六大提升，新建两个调解室。\n"
        XCTAssertEqual(C.numbers(text), ["5件", "两个"])
    }
    func testRatioWithoutUnitCounts() throws {
        let m = try XCTUnwrap(C.mentions("复议与诉讼案件比值为1.6。").first)
        XCTAssertEqual(m.value, 1.6)
        XCTAssertEqual(m.unit, "")
    }

    func testRoundNumberAfterABoundWordCounts() {
        let ms = C.mentions("吸引逾千人参加，开展近百场讲座。")
        XCTAssertEqual(ms.map(\.value), [1000, 100])
        XCTAssertEqual(ms.map(\.bound), [.atLeast, .approx])
    }

    func testSecondFigureAfterAndTakesTheSubjectBefore() {
        let ms = C.mentions("调解和复议满意率分别为85%和90%。")
        XCTAssertEqual(ms.map(\.subject), ["调解和复议满意率", "调解和复议满意率"])
    }

    func testNamedEarlierYearIsThePeriod() {
        let ms = C.mentions("2022年受理复议申请70件，今年受理复议申请90件。")
        XCTAssertEqual(ms.map(\.period), [.year(2022), .year(2023)])
    }

    func testNamedLaterYearMakesATarget() throws {
        let m = try XCTUnwrap(C.mentions("到2025年底全县执业律师达到500人。").first)
        XCTAssertEqual(m.kind, .target)
        XCTAssertEqual(m.period, .year(2025))
    }

    func testComparisonBaseYearIsNotThePeriod() throws {
        let ms = C.mentions("调解成功率96%，较2022年提升了约2个百分点。")
        XCTAssertEqual(ms.map(\.period), [.year(2023), .year(2023)])
        XCTAssertEqual(ms.last?.bound, .approx)
    }

    func testRateBaseIsNotAMention() {
        XCTAssertEqual(C.numbers("每10万人拥有执业律师12.5人。"), ["12.5人"])
    }

    func testProgrammeNamedPlanInAResultsSectionStaysResults() {
        let text = "一、工作成效\n（一）实施人才培养计划。培训干部300人次。\n"
        XCTAssertEqual(C.mentions(text).map(\.kind), [.actual])
    }
    func testSecondFigureOfARespectiveChangeIsAChangeToo() {
        let ms = C.mentions("收案和结案同比分别下降8.2%和6.5%。")
        XCTAssertEqual(ms.map(\.kind), [.change, .change])
        XCTAssertEqual(ms.map(\.value), [-8.2, -6.5])
    }

    func testLastYearsFigureIsLastYear() {
        let ms = C.mentions("出庭应诉率由上年的80%提升至99%。")
        XCTAssertEqual(ms.map(\.period), [.year(2022), .year(2023)])
        XCTAssertEqual(ms.map(\.kind), [.actual, .actual])
    }

    func testAspectsOfAnOutlineAreNotMentions() {
        XCTAssertEqual(C.numbers("会议部署了五个方面的任务。"), [])
    }
    func testRoundedCountWithoutUnit() throws {
        let m = try XCTUnwrap(C.mentions("全年惠及群众1.3万。").first)
        XCTAssertEqual(m.value, 13_000)
        XCTAssertEqual(m.unit, "")
    }
    func testYearOfTheFirstFigureDoesNotCarryToTheSecond() {
        let ms = C.mentions("出庭应诉率从2021年的90.5%上升到99%。")
        XCTAssertEqual(ms.map(\.period), [.year(2021), .year(2023)])
    }

    func testInlineHeadingMarkerIsNotPartOfTheSubject() throws {
        let m = try XCTUnwrap(C.mentions("二是开展普法活动80场。").first)
        XCTAssertEqual(m.subject, "开展普法活动")
    }

    func testRoundsAreCounted() throws {
        let m = try XCTUnwrap(C.mentions("组织专项督察3轮。").first)
        XCTAssertEqual(m.unit, "轮")
    }
    func testClockTimesDotDatesAndRuleNamesAreNotMentions() {
        XCTAssertEqual(C.numbers("9时30分开会，12·4宣传，落实中央八项规定，考核得分95分。"), ["95分"])
    }
    func testTotalsOverSeveralYearsAreCumulative() {
        let ms = C.mentions("2019年以来，全市办理法律援助案件5000件；五年来化解矛盾纠纷9万件；今年以来培训干部300人次。")
        XCTAssertEqual(ms.map(\.period), [.cumulative, .cumulative, .year(2023)])
    }
    func testZeroWrittenInDigitsIsAZeroResult() throws {
        let m = try XCTUnwrap(C.mentions("再犯罪率为0。").first)
        XCTAssertEqual(m.value, 0)
        XCTAssertEqual(m.unit, "%")
    }

    func testPlusAfterARoundNumberIsALowerBound() throws {
        let m = try XCTUnwrap(C.mentions("文章阅读量达10万+。").first)
        XCTAssertEqual(m.value, 100_000)
        XCTAssertEqual(m.bound, .atLeast)
        XCTAssertEqual(m.numberText, "10万+")
    }
    func testListOfChineseCountsIsNotASlogan() {
        XCTAssertEqual(C.numbers("建成三个研究基地、两个实践基地。"), ["三个", "两个"])
    }
    func testSentenceAboutTheNextYearSetsAGoal() {
        let ms = C.mentions("会议强调，2024年要抓好五项重点任务，确保调解成功率不低于98%。")
        XCTAssertEqual(ms.map(\.numberText), ["不低于98%"])
        XCTAssertEqual(ms.first?.kind, .target)
        XCTAssertEqual(ms.first?.period, .year(2024))
    }
    func testListTheRegionEnteredIsNotACountInDigitsEither() {
        XCTAssertEqual(C.numbers("成功入选全国100个示范县，全市1031个镇街推广。"), ["1031个"])
    }

    func testUnquotedCountSlogansAreNotMentions() {
        XCTAssertEqual(C.numbers("努力实现六个明显，做到五个领先。"), [])
    }

    func testRunningTotalOfASpanInsideTheYearIsTheYear() {
        let ms = C.mentions("1—6月累计受理复议申请120件；前三季度累计培训干部800人次；本年度累计开展普法活动50场；年初以来，全县累计调解矛盾纠纷900件。截至9月底累计办理法律援助案件5000件，调解中心成立以来累计调解矛盾纠纷1.2万件。")
        XCTAssertEqual(ms.map(\.period), [.year(2023), .year(2023), .year(2023), .year(2023), .cumulative, .cumulative])
    }

    func testLevelMovedFromIsTheYearBefores() {
        let ms = C.mentions("复议纠错率由6.5%降至4.2%，调解成功率从95%提升到约98%，受理复议申请由原来的40件增加到55件。")
        XCTAssertEqual(ms.map(\.numberText), ["6.5%", "4.2%", "95%", "约98%", "40件", "55件"])
        XCTAssertEqual(ms.map(\.period), [.year(2022), .year(2023), .year(2022), .year(2023), .year(2022), .year(2023)])
        XCTAssertEqual(ms.map(\.kind), [.actual, .actual, .actual, .actual, .actual, .actual])
        XCTAssertEqual(ms.first?.subject, "复议纠错率")
    }

    func testLoneOneClosingItsClauseIsACount() {
        let ms = C.mentions("组织专项督察一轮，建成调解中心一个。召开一次会议，是重点任务之一，统一部署。")
        XCTAssertEqual(ms.map(\.numberText), ["一轮", "一个"])
        XCTAssertEqual(ms.map(\.value), [1, 1])
    }
}
