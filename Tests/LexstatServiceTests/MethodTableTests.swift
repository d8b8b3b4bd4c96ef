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

/// Every request is validated after decoding: UTF-8, lengths, enum values.
final class RequestValidationTests: XCTestCase {
    func table() -> MethodTable {
        var b = MethodTableBuilder()
        b.unary("ListRegions", Lexstat__V1__ListRegionsRequest.self, Lexstat__V1__ListRegionsResponse.self, summary: "r") { _, _, _ in
            Lexstat__V1__ListRegionsResponse.make()
        }
        b.unary("ImportObservations", Lexstat__V1__ImportObservationsRequest.self, Lexstat__V1__ImportObservationsResponse.self,
                summary: "i") { _, _, _ in Lexstat__V1__ImportObservationsResponse.make() }
        return b.build()
    }

    func message(_ method: String, _ body: [UInt8]) -> String? {
        do {
            _ = try table().invokeUnary("lexstat.v1.Lexstat/" + method, RequestContext(method: method), body)
            return nil
        } catch {
            XCTAssertEqual((error as? RPCError)?.code, .invalidArgument)
            return (error as? RPCError)?.message
        }
    }

    /// A field-1 string (`parent`) with raw bytes.
    func regionsRequest(parentBytes: [UInt8], level: UInt8 = 0) -> [UInt8] {
        var b: [UInt8] = [0x0a]
        var n = parentBytes.count
        while n >= 0x80 { b.append(UInt8(n & 0x7f) | 0x80); n >>= 7 }
        b.append(UInt8(n))
        b += parentBytes
        if level != 0 { b += [0x10, level] }
        return b
    }

    func testInvalidUTF8IsRefusedNamingTheField() {
        XCTAssertEqual(message("ListRegions", regionsRequest(parentBytes: [0xe6, 0x88])), "parent: not valid UTF-8")
        XCTAssertNil(message("ListRegions", regionsRequest(parentBytes: Array("成都市".utf8))))
    }

    func testOverLongStringsAreRefused() {
        XCTAssertEqual(message("ListRegions", regionsRequest(parentBytes: Array(repeating: 0x61, count: 5000))),
                       "parent: 5000 bytes, at most 4096")
    }

    func testDocumentFieldsMayBeLong() {
        var body: [UInt8] = [0x0a, 0x88, 0x27] // csv, 5000 bytes
        body += Array(repeating: 0x61, count: 5000)
        XCTAssertNil(message("ImportObservations", body))
    }

    func testUndefinedEnumValuesAreRefused() {
        let m = message("ListRegions", regionsRequest(parentBytes: [], level: 9))
        XCTAssertTrue(m?.hasPrefix("level: 9 is not a RegionLevel") ?? false, m ?? "")
    }
}
