import XCTest
@testable import LexstatCore

/// A write that fails inside SQLite, after part of it went in, leaves neither
/// the file nor the indexes changed.
final class AtomicityTests: XCTestCase {
    /// Makes SQLite refuse any observation with the value 666, mid-transaction.
    func armTrap(_ s: LexstatStore) throws {
        try s.writer.exec("""
            CREATE TEMP TRIGGER trap BEFORE INSERT ON observations WHEN NEW.value = 666
            BEGIN SELECT RAISE(ABORT, 'trap'); END;
            """)
    }

    func testAReportLandsWholeOrNotAtAll() throws {
        let s = try StoreFixture.open()
        try armTrap(s)
        let text = "测试文本：全年办理法律援助案件12件，另有一项数字666件。"
        let report = Report(title: "原子性测试", publisher: "测试", region: "500105", period: .year(2023), kind: .other,
                            published: "", source: "", text: text, contentHash: "")
        let ok = Observation(indicator: "service.legal_aid_cases", subject: "法律援助案件", region: "", period: .year(2023),
                             value: 12, unit: "件", provenance: .report(id: 0, start: 0, end: 4, quote: "测试文本"))
        var bad = ok
        bad.value = 666
        XCTAssertThrowsError(try s.ingest(report: report, observations: [ok, bad])) { e in
            XCTAssertTrue((e as? LexstatError)?.message.contains("trap") ?? false, "\(e)")
        }
        XCTAssertTrue(try s.reports().reports.isEmpty)
        XCTAssertEqual(try s.observations().total, 0)
        XCTAssertTrue(try s.searchReports("法律援助").isEmpty)
        XCTAssertEqual(try s.withReader { db throws(LexstatError) in try db.scalarInt("SELECT count(*) FROM reports") }, 0)
        // The same report without the trapped figure goes in: the hash was not left behind.
        XCTAssertFalse(try s.ingest(report: report, observations: [ok]).duplicate)
    }

    func testAnImportLandsWholeOrNotAtAll() throws {
        let s = try StoreFixture.open()
        try armTrap(s)
        let csv = """
            region,indicator,period,value,unit,bound,kind,source
            重庆市,service.legal_aid_cases,2023,1,件,,,x
            重庆市,service.legal_aid_cases,2024,666,件,,,x
            """
        XCTAssertThrowsError(try s.importObservations(csv: csv, source: "trap.csv")) { e in
            XCTAssertTrue((e as? LexstatError)?.message.contains("trap") ?? false, "\(e)")
        }
        XCTAssertEqual(try s.observations().total, 0)
        XCTAssertEqual(try s.withReader { db throws(LexstatError) in try db.scalarInt("SELECT count(*) FROM observations") }, 0)
    }
}
