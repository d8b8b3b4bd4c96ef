import LexstatCore
import LexstatRPC
import LexstatService
import LexstatWire
import XCTest

final class MethodTableTests: XCTestCase {
    private func table() -> MethodTable {
        var b = MethodTableBuilder()
        b.unary("Health", Lexstat__V1__HealthRequest.self, Lexstat__V1__HealthResponse.self, summary: "h") { (_, req, arena) throws(RPCError) in
            if wireString(req.service) == "boom" { throw RPCError(LexstatError.notFound("no such thing")) }
            var r = Lexstat__V1__HealthResponse.make()
            r.version = arena.string("v-" + wireString(req.service))
            return r
        }
        b.addTesting()
        return b.build()
    }

    func testFullNamesAndLookup() {
        let t = table()
        XCTAssertNotNil(t["lexstat.v1.Lexstat/Health"])
        XCTAssertNil(t["Health"])
        XCTAssertEqual(t["lexstat.v1.Lexstat/Health"]?.requestType, "lexstat.v1.HealthRequest")
        XCTAssertEqual(t.sorted.map(\.name).first, "lexstat.testing.v1.Testing/Echo")
    }

    func testInvokeDecodesRunsAndEncodes() throws {
        let ctx = RequestContext(method: "lexstat.v1.Lexstat/Health")
        let arena = WireArena()
        var req = Lexstat__V1__HealthRequest.make()
        req.service = arena.string("x")
        let out = try table().invokeUnary("lexstat.v1.Lexstat/Health", ctx, req.encoded())
        let d = try Lexstat__V1__HealthResponse.decode(out)
        XCTAssertEqual(d.read { wireString($0.version) }, "v-x")
    }

    func testDomainErrorsBecomeStatuses() {
        let arena = WireArena()
        var req = Lexstat__V1__HealthRequest.make()
        req.service = arena.string("boom")
        XCTAssertThrowsError(try table().invokeUnary("lexstat.v1.Lexstat/Health", RequestContext(method: "m"), req.encoded())) { e in
            XCTAssertEqual((e as? RPCError)?.code, .notFound)
            XCTAssertEqual((e as? RPCError)?.message, "no such thing")
        }
    }

    func testMalformedBodyIsInvalidArgument() {
        XCTAssertThrowsError(try table().invokeUnary("lexstat.v1.Lexstat/Health", RequestContext(method: "m"), [0xff, 0xff])) { e in
            XCTAssertEqual((e as? RPCError)?.code, .invalidArgument)
        }
    }

    func testListenAddresses() {
        XCTAssertEqual(ListenAddress(parsing: "127.0.0.1:0"), .tcp(host: "127.0.0.1", port: 0))
        XCTAssertEqual(ListenAddress(parsing: "[::1]:7433"), .tcp(host: "::1", port: 7433))
        XCTAssertEqual(ListenAddress(parsing: "./var/x.sock"), .unix(path: "./var/x.sock"))
        XCTAssertNil(ListenAddress(parsing: "7433"))
        XCTAssertNil(ListenAddress(parsing: "h:99999"))
    }

    func testErrorMappingCoversEveryDomainError() {
        let pairs: [(LexstatError, StatusCode)] = [
            (.invalidArgument("a"), .invalidArgument), (.notFound("a"), .notFound), (.alreadyExists("a"), .alreadyExists),
            (.failedPrecondition("a"), .failedPrecondition), (.resourceExhausted("a"), .resourceExhausted),
            (.permissionDenied("a"), .permissionDenied), (.unauthenticated("a"), .unauthenticated),
            (.unavailable("a"), .unavailable), (.deadlineExceeded("a"), .deadlineExceeded), (.cancelled("a"), .cancelled),
            (.internalError("a"), .internalError),
        ]
        for (e, code) in pairs { XCTAssertEqual(RPCError(e).code, code, "\(e)") }
    }
}
