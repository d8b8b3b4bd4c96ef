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
}
