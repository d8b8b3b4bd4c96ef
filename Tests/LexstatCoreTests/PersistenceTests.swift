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

    /// Opening leaves room to grow: with the row array reserved to the row, the
    /// first write after start copied all of it (0.6 s at 1.7 M figures).
    func testOpeningLeavesRoomForWritesToCome() throws {
        let path = StoreFixture.freshPath()
        var s = try StoreFixture.open(path)
        let csv = (["region,indicator,period,value,unit,bound,kind,source"]
            + (2000...2099).flatMap { y in ["重庆市渝中区", "重庆市江北区", "重庆市南岸区"].map { "\($0),service.legal_aid_cases,\(y),\(y - 1900),件,,,grow" } })
            .joined(separator: "\n")
        XCTAssertEqual(try s.importObservations(csv: csv, source: "grow.csv").imported, 300)
        s.close()
        s = try StoreFixture.open(path)
        let (count, capacity) = s.read { ($0.rows.count, $0.rows.capacity) }
        XCTAssertEqual(count, 300)
        XCTAssertGreaterThanOrEqual(capacity, 2 * count)
        XCTAssertEqual(try s.importObservations(csv: csv.replacingOccurrences(of: ",grow", with: ",again"), source: "again.csv").imported, 300)
        XCTAssertEqual(try s.observations().total, 600)
    }

    func testSchemaVersionIsRecorded() throws {
        let path = StoreFixture.freshPath()
        let s = try StoreFixture.open(path)
        XCTAssertEqual(try s.withReader { db throws(LexstatError) in try db.scalarInt("PRAGMA user_version") }, Int64(Schema.migrations.count))
        XCTAssertEqual(try s.withReader { db throws(LexstatError) in try db.scalarInt("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") }, 1)
    }
}
