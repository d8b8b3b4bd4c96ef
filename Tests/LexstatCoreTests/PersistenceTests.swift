import XCTest
@testable import LexstatCore

/// What was committed is there after closing and opening the same file.
final class PersistenceTests: XCTestCase {
    func testReopenFindsEverything() throws {
        let path = StoreFixture.freshPath()
        var s = try StoreFixture.open(path)
        XCTAssertEqual(try s.importObservations(csv: StoreFixture.csv, source: "fixture.csv").imported, StoreFixture.csvRows)
        let report = try ReportStoreTests.sample(s)
        _ = try s.importIndicators(tsv: "code\tname\tarea\tunit\tpolarity\taggregate\nx.new\t新指标\tcoord\t件\t1\tsum\n",
                                   system: "试点体系", source: "x.tsv")
        let before = try s.exportObservations()
        s.close()
        XCTAssertThrowsError(try s.importObservations(csv: StoreFixture.csv, source: "late.csv")) { e in
            guard case .unavailable = e as? LexstatError else { return XCTFail("\(e)") }
        }

        s = try StoreFixture.open(path)
        XCTAssertEqual(try s.exportObservations(), before)
        XCTAssertEqual(try s.observations().total, StoreFixture.csvRows + 5)
        XCTAssertEqual(try s.report(id: report.reportId).sections.count, 2)
        XCTAssertEqual(try s.searchReports("行政复议申请").count, 1)
        XCTAssertEqual(try s.indicator(code: "x.new").indicator.system, "试点体系")
        XCTAssertEqual(try s.compare(indicator: "litig.loss_rate", period: "2023", within: "重庆市").entries.count, 4)
        XCTAssertTrue(try ReportStoreTests.sample(s).duplicate)
    }

    func testSchemaVersionIsRecorded() throws {
        let path = StoreFixture.freshPath()
        let s = try StoreFixture.open(path)
        XCTAssertEqual(try s.withReader { db throws(LexstatError) in try db.scalarInt("PRAGMA user_version") }, Int64(Schema.migrations.count))
        XCTAssertEqual(try s.withReader { db throws(LexstatError) in try db.scalarInt("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") }, 1)
    }
}
