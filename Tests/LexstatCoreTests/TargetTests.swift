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

    func testAYearReportedByQuarterIsHeldAgainstTheirSum() throws {
        let s = try StoreFixture.open()
        let csv = """
            region,indicator,period,value,unit,bound,kind,source
            重庆市,service.legal_aid_cases,2024,1000,件,at_least,target,plan
            重庆市,service.legal_aid_cases,2024Q1,300,件,exact,actual,q1
            重庆市,service.legal_aid_cases,2024Q2,350,件,exact,actual,q2
            重庆市,litig.loss_rate,2024,5,%,at_most,target,plan
            重庆市,litig.loss_rate,2024Q1,4,%,exact,actual,q1
            重庆市江北区,service.legal_aid_cases,2024,500,件,at_most,target,plan
            重庆市江北区,service.legal_aid_cases,2024-01,200,件,exact,actual,m1
            重庆市江北区,service.legal_aid_cases,2024-02,400,件,approx,actual,m2
            """
        _ = try s.importObservations(csv: csv, source: "q.csv")
        func attainment(_ region: String, _ indicator: String) throws -> TargetAttainment {
            try XCTUnwrap(try s.targets(region: region, year: 2024).first { $0.target.indicator == indicator })
        }
        // Two quarters of four: 650 does not yet reach 1000, and the rest of the year may.
        let half = try attainment("重庆市", "service.legal_aid_cases")
        XCTAssertEqual(half.status, .noData)
        XCTAssertEqual(half.actual?.value, 650)
        XCTAssertEqual(half.actual?.period, .year(2024))
        XCTAssertEqual(half.actual?.provenance, .source("sum of 2 of 4 quarters"))
        XCTAssertEqual([half.parts, half.partsExpected], [2, 4])
        // A rate is not added up.
        let rate = try attainment("重庆市", "litig.loss_rate")
        XCTAssertEqual(rate.status, .noData)
        XCTAssertNil(rate.actual)
        // Two months already above an at-most target: missed whatever the other ten say.
        let over = try attainment("重庆市江北区", "service.legal_aid_cases")
        XCTAssertEqual(over.status, .missed)
        XCTAssertEqual(over.actual?.value, 600)
        XCTAssertEqual(over.actual?.bound, .approx, "a sum with an approximate part is approximate")
        XCTAssertEqual([over.parts, over.partsExpected], [2, 12])

        // The other two quarters: the whole year decides.
        _ = try s.importObservations(csv: """
            region,indicator,period,value,unit,bound,kind,source
            重庆市,service.legal_aid_cases,2024Q3,200,件,exact,actual,q3
            重庆市,service.legal_aid_cases,2024Q4,100,件,exact,actual,q4
            """, source: "q2.csv")
        let whole = try attainment("重庆市", "service.legal_aid_cases")
        XCTAssertEqual(whole.status, .missed, "950 of at least 1000")
        XCTAssertEqual([whole.parts, whole.partsExpected], [4, 4])
        // A figure stored for the year itself wins over the sum of its parts.
        _ = try s.importObservations(csv: "region,indicator,period,value,unit,bound,kind,source\n重庆市,service.legal_aid_cases,2024,1010,件,exact,actual,year\n", source: "y.csv")
        let stated = try attainment("重庆市", "service.legal_aid_cases")
        XCTAssertEqual(stated.status, .met)
        XCTAssertEqual([stated.parts, stated.partsExpected], [0, 0])
    }
}
