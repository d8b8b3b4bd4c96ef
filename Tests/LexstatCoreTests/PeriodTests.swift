import XCTest
@testable import LexstatCore

final class PeriodTests: XCTestCase {
    func testParsesEachForm() throws {
        XCTAssertEqual(try Period(parsing: "2024"), .year(2024))
        XCTAssertEqual(try Period(parsing: "2024Q2"), .quarter(2024, 2))
        XCTAssertEqual(try Period(parsing: "2024-05"), .month(2024, 5))
        XCTAssertEqual(try Period(parsing: "cumulative"), .cumulative)
        XCTAssertEqual(Period.month(2024, 5).text, "2024-05")
        XCTAssertEqual(Period.quarter(2024, 2).text, "2024Q2")
    }

    func testRefusesMalformedPeriods() {
        for bad in ["", "24", "2024Q5", "2024-13", "1800", "2101", "20x4", "2024-", "2024Q"] {
            XCTAssertThrowsError(try Period(parsing: bad), bad) { error in
                guard case LexstatError.invalidArgument(let m) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(m.contains("period"), m)
            }
        }
    }

    func testOrdersYearsAfterTheirQuartersAndMonths() {
        XCTAssertLessThan(Period.month(2024, 1), Period.quarter(2024, 1))
        XCTAssertLessThan(Period.quarter(2024, 4), Period.year(2024))
        XCTAssertLessThan(Period.year(2023), Period.month(2024, 1))
    }
}

extension PeriodTests {
    func testCanonicalBytesEncodeLikeParsedPeriods() throws {
        for text in ["2024", "1949", "2024Q2", "2024-05", "2100-12"] {
            let fast = Array(text.utf8).withUnsafeBufferPointer { PeriodCode.encode(canonical: $0) }
            XCTAssertEqual(fast, PeriodCode.encode(try Period(parsing: text)), text)
            XCTAssertEqual(fast.map(PeriodCode.decode), try Period(parsing: text))
        }
        for text in ["cumulative", "1900", "2024Q5", "2024-13", "2024-5", "abcd"] {
            XCTAssertNil(Array(text.utf8).withUnsafeBufferPointer { PeriodCode.encode(canonical: $0) }, text)
        }
    }
}
