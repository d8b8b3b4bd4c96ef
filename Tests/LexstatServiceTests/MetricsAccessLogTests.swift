import Foundation
import LexstatService
import XCTest

/// The access log: one line per call, safe against what clients send.
final class MetricsAccessLogTests: XCTestCase {
    override func setUp() {
        signal(SIGPIPE, SIG_IGN) // as lexstatd does: a writer meets closed pipes here
    }

    /// Lines an access log writes into a pipe.
    func lines(_ body: (AccessLog) -> Void) -> [String] {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let log = AccessLog(enabled: true, writer: LineWriter(fd: fds[1]))
        body(log)
        log.flush()
        close(fds[1])
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while case let n = read(fds[0], &buf, buf.count), n > 0 { data += buf[0..<n] }
        close(fds[0])
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func testALineHasMethodStatusDurationPeerAndRequestID() throws {
        let out = lines { $0.call(method: "lexstat.v1.Lexstat/Health", status: 0, nanos: 1_234_567, peer: "127.0.0.1:5000", requestID: "r-1") }
        XCTAssertEqual(out.count, 1)
        let line = try XCTUnwrap(out.first)
        XCTAssertNotNil(line.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info lexstatd\.access: call "#, options: .regularExpression), line)
        XCTAssertTrue(line.hasSuffix("call method=lexstat.v1.Lexstat/Health status=OK ms=1.234 peer=127.0.0.1:5000 request_id=r-1"), line)
    }

    func testWhatAClientSendsCannotForgeALine() throws {
        let out = lines {
            $0.call(method: "x\ninfo lexstatd: forged", status: 12, nanos: 5_000, peer: "unix",
                    requestID: "a \"b\" \\ c" + String(repeating: "z", count: 300))
        }
        XCTAssertEqual(out.count, 1, "\(out)")
        let line = try XCTUnwrap(out.first)
        XCTAssertTrue(line.contains(#"method="x\x0ainfo lexstatd: forged" status=UNIMPLEMENTED ms=0.005 peer=unix"#), line)
        XCTAssertTrue(line.contains(#"request_id="a \"b\" \\ c"#), line)
        XCTAssertTrue(line.hasSuffix("…\""), "long values are cut: \(line)")
        XCTAssertLessThan(line.utf8.count, 400)
    }

    func testSwitchedOffItWritesNothing() {
        let out = lines { log in
            log.isEnabled = false
            log.call(method: "m", status: 0, nanos: 1, peer: "p", requestID: nil)
            log.isEnabled = true
            log.call(method: "n", status: 0, nanos: 1, peer: "p", requestID: nil)
        }
        XCTAssertEqual(out.count, 1)
        XCTAssertTrue(out[0].contains("method=n "), out[0])
        XCTAssertFalse(out[0].contains("request_id"), "no request id, no field")
    }

    func testAWriterTooFarBehindDropsAndCountsLines() {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        // Nobody reads the pipe: once it and the 1 KiB buffer are full, lines are dropped.
        let log = AccessLog(enabled: true, writer: LineWriter(fd: fds[1], maxBuffered: 1024))
        for _ in 0..<5000 { log.call(method: "m", status: 0, nanos: 1, peer: "p", requestID: nil) }
        XCTAssertGreaterThan(log.dropped, 0)
        // Drain the pipe and let the writer finish before closing it: its thread still holds
        // lines, and a descriptor closed under it is soon another test's pipe, which they
        // would land in (the next test once read 8,011 lines of its 8,000).
        let readEnd = fds[0]
        let drained = DispatchGroup()
        DispatchQueue.global().async(group: drained) {
            var buf = [UInt8](repeating: 0, count: 65536)
            while read(readEnd, &buf, buf.count) > 0 {}
        }
        log.flush()
        close(fds[1])
        drained.wait()
        close(fds[0])
    }

    func testLinesFromManyThreadsArriveWholeAndAllOfThem() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let readEnd = fds[0]
        let log = AccessLog(enabled: true, writer: LineWriter(fd: fds[1]))
        let reader = DispatchQueue(label: "reader")
        let group = DispatchGroup()
        nonisolated(unsafe) var data: [UInt8] = []
        reader.async(group: group) {
            var buf = [UInt8](repeating: 0, count: 65536)
            while case let n = read(readEnd, &buf, buf.count), n > 0 { data += buf[0..<n] }
        }
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            for i in 0..<2000 {
                log.call(method: "lexstat.v1.Lexstat/Health", status: 0, nanos: UInt64(i), peer: "t\(t)", requestID: "r-\(t)-\(i)")
            }
        }
        log.flush()
        close(fds[1])
        group.wait()
        close(readEnd)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 8000)
        XCTAssertTrue(lines.allSatisfy { $0.contains(" info lexstatd.access: call method=") && $0.contains(" request_id=r-") })
        XCTAssertEqual(Set(lines.map { $0.split(separator: "=").last! }).count, 8000)
    }
}
