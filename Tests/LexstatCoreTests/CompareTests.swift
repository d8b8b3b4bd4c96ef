import XCTest
@testable import LexstatCore

final class CompareTests: XCTestCase {
    func testHigherIsBetterWithTiesAndMissing() throws {
        let s = try StoreFixture.loaded()
        let c = try s.compare(indicator: "service.legal_aid_cases", period: "2023", within: "重庆市")
        XCTAssertNil(c.level)
        // Ties are listed by code: 渝中区 500103 before 江北区 500105.
        XCTAssertEqual(c.entries.map(\.region.name), ["渝北区", "渝中区", "江北区", "南岸区"])
        XCTAssertEqual(c.entries.map(\.value), [1500, 1200, 1200, 900])
        XCTAssertEqual(c.entries.map(\.rank), [1, 2, 2, 4])
        XCTAssertEqual(c.missing.count, 38 - 4)
        XCTAssertFalse(c.missing.contains { $0.code == "500105" })
    }

    func testAYearReportedByQuartersRanksOnlyWhenWhole() throws {
        let s = try StoreFixture.open()
        _ = try s.importObservations(csv: """
            region,indicator,period,value,unit,bound,kind,source
            重庆市渝中区,service.legal_aid_cases,2024,1000,件,,,year
            重庆市江北区,service.legal_aid_cases,2024Q1,300,件,,,q
            重庆市江北区,service.legal_aid_cases,2024Q2,300,件,,,q
            重庆市江北区,service.legal_aid_cases,2024Q3,300,件,,,q
            重庆市江北区,service.legal_aid_cases,2024Q4,301,件,,,q
            重庆市渝北区,service.legal_aid_cases,2024Q1,900,件,,,q
            重庆市渝北区,litig.loss_rate,2024Q1,4,%,,,q
            """, source: "c.csv")
        let c = try s.compare(indicator: "service.legal_aid_cases", period: "2024", within: "重庆市")
        XCTAssertEqual(c.entries.map(\.region.name), ["江北区", "渝中区"])
        XCTAssertEqual(c.entries.first?.value, 1201)
        XCTAssertEqual(c.entries.first?.observation.provenance, .source("sum of 4 of 4 quarters"))
        XCTAssertTrue(c.missing.contains { $0.name == "渝北区" }, "one quarter of four is no year")
        // A rate is never added up.
        XCTAssertTrue(try s.compare(indicator: "litig.loss_rate", period: "2024", within: "重庆市").entries.isEmpty)
    }

    func testLowerIsBetterRanksTheLowestFirst() throws {
        let s = try StoreFixture.loaded()
        let c = try s.compare(indicator: "litig.loss_rate", period: "2023", within: "重庆")
        XCTAssertEqual(c.entries.map(\.value), [3.1, 3.1, 5.2, 7.4])
        XCTAssertEqual(c.entries.map(\.rank), [1, 1, 3, 4])
        XCTAssertEqual(c.entries.last?.region.name, "渝中区")
    }

    func testDefaultScopeIsTheProvinces() throws {
        let s = try StoreFixture.loaded()
        let c = try s.compare(indicator: "service.legal_aid_cases", period: "2023")
        XCTAssertEqual(c.level, .province)
        XCTAssertEqual(c.entries.map(\.region.code), ["500000"])
        XCTAssertEqual(c.missing.count, 33)
        let cities = try s.compare(indicator: "service.legal_aid_cases", period: "2023", within: "四川", level: .county)
        XCTAssertEqual(cities.entries.map(\.region.name), ["锦江区", "青羊区"])
    }

    func testDirectChildrenOfAMixedProvince() throws {
        let s = try StoreFixture.loaded()
        // 海南省: prefecture-level cities and county-level cities it administers directly.
        let c = try s.compare(indicator: "litig.loss_rate", period: "2023", within: "海南省")
        XCTAssertTrue(c.missing.contains { $0.code == "460100" })
        XCTAssertTrue(c.missing.contains { $0.code == "469001" })
        XCTAssertThrowsError(try s.compare(indicator: "litig.loss_rate", period: "2023", within: "重庆市江北区")) { e in
            XCTAssertTrue((e as? LexstatError)?.message.hasPrefix("within:") ?? false, "\(e)")
        }
        XCTAssertThrowsError(try s.compare(indicator: "litig.loss_rate", period: "2023", within: "重庆市", level: .city)) { e in
            XCTAssertTrue((e as? LexstatError)?.message.hasPrefix("level:") ?? false, "\(e)")
        }
    }

    func testBadPeriod() throws {
        let s = try StoreFixture.loaded()
        XCTAssertThrowsError(try s.compare(indicator: "litig.loss_rate", period: "1900")) { e in
            guard case .invalidArgument(let m) = e as? LexstatError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.hasPrefix("period:"), m)
        }
    }
}

/// The by-reference comparison the wire answers from is the same ranking as the public one.
final class CompactComparisonTests: XCTestCase {
    func assertSame(_ s: LexstatStore, _ indicator: String, _ period: String, within: String?, level: Region.Level? = nil,
                    file: StaticString = #filePath, line: UInt = #line) throws {
        let full = try s.compare(indicator: indicator, period: period, within: within, level: level)
        let compact = try s.compareCompact(indicator: indicator, period: period, within: within, level: level)
        let all = compact.regions.all
        XCTAssertEqual(compact.entries.map { all[Int($0.region)] }, full.entries.map(\.region), file: file, line: line)
        XCTAssertEqual(compact.entries.map(\.rank), full.entries.map(\.rank), file: file, line: line)
        XCTAssertEqual(compact.entries.map(\.value), full.entries.map(\.value), file: file, line: line)
        XCTAssertEqual(compact.entries.map(\.bound), full.entries.map(\.bound), file: file, line: line)
        XCTAssertEqual(compact.entries.map(\.provenance), full.entries.map(\.observation.provenance), file: file, line: line)
        XCTAssertEqual(compact.missing.map { all[Int($0)] }, full.missing, file: file, line: line)
        XCTAssertEqual(compact.within.map { all[Int($0)] }, full.within, file: file, line: line)
        XCTAssertEqual(compact.level, full.level, file: file, line: line)
        XCTAssertEqual(compact.indicator, full.indicator, file: file, line: line)
    }

    func testSameRankingAsCompare() throws {
        let s = try StoreFixture.loaded()
        _ = try ReportStoreTests.sample(s)
        _ = try s.importObservations(csv: """
            region,indicator,period,value,unit,bound,kind,source
            重庆市南岸区,service.legal_aid_cases,2023Q1,300,件,,,q
            重庆市南岸区,service.legal_aid_cases,2023Q2,300,件,,,q
            重庆市南岸区,service.legal_aid_cases,2023Q3,300,件,approx,,q
            重庆市南岸区,service.legal_aid_cases,2023Q4,301,件,,,q
            """, source: "parts.csv")
        try assertSame(s, "service.legal_aid_cases", "2023", within: "重庆市")
        try assertSame(s, "litig.loss_rate", "2023", within: "重庆")
        try assertSame(s, "service.legal_aid_cases", "2023", within: nil)
        try assertSame(s, "service.legal_aid_cases", "2023", within: "四川", level: .county)
        // A report's figure (江北区, 812) and a sum of quarters are among them.
        let c = try s.compareCompact(indicator: "service.legal_aid_cases", period: "2023", within: "重庆市")
        XCTAssertTrue(c.entries.contains { if case .report = $0.provenance { return true } else { return false } })
        XCTAssertThrowsError(try s.compareCompact(indicator: "nope", period: "2023", within: "重庆市"))
        XCTAssertThrowsError(try s.compareCompact(indicator: "service.legal_aid_cases", period: "2023", within: "重庆市", level: .province))
    }
}
