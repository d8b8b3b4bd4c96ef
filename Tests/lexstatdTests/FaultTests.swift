import Foundation
import LexstatClient
import LexstatNet
import LexstatRPC
import LexstatWire
import XCTest

/// Faults: crashes during writes, clients that vanish or crawl.
final class FaultTests: XCTestCase {
    /// A long report written for this test: many sections of figures, varied per round by a number-free marker.
    static func bigReport(round: Int, paragraphs: Int) -> String {
        let marks = Array("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉")
        var text = "示例县司法局2025年工作总结\n\n版本标记\(marks[round % marks.count])\(marks[(round / marks.count) % marks.count])\n\n一、主要工作成效\n\n"
        for i in 0..<paragraphs {
            text += "专项工作推进。全年受理行政复议案件\(100 + i)件，办理法律援助案件\(200 + i % 700)件。\n"
        }
        return text
    }

    static func ingest(_ text: String, port: Int, timeout: Duration = .seconds(60)) async throws -> Decoded<Lexstat__V1__IngestResponse> {
        try await ingest(text, on: try LexstatClient(address: .tcp(host: "127.0.0.1", port: port), timeout: timeout))
    }

    /// Builds an Ingest request and sends it on a connection already open, so the
    /// time of the call is the time of the request, not of connecting.
    static func ingest(_ text: String, on c: LexstatClient) async throws -> Decoded<Lexstat__V1__IngestResponse> {
        let arena = WireArena()
        defer { withExtendedLifetime(arena) {} }
        var req = Lexstat__V1__IngestRequest.make()
        req.content = arena.bytes(Array(text.utf8))
        req.region = arena.string("500105")
        req.year = 2025
        return try await c.call("Ingest", req, returning: Lexstat__V1__IngestResponse.self)
    }

    /// SIGKILL at a random moment of an ingest, 20 times: the database stays sound, every
    /// report in it is whole, and every ingest that was answered OK is there after the restart.
    ///
    /// The kill is timed from when the request is sent (the connection is open before), at up to
    /// 1.3 × the time an undisturbed ingest takes from request to answer; a call counts as killed
    /// midway only when it failed because the connection was lost, and any other failure fails.
    func testKillNineDuringIngestLeavesEachReportWholeOrAbsent() async throws {
        let paragraphs = 3000
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kill9-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("k.db").path

        // One undisturbed ingest: how many figures a whole report has, and how long the call takes.
        var d = try DaemonProcess(db: db)
        let whole: UInt32
        let span: Duration
        do {
            let c = try LexstatClient(address: .tcp(host: "127.0.0.1", port: d.port), timeout: .seconds(60))
            let text = FaultTests.bigReport(round: 0, paragraphs: paragraphs)
            let sent = ContinuousClock.now
            let r = try await FaultTests.ingest(text, on: c)
            span = ContinuousClock.now - sent
            whole = r.read { $0.observations_stored }
            XCTAssertEqual(whole, UInt32(2 * paragraphs))
            c.connection.close()
        }
        let spanMicros = max(50_000, Int(span / .microseconds(1)))

        var rng = SystemRandomNumberGenerator()
        var killedMidway = 0
        var answeredOK: [Int64] = []
        for round in 1...20 {
            let text = FaultTests.bigReport(round: round, paragraphs: paragraphs)
            let c = try LexstatClient(address: .tcp(host: "127.0.0.1", port: d.port), timeout: .seconds(60))
            // The task says when it is about to send; the kill is timed from then.
            let (sending, sendingNow) = AsyncStream<ContinuousClock.Instant>.makeStream()
            let call = Task { () async -> Result<Decoded<Lexstat__V1__IngestResponse>, any Error> in
                sendingNow.yield(ContinuousClock.now)
                sendingNow.finish()
                do { return .success(try await FaultTests.ingest(text, on: c)) } catch { return .failure(error) }
            }
            var sentAt = ContinuousClock.now
            for await t in sending { sentAt = t }
            // Up to 1.3 × the undisturbed call: most kills land during the ingest, some after its answer.
            let delay = Duration.microseconds(Int.random(in: 0...(spanMicros * 13 / 10), using: &rng))
            try await Task.sleep(until: sentAt + delay, clock: .continuous)
            d.kill9()
            switch await call.value {
            case .success(let r):
                let (id, stored, duplicate) = r.read { ($0.report_id, $0.observations_stored, $0.duplicate != 0) }
                XCTAssertEqual(stored, whole, "round \(round): answered OK with a partial report")
                XCTAssertFalse(duplicate, "round \(round)")
                answeredOK.append(id)
            case .failure(let e as RPCError) where e.code == .unavailable:
                killedMidway += 1
            case .failure(let e):
                XCTFail("round \(round): the ingest failed otherwise than by losing the connection: \(e)")
            }
            c.connection.close()

            // Restart on the same database; it serves the next round.
            d = try DaemonProcess(db: db)
            XCTAssertEqual(try sqlite(db, "PRAGMA integrity_check"), "ok", "round \(round)")
            // Every stored report holds all its figures: none holds part of them.
            let counts = try sqlite(db, "SELECT r.id || ':' || count(o.id) FROM reports r LEFT JOIN observations o ON o.report_id = r.id GROUP BY r.id")
            for line in counts.split(separator: "\n") {
                XCTAssertTrue(line.hasSuffix(":\(whole)"), "round \(round): report with a partial set of figures: \(line)")
            }
            let orphans = try sqlite(db, "SELECT count(*) FROM observations WHERE report_id IS NOT NULL AND report_id NOT IN (SELECT id FROM reports)")
            XCTAssertEqual(orphans, "0", "round \(round)")
            // Every ingest answered OK, this round or before, is there after the restart, whole.
            let check = try LexstatClient(address: .tcp(host: "127.0.0.1", port: d.port))
            for id in answeredOK {
                var get = Lexstat__V1__GetReportRequest.make()
                get.id = id
                do {
                    let rep = try await check.call("GetReport", get, returning: Lexstat__V1__Report.self)
                    XCTAssertEqual(rep.read { $0.observation_count }, whole, "round \(round): report \(id)")
                } catch {
                    XCTFail("round \(round): report \(id) was answered OK but is gone after the restart: \(error)")
                }
            }
            check.connection.close()
        }
        // The daemon sees what was committed: the first report and each one answered OK, and
        // one for each kill that landed after the commit but before the answer.
        let c = try LexstatClient(address: .tcp(host: "127.0.0.1", port: d.port))
        let h = try await c.health()
        let reports = Int(try sqlite(db, "SELECT count(*) FROM reports")) ?? -1
        XCTAssertEqual(h.read { Int($0.reports) }, reports)
        XCTAssertEqual(h.read { Int($0.observations) }, reports * Int(whole))
        XCTAssertGreaterThanOrEqual(reports, 1 + answeredOK.count)
        XCTAssertLessThanOrEqual(reports, 1 + 20)
        XCTAssertGreaterThan(killedMidway, 0, "some kills landed during an ingest")
        d.stop()
    }

    func testAClientThatDisconnectsMidCallHarmsNoOne() async throws {
        let d = try DaemonProcess()
        for _ in 0..<20 {
            let raw = try RawConnection(port: d.port)
            raw.send(Wire.request(callId: 1, method: TransportTests.sleep, body: sleepRequestBody(200)))
            raw.send(Wire.request(callId: 2, method: TransportTests.health))
            _ = raw.readFrames(count: 1, timeout: 2)
        } // each connection closes here with a call in flight
        try await Task.sleep(for: .milliseconds(300))
        await assertServed(d)
        XCTAssertEqual(d.stop(), 0, "drains and exits cleanly after abandoned calls")
    }

    func testIdleAndSlowConnectionsDoNotDelayOthers() async throws {
        let d = try DaemonProcess(["--max-connections", "2000", "--frame-timeout-ms", "1500"])
        var idle: [RawConnection] = []
        for _ in 0..<1000 { idle.append(try RawConnection(port: d.port)) }
        var slow: [RawConnection] = []
        let frame = Wire.request(callId: 1, method: TransportTests.health)
        for _ in 0..<200 { slow.append(try RawConnection(port: d.port)) }
        let c = try LexstatClient(address: .tcp(host: "127.0.0.1", port: d.port))
        var worst = Duration.zero
        // Three seconds of one byte a second on each slow connection, with Health calls in between.
        for second in 0..<3 {
            for s in slow where !s.closed { _ = s.sendNonBlocking([frame[second]]) }
            for _ in 0..<10 {
                let t = ContinuousClock.now
                _ = try await c.health()
                worst = max(worst, ContinuousClock.now - t)
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        XCTAssertLessThan(worst, .milliseconds(100), "Health answered within 100 ms throughout")
        // The slow ones are closed by the frame timer (1.5 s), the idle ones are not.
        var closedSlow = 0
        for s in slow where s.waitClosed(timeout: 0.05) { closedSlow += 1 }
        XCTAssertEqual(closedSlow, 200)
        let stats = d.log
        XCTAssertFalse(stats.contains("refused"), "no connection was refused")
        _ = idle.count
    }
}

/// A full disk during an ingest: RESOURCE_EXHAUSTED, nothing damaged, and ingests work again once there is room.
final class DiskFullTests: XCTestCase {
    func testIngestOnAFullDiskFailsCleanlyAndRecovers() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("f.db").path
        do {
            let d = try DaemonProcess(db: db)
            let small = try await FaultTests.ingest(FaultTests.bigReport(round: 1, paragraphs: 20), port: d.port)
            XCTAssertEqual(small.read { $0.observations_stored }, 40)
            d.stop()
        }
        let size = (try FileManager.default.attributesOfItem(atPath: db)[.size] as? NSNumber)?.intValue ?? 0
        // No file of the daemon may grow past the database's size plus 64 KiB: the big ingest needs far more.
        let limit = size + 64 * 1024
        let d = try DaemonProcess(db: db, launcher: ["/usr/bin/prlimit", "--fsize=\(limit):unlimited", "--"])
        let big = FaultTests.bigReport(round: 2, paragraphs: 3000)
        do {
            _ = try await FaultTests.ingest(big, port: d.port)
            XCTFail("expected RESOURCE_EXHAUSTED")
        } catch let e as RPCError {
            XCTAssertEqual(e.code, .resourceExhausted, e.message)
            XCTAssertTrue(e.message.contains("cannot write the database") && e.message.contains("retry"), e.message)
        }
        await assertServed(d)
        // Room again: lift the limit on the running daemon.
        let lift = Process()
        lift.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        lift.arguments = ["--pid", String(d.process.processIdentifier), "--fsize=unlimited"]
        try lift.run()
        lift.waitUntilExit()
        XCTAssertEqual(lift.terminationStatus, 0)
        let ok = try await FaultTests.ingest(big, port: d.port)
        XCTAssertEqual(ok.read { $0.observations_stored }, 6000)
        XCTAssertEqual(ok.read { $0.duplicate }, 0)
        d.stop()
        XCTAssertEqual(try sqlite(db, "PRAGMA integrity_check"), "ok")
        XCTAssertEqual(try sqlite(db, "SELECT group_concat(n) FROM (SELECT count(o.id) AS n FROM reports r LEFT JOIN observations o ON o.report_id = r.id GROUP BY r.id ORDER BY r.id)"),
                       "40,6000", "the earlier report is intact and the retried one whole")
    }
}
