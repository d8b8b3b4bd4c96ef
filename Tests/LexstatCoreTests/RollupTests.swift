import XCTest
@testable import LexstatCore

final class RollupTests: XCTestCase {
    func testPartialCoverageBesideTheOwnFigure() throws {
        let s = try StoreFixture.loaded()
        let r = try s.rollup(indicator: "service.legal_aid_cases", region: "重庆市", period: "2023")
        XCTAssertEqual(r.sum, 1500 + 1200 + 1200 + 900)
        XCTAssertEqual(r.childrenReported, 4)
        XCTAssertEqual(r.childrenTotal, 38)
        XCTAssertEqual(r.own, 40000)
        XCTAssertEqual(r.difference, 40000 - 4800)
        XCTAssertEqual(r.children.filter { $0.value == nil }.count, 34)
    }

    func testAChildWithoutItsOwnFigureCountsWithItsDescendants() throws {
        let s = try StoreFixture.loaded()
        let r = try s.rollup(indicator: "service.legal_aid_cases", region: "四川省", period: "2023")
        XCTAssertEqual(r.sum, 500)
        XCTAssertEqual(r.childrenReported, 1)
        XCTAssertEqual(r.childrenTotal, 21)
        XCTAssertNil(r.own)
        XCTAssertNil(r.difference)
        let chengdu = try XCTUnwrap(r.children.first { $0.region.code == "510100" })
        XCTAssertEqual(chengdu.value, 500)
        XCTAssertTrue(chengdu.derived)
    }

    func testAChildReportingItsYearByQuartersCountsOnlyWhenAllAreThere() throws {
        let s = try StoreFixture.open()
        _ = try s.importObservations(csv: """
            region,indicator,period,value,unit,bound,kind,source
            重庆市渝中区,service.legal_aid_cases,2024,700,件,,,q
            重庆市江北区,service.legal_aid_cases,2024Q1,10,件,,,q
            重庆市江北区,service.legal_aid_cases,2024Q2,20,件,,,q
            重庆市江北区,service.legal_aid_cases,2024Q3,30,件,,,q
            重庆市江北区,service.legal_aid_cases,2024Q4,40,件,,,q
            重庆市渝北区,service.legal_aid_cases,2024Q1,99,件,,,q
            """, source: "q.csv")
        let r = try s.rollup(indicator: "service.legal_aid_cases", region: "重庆市", period: "2024")
        // 江北区's four quarters make its year (100); 渝北区's one quarter does not.
        XCTAssertEqual(r.sum, 700 + 100)
        XCTAssertEqual(r.childrenReported, 2)
        XCTAssertEqual(r.children.first { $0.region.code == "500105" }?.value, 100)
        XCTAssertNil(r.children.first { $0.region.code == "500112" }?.value)
    }

    func testARateIsRefused() throws {
        let s = try StoreFixture.loaded()
        XCTAssertThrowsError(try s.rollup(indicator: "litig.loss_rate", region: "重庆市", period: "2023")) { e in
            guard case .failedPrecondition(let m) = e as? LexstatError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("do not add up"), m)
        }
    }

    func testALeafRegionHasNothingToRollUp() throws {
        let s = try StoreFixture.loaded()
        XCTAssertThrowsError(try s.rollup(indicator: "service.legal_aid_cases", region: "重庆市江北区", period: "2023")) { e in
            guard case .invalidArgument = e as? LexstatError else { return XCTFail("\(e)") }
        }
    }
}
