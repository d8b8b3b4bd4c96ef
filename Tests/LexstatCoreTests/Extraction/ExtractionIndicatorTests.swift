import XCTest
@testable import LexstatCore

/// Indicator matching respects what the figure counts.
final class ExtractionIndicatorTests: XCTestCase {
    func testPeopleAreNotMatchedToCases() {
        // 调解 is in the subject, but 名 counts people and 矛盾纠纷调解化解数 counts cases (件).
        let m = TestCatalog.mentions("部分乡镇人民调解员不到3名。")
        XCTAssertEqual(m.map(\.numberText), ["不到3名"])
        XCTAssertNil(m.first?.indicator)
    }

    func testPersonTimesMayMatchPeopleOrOccurrences() {
        XCTAssertEqual(TestCatalog.mentions("全年轮训干部1200人次。").first?.indicator, "team.trainees")
        XCTAssertTrue(IndicatorMatcher.sameFamily("人次", "次"))
        XCTAssertTrue(IndicatorMatcher.sameFamily("人次", "人"))
        XCTAssertTrue(IndicatorMatcher.otherFamily("名", "件"))
        XCTAssertFalse(IndicatorMatcher.otherFamily("件", "件次"))
        XCTAssertFalse(IndicatorMatcher.otherFamily("名", "艘"), "an unknown unit is not judged")
    }

    func testRatesAndMoneyStayApartFromCounts() {
        let m = TestCatalog.mentions("挽回经济损失120万元，调解成功率98%。")
        XCTAssertEqual(m.map(\.indicator), ["service.losses_recovered", "mediation.success_rate"])
    }

    func testPairFilterNeverRefusesAPhraseThatOccurs() {
        // The filter only skips searches: a phrase inside a text must always pass it.
        let text = Scalars.of("全年共办理法律援助案件1234件，较上年增长12.5%，受理行政复议申请88件（ABC-1）。")
        let filter = IndicatorMatcher.PairFilter(text)
        for a in 0..<text.count {
            for b in (a + 1)...min(text.count, a + 8) {
                XCTAssertTrue(IndicatorMatcher.PairFilter(Array(text[a..<b])).isSubset(of: filter), "\(a)..<\(b)")
            }
        }
        XCTAssertFalse(IndicatorMatcher.PairFilter(Scalars.of("人民调解委员会")).isSubset(of: filter))
    }

    func testSharedCountIsTheSameByMergeAndByLookup() {
        let small: [UInt64] = [3, 9, 40]
        let large = Array(stride(from: UInt64(0), to: 400, by: 3))     // holds 3, 9; not 40
        XCTAssertEqual(IndicatorMatcher.sharedCount(small, large), 2)
        XCTAssertEqual(IndicatorMatcher.sharedCount(large, small), 2)
        XCTAssertEqual(IndicatorMatcher.sharedCount([1, 3, 5, 7], [3, 4, 5, 6]), 2)
        XCTAssertEqual(IndicatorMatcher.sharedCount([], large), 0)
    }

    func testFamilyMasksFollowTheFamilies() {
        XCTAssertEqual(IndicatorMatcher.familyMask("件") & IndicatorMatcher.familyMask("项") != 0, true)
        XCTAssertEqual(IndicatorMatcher.familyMask("人次") & IndicatorMatcher.familyMask("人") != 0, true)
        XCTAssertEqual(IndicatorMatcher.familyMask("人次") & IndicatorMatcher.familyMask("次") != 0, true)
        XCTAssertEqual(IndicatorMatcher.familyMask("名") & IndicatorMatcher.familyMask("件"), 0)
        XCTAssertEqual(IndicatorMatcher.familyMask("艘"), 0)
    }

    func testScalarsToStringEncodesEveryWidth() {
        let s = "a¢中𠀀。"          // 1, 2, 3 and 4 bytes of UTF-8
        let u = Scalars.of(s)
        XCTAssertEqual(Scalars.string(u, 0..<u.count), s)
        XCTAssertEqual(Scalars.string(u, 2..<4), "中𠀀")
        XCTAssertEqual(Scalars.string(u, -3..<99), s, "the range is clamped")
        XCTAssertEqual(Scalars.string(u, 3..<3), "")
        XCTAssertEqual(Scalars.string([0x41, 0xD800, 0x110000, 0x42], 0..<4), "AB", "no scalar value, no character")
    }

    /// Indicators whose words overlap each other's (documents reviewed or repealed,
    /// people under correction or absconded), for the partial-overlap rule.
    static let overlapping = Extractor(indicators: [
        Indicator(code: "legis.normdocs_reviewed", name: "规范性文件审查数", area: "legis", unit: "件", polarity: .neutral,
                  aggregation: .sum, aliases: ["审查区级规范性文件", "备案审查"]),
        Indicator(code: "legis.normdocs_repealed", name: "规范性文件废止失效数", area: "legis", unit: "件", polarity: .neutral,
                  aggregation: .sum, aliases: ["废止行政规范性文件", "宣布失效"]),
        Indicator(code: "correction.absconded", name: "社区矫正对象脱管漏管人数", area: "correction", unit: "人",
                  polarity: .lowerIsBetter, aggregation: .sum, aliases: ["脱管漏管"]),
        Indicator(code: "enforce.officers_trained", name: "执法人员培训人数", area: "enforce", unit: "人",
                  polarity: .higherIsBetter, aggregation: .sum, aliases: ["执法人员"]),
        Indicator(code: "mediation.disputes_resolved", name: "矛盾纠纷调解化解数", area: "mediation", unit: "件",
                  polarity: .higherIsBetter, aggregation: .sum, aliases: ["调处纠纷", "矛盾纠纷"]),
        Indicator(code: "publicity.demo_villages", name: "民主法治村创建数", area: "publicity", unit: "个",
                  polarity: .higherIsBetter, aggregation: .sum, aliases: ["民主法治村"]),
        Indicator(code: "review.litigation_ratio", name: "行政复议与行政诉讼案件比", area: "review", unit: "",
                  polarity: .neutral, aggregation: .none, aliases: ["复议诉讼比"]),
    ])

    func indicators(_ text: String) -> [String?] {
        Self.overlapping.extract(text: text, region: "", year: 2023).mentions.map(\.indicator)
    }

    func testOverlapThatLeavesOutWhatSetsTheIndicatorApartIsNoMatch() {
        // 废止 and 脱管漏管 and 执法 are what those indicators count: the subjects have none of it.
        XCTAssertEqual(indicators("全年审查部门报送的行政规范性文件310件。"), ["legis.normdocs_reviewed"])
        XCTAssertEqual(indicators("全区在册社区矫正对象412人。"), [nil])
        XCTAssertEqual(indicators("会议参会人员约300人。"), [nil])
    }

    func testOverlapWithMoreOfTheIndicatorsWordsStillMatches() {
        // 纠纷 from 矛盾纠纷 and 调解 from the name; 村 is what 民主法治村 adds to 民主法治.
        XCTAssertEqual(indicators("街道调解组织成功调解纠纷520件。"), ["mediation.disputes_resolved"])
        XCTAssertEqual(indicators("新培育民主法治示范村15个。"), ["publicity.demo_villages"])
    }

    func testIndicatorWithoutUnitMatchesOnlyUnitlessFigures() {
        XCTAssertEqual(indicators("全年复议诉讼比为0.8。"), ["review.litigation_ratio"])
        XCTAssertEqual(indicators("三个区县复议诉讼比偏高。"), [nil])
    }

    func testSharedAliasGoesToTheIndicatorWhoseNameTheSubjectEchoes() {
        // Both indicators list 学法; the first in the catalog wins a tie.
        let x = Extractor(indicators: [
            Indicator(code: "coord.gov_study_sessions", name: "政府常务会学法次数", area: "coord", unit: "次",
                      polarity: .higherIsBetter, aggregation: .sum, aliases: ["学法"]),
            Indicator(code: "team.study_sessions", name: "集体学法学习次数", area: "team", unit: "次",
                      polarity: .higherIsBetter, aggregation: .sum, aliases: ["学法"]),
        ])
        func code(_ s: String) -> String? { x.extract(text: s, region: "", year: 2023).mentions.first?.indicator }
        XCTAssertEqual(code("全年组织机关干部集中学法10次。"), "team.study_sessions")
        XCTAssertEqual(code("推动政府常务会会前学法6次。"), "coord.gov_study_sessions")
    }
}
