import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import LexstatCore

/// The scale issue 7 asks for: 3,000 regions × 60 indicators × 10 years =
/// 1.8 M observations. Opt-in (it writes a ~200 MB database): run with
/// `LEXSTAT_SCALE=1 swift test -c release -Xswiftc -enable-testing --filter ScaleTests`.
/// The bounds hold for a release build; a debug build is several times slower.
/// Seen on the shared 2-core VM (load 3–7 from other builds): open 1.2–1.9 s,
/// 198–221 MB resident, lookup 1.5 µs, compare 1.0 ms CPU, rollup 0.03 ms.
final class ScaleTests: XCTestCase {
    func testOpenAndQueryAtIssue7Scale() throws {
        guard ProcessInfo.processInfo.environment["LEXSTAT_SCALE"] == "1" else {
            throw XCTSkip("set LEXSTAT_SCALE=1 to run the 1.8 M observation benchmark")
        }
        let path = StoreFixture.freshPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let dir = StoreFixture.regions
        let counties = dir.all.filter { $0.level == .county }
        let cities = dir.all.filter { $0.level == .city }
        let regions = Array((counties + cities).prefix(3000))
        var s: LexstatStore? = try StoreFixture.open(path)
        let indicators = try XCTUnwrap(s).indicators().prefix(60).map(\.code)
        XCTAssertEqual(indicators.count, 60, "the catalog needs 60 indicators for this benchmark")
        // Fill the file directly: importing 1.8 M CSV rows would measure the importer, not the indexes.
        let db = try SQLiteDatabase(path: path)
        try db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")
        try db.transaction { () throws(LexstatError) in
            var ids: [String: Int64] = [:]
            let q = try db.prepare("SELECT id, code FROM indicators")
            while try q.step() { ids[q.text(1)] = q.int(0) }
            let ins = try db.prepare("INSERT INTO observations (indicator_id, subject, region, period, value, unit, bound, kind, source) VALUES (?, '', ?, ?, ?, '件', 'exact', 'actual', 'scale benchmark')")
            var x: UInt64 = 42
            for r in regions {
                for code in indicators {
                    for y in 2015...2024 {
                        x = x &* 6364136223846793005 &+ 1442695040888963407
                        try ins.run([.int(ids[code] ?? 0), .text(r.code), .text(String(y)), .double(Double(x >> 50))])
                    }
                }
            }
        }
        db.close()
        s?.close()
        s = nil

        let t0 = Date()
        let store = try StoreFixture.open(path)
        let openSeconds = Date().timeIntervalSince(t0)
        XCTAssertEqual(try store.observations(pageSize: 1).total, 1_800_000)
        let rssMB = Self.residentMB()
        print("scale: open \(openSeconds) s, resident \(rssMB) MB")
        XCTAssertLessThan(openSeconds, 3)
        XCTAssertLessThan(rssMB, 600)

        let n = 10_000
        let t1 = Self.cpuSeconds()
        for i in 0..<n {
            let r = regions[i % regions.count]
            _ = try store.read { (m) throws(LexstatError) in
                let ind = try store.indicatorId(indicators[i % 60], in: m)
                return m.best(indicator: ind, region: dir.id(of: r.code) ?? -1, period: PeriodCode.encode(.year(2020)))
            }
        }
        let lookupMicros = (Self.cpuSeconds() - t1) / Double(n) * 1e6
        // Query times are this thread's CPU time. Median of five runs, each a different indicator, so one cold cache does not decide.
        var compareTimes: [Double] = [], rollupTimes: [Double] = []
        var cmp: Comparison?, roll: Rollup?
        for k in 0..<5 {
            let t2 = Self.cpuSeconds()
            cmp = try store.compare(indicator: indicators[k], period: "2020", level: .county)
            compareTimes.append((Self.cpuSeconds() - t2) * 1000)
            let t3 = Self.cpuSeconds()
            roll = try store.rollup(indicator: indicators[k], region: "四川省", period: "2020")
            rollupTimes.append((Self.cpuSeconds() - t3) * 1000)
        }
        let compareMs = compareTimes.sorted()[2], rollupMs = rollupTimes.sorted()[2]
        let t4 = Self.cpuSeconds()
        let series = try store.series(indicator: indicators[0], region: regions[0].code)
        let seriesMs = (Self.cpuSeconds() - t4) * 1000
        print("scale: lookup \(lookupMicros) µs, compare \(compareMs) ms (\(cmp?.entries.count ?? 0) counties), rollup \(rollupMs) ms, series \(seriesMs) ms")
        XCTAssertEqual(cmp?.entries.count, counties.count)
        XCTAssertEqual(roll?.childrenReported, roll?.childrenTotal)
        XCTAssertEqual(series.points.count, 10)
        XCTAssertLessThan(lookupMicros, 20)
        XCTAssertLessThan(compareMs, 2)
        XCTAssertLessThan(rollupMs, 1)
    }

    /// CPU time of this thread in seconds: on a machine shared with other
    /// builds, wall time measures the neighbours as much as the query.
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func residentMB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (Int(line.split(separator: " ")[1]) ?? 0) / 1024
        }
        return 0
    }
}
