import Foundation
import LexstatService
import XCTest

/// The `/metrics` and `/healthz` endpoint: connections that say nothing must
/// not hold up the liveness probe.
final class MetricsServerTests: XCTestCase {
    private func server() throws -> MetricsServer {
        try MetricsServer(host: "127.0.0.1", port: 0, metrics: { "lexstat_up 1\n" }, health: { (true, "ok") })
    }

    /// A connected TCP socket that sends nothing.
    private func silentConnection(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_addr.s_addr = inet_addr("127.0.0.1")
        sin.sin_port = in_port_t(UInt16(port).bigEndian)
        let rc = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(rc, 0)
        return fd
    }

    /// GET of a path: the status and the time it took, nil on no answer.
    private func get(_ port: Int, _ path: String) -> (status: Int, body: String, seconds: Double)? {
        let started = Date()
        let fd = silentConnection(port)
        defer { close(fd) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let req = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        guard req.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == req.count else { return nil }
        var data: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            data += buf[0..<n]
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let head = text.range(of: "\r\n\r\n"),
              let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap({ Int($0) }) else { return nil }
        return (status, String(text[head.upperBound...]), Date().timeIntervalSince(started))
    }

    func testHealthzAnswersAtOnceWhileIdleConnectionsAreOpen() throws {
        let s = try server()
        defer { s.stop() }
        let idle = (0..<3).map { _ in silentConnection(s.port) }
        defer { idle.forEach { close($0) } }
        Thread.sleep(forTimeInterval: 0.1) // accepted before the probe
        guard let h = get(s.port, "/healthz") else { return XCTFail("no answer from /healthz") }
        XCTAssertEqual(h.status, 200)
        XCTAssertEqual(h.body, "ok\n")
        XCTAssertLessThan(h.seconds, 0.5, "idle connections do not hold the probe for their 2 s timeout")
        XCTAssertEqual(get(s.port, "/metrics")?.body, "lexstat_up 1\n")
    }

    func testMoreIdleConnectionsThanTheCapMakeRoomAndEachIsClosedAtItsDeadline() throws {
        let s = try server()
        defer { s.stop() }
        let idle = (0..<(MetricsServer.maxClients + 6)).map { _ in silentConnection(s.port) }
        defer { idle.forEach { close($0) } }
        Thread.sleep(forTimeInterval: 0.1)
        let h = get(s.port, "/healthz")
        XCTAssertEqual(h?.status, 200)
        XCTAssertLessThan(h?.seconds ?? 99, 0.5, "over the cap, the oldest connection makes room")
        // The per-request limit stays: a connection that says nothing is closed after 2 s.
        let last = idle[idle.count - 1]
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(last, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var b: UInt8 = 0
        let started = Date()
        XCTAssertEqual(recv(last, &b, 1, 0), 0, "closed by the server")
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThan(waited, 1.5)
        XCTAssertLessThan(waited, 3.5)
    }
}
