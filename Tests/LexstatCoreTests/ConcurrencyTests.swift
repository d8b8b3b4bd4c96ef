import Foundation
import Dispatch
import XCTest
@testable import LexstatCore

/// Reads from several threads while writers commit: no crash, and every read
/// sees a whole import or none of it.
final class ConcurrencyTests: XCTestCase {
    func testReadersSeeWholeImportsWhileWritersCommit() throws {
        let s = try StoreFixture.open()
        let batches = 20, rowsPerBatch = 50
        @Sendable func batch(_ b: Int) -> String {
            var csv = "region,indicator,period,value,unit,bound,kind,source\n"
            for i in 0..<rowsPerBatch { csv += "重庆市江北区,service.legal_aid_cases,\(1950 + b)-\(String(format: "%02d", i % 12 + 1)),\(i),件,,,b\(b)\n" }
            return csv
        }
        let torn = Atomic()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            if worker == 0 {
                for b in 0..<batches { _ = try? s.importObservations(csv: batch(b), source: "b\(b).csv") }
            } else {
                for _ in 0..<300 {
                    let total = (try? s.observations(indicator: "service.legal_aid_cases", region: "500105", pageSize: 1).total) ?? -1
                    if total % rowsPerBatch != 0 { torn.add() }
                    _ = try? s.compare(indicator: "service.legal_aid_cases", period: "1950-01", within: "重庆市")
                }
            }
        }
        XCTAssertEqual(torn.value, 0)
        XCTAssertEqual(try s.observations().total, batches * rowsPerBatch)
    }
}

/// A counter safe to bump from several threads.
final class Atomic: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
