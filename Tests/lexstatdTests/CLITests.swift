import Foundation
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

    func testAnUnreachableServerIsUnavailableAndNonZero() throws {
        let r = try lexstat(["health", "--server", "127.0.0.1:1"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.err.contains("UNAVAILABLE: cannot connect to 127.0.0.1:1"), r.err)
        XCTAssertEqual(r.out, "")
    }

    func testBadOptionsAreExplained() throws {
        let r = try lexstat(["health", "--server", "nonsense"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.err.contains("--server nonsense: expected HOST:PORT or unix:PATH"), r.err)
        let f = try lexstat(["health", "--format", "xml"])
        XCTAssertNotEqual(f.status, 0)
        XCTAssertTrue(f.err.contains("xml"), f.err)
    }

    func testHelpNamesTheCommands() throws {
        let r = try lexstat(["--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.contains("health"))
        XCTAssertTrue(r.out.contains("methods"))
        let h = try lexstat(["health", "--help"])
        XCTAssertTrue(h.out.contains("--server"), h.out)
        XCTAssertTrue(h.out.contains("--timeout"), h.out)
    }
}
