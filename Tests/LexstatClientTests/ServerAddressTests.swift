import LexstatRPC
import LexstatClient
import XCTest

final class ServerAddressTests: XCTestCase {
    func testParses() {
        XCTAssertEqual(ServerAddress(parsing: "127.0.0.1:7433"), .tcp(host: "127.0.0.1", port: 7433))
        XCTAssertEqual(ServerAddress(parsing: "[::1]:7433"), .tcp(host: "::1", port: 7433))
        XCTAssertEqual(ServerAddress(parsing: "unix:/run/lexstatd.sock"), .unix(path: "/run/lexstatd.sock"))
        XCTAssertEqual(ServerAddress(parsing: "[::1]:7433")?.description, "[::1]:7433")
    }

    func testRefuses() {
        for bad in ["", "localhost", "host:0", "host:70000", "unix:", ":80", "host:x"] {
            XCTAssertNil(ServerAddress(parsing: bad), bad)
        }
    }

    func testConnectingNowhereIsUnavailable() {
        XCTAssertThrowsError(try Connection(to: .unix(path: "/nonexistent/lexstat.sock"))) { e in
            XCTAssertEqual((e as? RPCError)?.code, .unavailable)
        }
    }
}
