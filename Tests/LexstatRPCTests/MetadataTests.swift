import LexstatRPC
import XCTest

final class MetadataTests: XCTestCase {
    func testRoundTripAndLowercasesKeys() {
        var md: Metadata = ["Authorization": "Bearer t0k", "request-id": "r-1"]
        md["X-Empty"] = ""
        let bytes = md.encoded()
        let back = bytes.withUnsafeBytes { Metadata(decoding: $0) }
        XCTAssertEqual(back["authorization"], "Bearer t0k")
        XCTAssertEqual(back["request-id"], "r-1")
        XCTAssertEqual(back["x-empty"], "")
        XCTAssertEqual(back, md)
    }

    func testTruncatedInputKeepsEntriesBeforeTheFault() {
        let md: Metadata = ["a": "1", "b": "2"]
        let bytes = Array(md.encoded().dropLast())
        let back = bytes.withUnsafeBytes { Metadata(decoding: $0) }
        XCTAssertEqual(back["a"], "1")
        XCTAssertNil(back["b"])
    }

    func testStatusCodeNames() {
        XCTAssertEqual(StatusCode.invalidArgument.name, "INVALID_ARGUMENT")
        XCTAssertEqual(StatusCode(name: "UNAUTHENTICATED"), .unauthenticated)
        XCTAssertEqual(StatusCode(rawValue: 99).name, "UNKNOWN(99)")
        XCTAssertEqual(RPCError(.notFound, "no region 成都X").description, "NOT_FOUND: no region 成都X")
    }
}
