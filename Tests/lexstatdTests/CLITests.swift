import Foundation
import LexstatClient
import XCTest

/// The `lexstat` command as a user runs it.
final class CLITests: XCTestCase {
    func lexstat(_ args: [String], env: [String: String] = [:]) throws -> CLIRun {
        try runLexstat(args, env: env)
    }

    func testHealthPrintsServing() throws {
        let d = try DaemonProcess()
        let r = try lexstat(["health", "--server", "127.0.0.1:\(d.port)"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, "SERVING\n")
        let u = try lexstat(["health"], env: ["LEXSTAT_SERVER": "unix:\(d.socketPath)"])
        XCTAssertEqual(u.out, "SERVING\n", u.err)
    }

    func testHealthAsJSONAndCSV() throws {
        let d = try DaemonProcess()
        let j = try lexstat(["health", "--server", "127.0.0.1:\(d.port)", "--format", "json"])
        let obj = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any]
        XCTAssertEqual(obj?["status"] as? String, "serving")
        let c = try lexstat(["health", "--server", "127.0.0.1:\(d.port)", "--format", "csv"])
        XCTAssertTrue(c.out.hasPrefix("status,version,uptime_ms,reports,observations\nSERVING,"), c.out)
    }

    func testMethodsListsTheService() throws {
        let d = try DaemonProcess()
        let r = try lexstat(["methods", "--server", "unix:\(d.socketPath)"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("METHOD"), r.out)
        XCTAssertTrue(r.out.contains("lexstat.v1.Lexstat/Health"))
        XCTAssertTrue(r.out.contains("lexstat.v1.Lexstat/ListMethods"))
    }

    func testAnUnreachableServerIsNotServingAndNonZero() throws {
        // Nothing listens on port 1.
        let r = try lexstat(["health", "--server", "127.0.0.1:1"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.out, "NOT_SERVING\n")
        XCTAssertTrue(r.err.contains("UNAVAILABLE: cannot connect to 127.0.0.1:1"), r.err)
        let j = try lexstat(["health", "--server", "127.0.0.1:1", "--format", "json"])
        XCTAssertEqual(j.status, 1)
        let obj = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any]
        XCTAssertEqual(obj?["status"] as? String, "not_serving", j.out)
        XCTAssertTrue((obj?["reason"] as? String)?.contains("cannot connect") ?? false, j.out)
        // Other commands still fail with the error alone.
        let m = try lexstat(["methods", "--server", "127.0.0.1:1"])
        XCTAssertNotEqual(m.status, 0)
        XCTAssertEqual(m.out, "")
        XCTAssertTrue(m.err.contains("UNAVAILABLE: cannot connect to 127.0.0.1:1"), m.err)
    }

    func testADrainingServerIsNotServing() async throws {
        let d = try DaemonProcess()
        XCTAssertEqual(try lexstat(["health", "--server", "127.0.0.1:\(d.port)"]).out, "SERVING\n")
        // A call in flight keeps the drain going while health is asked.
        let c = try Connection(to: .tcp(host: "127.0.0.1", port: d.port))
        async let slow = c.call(TransportTests.sleep, sleepRequestBody(1500), timeout: .seconds(10))
        try await Task.sleep(for: .milliseconds(150))
        kill(d.process.processIdentifier, SIGTERM)
        XCTAssertNotNil(d.waitForLine(containing: "draining", timeout: 5), d.log)
        let r = try lexstat(["health", "--server", "127.0.0.1:\(d.port)", "--timeout", "3"])
        XCTAssertEqual(r.status, 1, r.err)
        XCTAssertEqual(r.out, "NOT_SERVING\n")
        XCTAssertTrue(r.err.contains("UNAVAILABLE"), r.err)
        XCTAssertTrue(d.process.isRunning, "asked while the drain was under way")
        _ = try await slow
        XCTAssertEqual(d.stop(), 0)
    }

    func testBadOptionsAreExplained() throws {
        let r = try lexstat(["health", "--server", "nonsense"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.err.contains("--server nonsense: expected HOST:PORT or unix:PATH"), r.err)
        let t = try lexstat(["health", "--timeout", "0"])
        XCTAssertNotEqual(t.status, 0)
        XCTAssertTrue(t.err.contains("--timeout must be greater than 0 and at most 86400 seconds"), t.err)
        let f = try lexstat(["health", "--format", "xml"])
        XCTAssertNotEqual(f.status, 0)
        XCTAssertTrue(f.err.contains("xml"), f.err)
        let k = try lexstat(["health", "--token-file", "/nonexistent/token"])
        XCTAssertNotEqual(k.status, 0)
        XCTAssertTrue(k.err.contains("/nonexistent/token: cannot read the token file: no such file"), k.err)
    }

    func testHelpNamesTheCommands() throws {
        let r = try lexstat(["--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.contains("health"))
        XCTAssertTrue(r.out.contains("methods"))
        XCTAssertTrue(r.out.contains("--server, --format, --timeout and --token-file"), "every global option is named: \(r.out)")
        let h = try lexstat(["health", "--help"])
        XCTAssertTrue(h.out.contains("--server"), h.out)
        XCTAssertTrue(h.out.contains("--timeout"), h.out)
        let flat = h.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(flat.contains("Output format. (values: table, json, csv; default: table)"), "the values once: \(h.out)")
        XCTAssertTrue(h.out.contains("NOT_SERVING and exits 1"), h.out)
        XCTAssertTrue(h.out.contains("UNAVAILABLE"), h.out)
    }
}
