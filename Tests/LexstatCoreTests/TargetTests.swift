import XCTest
@testable import LexstatCore

final class TargetTests: XCTestCase {
    func testMetMissedAndNoData() throws {
        let s = try StoreFixture.loaded()
        let all = try s.targets(year: 2023)
        XCTAssertEqual(all.count, 3)
        let byIndicator = Dictionary(uniqueKeysWithValues: all.map { ("\($0.target.region) \($0.target.indicator ?? "")", $0) })
        // 1200 against at least 1000.
        XCTAssertEqual(byIndicator["500105 service.legal_aid_cases"]?.status, .met)
        XCTAssertEqual(byIndicator["500105 service.legal_aid_cases"]?.actual?.value, 1200)
        // A loss rate of 5.2 % against at most 5 %.
        XCTAssertEqual(byIndicator["500105 litig.loss_rate"]?.status, .missed)
        XCTAssertEqual(byIndicator["500112 review.cases_received"]?.status, .noData)
        XCTAssertNil(byIndicator["500112 review.cases_received"]?.actual)
    }

    func testFiltersByRegionAndYear() throws {
        let s = try StoreFixture.loaded()
        XCTAssertEqual(try s.targets(region: "重庆市江北区").count, 2)
        XCTAssertEqual(try s.targets(region: "重庆市").count, 0)
        XCTAssertEqual(try s.targets(region: "重庆市", descendants: true).count, 3)
        XCTAssertEqual(try s.targets(year: 2024).count, 0)
        XCTAssertThrowsError(try s.targets(year: 1900))
    }

    func testLowerIsBetterWithoutABound() throws {
        let s = try StoreFixture.open()
        let csv = """
            region,indicator,period,value,unit,bound,kind,source
            重庆市,litig.loss_rate,2024,4,%,exact,target,plan
            重庆市,litig.loss_rate,2024,3.5,%,exact,actual,result
            """
        _ = try s.importObservations(csv: csv, source: "t.csv")
        XCTAssertEqual(try s.targets(region: "重庆市").first?.status, .met)
    }
}
