import XCTest
@testable import LexstatCore

final class SeriesTests: XCTestCase {
    func testYearsWithChangeAndAYearSummedFromQuarters() throws {
        let s = try StoreFixture.loaded()
        let series = try s.series(indicator: "review.cases_received", region: "重庆市江北区", by: .year)
        XCTAssertEqual(series.points.map(\.period), [.year(2022), .year(2023), .year(2024)])
        let (y22, y23, y24) = (series.points[0], series.points[1], series.points[2])
        XCTAssertEqual(y22.value, 120)
        XCTAssertNil(y22.change)
        XCTAssertEqual(y23.value, 150)
        XCTAssertEqual(y23.change, 30)
        XCTAssertEqual(try XCTUnwrap(y23.changePercent), 25, accuracy: 1e-9)
        XCTAssertFalse(y23.derived)
        XCTAssertNotNil(y23.observation)
        // 2024 was reported by quarter only: 30 + 40 + 35, three of four quarters.
        XCTAssertEqual(y24.value, 105)
        XCTAssertTrue(y24.derived)
        XCTAssertEqual(y24.parts, 3)
        XCTAssertEqual(y24.partsExpected, 4)
        XCTAssertNil(y24.observation)
        // …so it is a lower bound, not 2024's figure: no change against 2023.
        XCTAssertTrue(y24.isPartial)
        XCTAssertNil(y24.change)
        XCTAssertNil(y24.changePercent)
    }

    func testPartialSumsAreComparedWithNothing() throws {
        let s = try StoreFixture.open()
        _ = try s.importObservations(csv: """
            region,indicator,period,value,unit,bound,kind,source
            重庆市渝中区,service.legal_aid_cases,2022,100,件,,,p
            重庆市渝中区,service.legal_aid_cases,2023Q1,30,件,,,p
            重庆市渝中区,service.legal_aid_cases,2023Q2,30,件,,,p
            重庆市渝中区,service.legal_aid_cases,2023Q3,30,件,,,p
            重庆市渝中区,service.legal_aid_cases,2023Q4,30,件,,,p
            重庆市渝中区,service.legal_aid_cases,2024Q1,50,件,,,p
            重庆市渝中区,service.legal_aid_cases,2024Q2,50,件,,,p
            重庆市渝中区,service.legal_aid_cases,2025,90,件,,,p
            """, source: "p.csv")
        let years = try s.series(indicator: "service.legal_aid_cases", region: "重庆市渝中区", by: .year).points
        XCTAssertEqual(years.map(\.value), [100, 120, 100, 90])
        // 2023 is whole (4 of 4 quarters): compared with 2022.
        XCTAssertTrue(years[1].derived)
        XCTAssertFalse(years[1].isPartial)
        XCTAssertEqual(years[1].change, 20)
        // 2024 has 2 of 4 quarters: neither compared with 2023 nor 2025 with it.
        XCTAssertTrue(years[2].isPartial)
        XCTAssertNil(years[2].change)
        XCTAssertNil(years[3].change)
        // By quarter, 2024Q1 against 2023Q1 is a whole-period comparison.
        let quarters = try s.series(indicator: "service.legal_aid_cases", region: "重庆市渝中区",
                                    from: "2024Q1", to: "2024Q2", by: .quarter).points
        XCTAssertEqual(quarters[0].yearOnYearChange, 20)
        XCTAssertEqual(quarters[1].change, 0)
    }

    func testQuartersWithYearOnYear() throws {
        let s = try StoreFixture.loaded()
        let series = try s.series(indicator: "review.cases_received", region: "500105", from: "2024Q1", to: "2024Q4", by: .quarter)
        XCTAssertEqual(series.points.map { $0.period.text }, ["2024Q1", "2024Q2", "2024Q3", "2024Q4"])
        XCTAssertEqual(series.points.map(\.value), [30, 40, 35, nil])
        XCTAssertEqual(series.points[0].yearOnYearChange, 5)
        XCTAssertEqual(try XCTUnwrap(series.points[0].yearOnYearPercent), 20, accuracy: 1e-9)
        XCTAssertNil(series.points[1].yearOnYearChange)
        XCTAssertEqual(series.points[1].change, 10)
        XCTAssertNil(series.points[3].change)
    }

    func testAQuarterlyViewOfYearlyFiguresIsEmpty() throws {
        let s = try StoreFixture.open()
        _ = try s.importObservations(csv: "region,indicator,period,value,unit,bound,kind,source\n重庆市渝中区,service.legal_aid_cases,2023,700,件,,,y\n",
                                     source: "y.csv")
        // Whole years cannot be split: no row of "no data" for every quarter or month.
        XCTAssertTrue(try s.series(indicator: "service.legal_aid_cases", region: "重庆市渝中区", by: .quarter).points.isEmpty)
        XCTAssertTrue(try s.series(indicator: "service.legal_aid_cases", region: "重庆市渝中区", by: .month).points.isEmpty)
        XCTAssertEqual(try s.series(indicator: "service.legal_aid_cases", region: "重庆市渝中区", by: .year).points.map(\.value), [700])
        // Asked for a span, it gets one.
        XCTAssertEqual(try s.series(indicator: "service.legal_aid_cases", region: "重庆市渝中区", from: "2023Q1", to: "2023Q4",
                                    by: .quarter).points.count, 4)
    }

    func testARateIsNotSummedFromParts() throws {
        let s = try StoreFixture.open()
        let csv = "region,indicator,period,value,unit,bound,kind,source\n重庆市,litig.loss_rate,2024Q1,4,%,,,x\n重庆市,litig.loss_rate,2024Q2,6,%,,,x\n"
        _ = try s.importObservations(csv: csv, source: "r.csv")
        let series = try s.series(indicator: "litig.loss_rate", region: "重庆市", by: .year)
        XCTAssertEqual(series.points.count, 1)
        XCTAssertNil(series.points[0].value)
    }

    func testUnknownsAndBadRanges() throws {
        let s = try StoreFixture.loaded()
        XCTAssertThrowsError(try s.series(indicator: "nope", region: "重庆市")) { e in
            guard case .notFound = e as? LexstatError else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try s.series(indicator: "litig.loss_rate", region: "重庆市", from: "2024", to: "2020")) { e in
            guard case .invalidArgument = e as? LexstatError else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try s.series(indicator: "litig.loss_rate", region: "重庆市", to: "2024-13", by: .month)) { e in
            guard case .invalidArgument(let m) = e as? LexstatError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.hasPrefix("to:"), m)
        }
        XCTAssertEqual(try s.series(indicator: "litig.loss_rate", region: "重庆市", from: "1949-01", to: "2100-12", by: .month).points.count, 1824)
        XCTAssertTrue(try s.series(indicator: "litig.loss_rate", region: "北京市").points.isEmpty)
    }
}
