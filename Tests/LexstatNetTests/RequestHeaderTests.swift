import LexstatNet
import XCTest

final class RequestHeaderTests: XCTestCase {
    private func parse(_ payload: [UInt8]) -> (Int32, lx_request_t, String?) {
        var r = lx_request_t()
        var reason: UnsafePointer<CChar>?
        let rc = lx_request_parse(payload, payload.count, &r, &reason)
        return (rc, r, reason.map { String(cString: $0) })
    }

    private func payload(of frame: [UInt8]) -> [UInt8] { Array(frame[Int(LX_FRAME_HEADER_LEN)...]) }

    func testRoundTrip() {
        let md: [UInt8] = [13] + Array("authorization".utf8) + [0, 6] + Array("Bearer".utf8)
        let p = payload(of: Wire.request(callId: 1, method: "lexstat.v1.Lexstat/Health", timeoutMs: 1500,
                                         metadata: md, body: [1, 2, 3]))
        let (rc, r, _) = parse(p)
        XCTAssertEqual(rc, 0)
        XCTAssertEqual(r.timeout_ms, 1500)
        XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(start: r.method, count: r.method_len), as: UTF8.self),
                       "lexstat.v1.Lexstat/Health")
        XCTAssertEqual(Array(UnsafeBufferPointer(start: r.body, count: r.body_len)), [1, 2, 3])
        var val: UnsafePointer<UInt8>?
        var vlen = 0
        XCTAssertEqual(lx_metadata_get(r.metadata, r.metadata_len, "authorization", &val, &vlen), 1)
        XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(start: val, count: vlen), as: UTF8.self), "Bearer")
        XCTAssertEqual(lx_metadata_get(r.metadata, r.metadata_len, "request-id", &val, &vlen), 0)
    }

    func testShortHeader() {
        let (rc, _, reason) = parse([0, 0, 0])
        XCTAssertEqual(rc, LX_EBADREQUEST)
        XCTAssertEqual(reason, "request header shorter than its fixed fields")
    }

    func testEmptyMethod() {
        let (rc, _, reason) = parse([0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(rc, LX_EBADREQUEST)
        XCTAssertTrue(reason?.hasPrefix("method name empty") ?? false)
    }

    func testMethodPastPayload() {
        let (rc, _, _) = parse([0, 0, 0, 0, 0, 50, 65, 66])
        XCTAssertEqual(rc, LX_EBADREQUEST)
    }

    func testMetadataPastPayload() {
        let (rc, _, reason) = parse([0, 0, 0, 0, 0, 1, 65, 0, 9, 1, 65])
        XCTAssertEqual(rc, LX_EBADREQUEST)
        XCTAssertTrue(reason?.contains("metadata") ?? false)
    }

    func testMalformedMetadataEntry() {
        // key length 5 but only 2 bytes follow
        let (rc, _, reason) = parse([0, 0, 0, 0, 0, 1, 65, 0, 3, 5, 65, 66])
        XCTAssertEqual(rc, LX_EBADREQUEST)
        XCTAssertEqual(reason, "metadata entries malformed")
    }

    func testResponseAndGoAwayParse() {
        var resp: [UInt8] = [5, 0, 0, 2] + Array("no".utf8) + [9, 9]
        var status: UInt8 = 0
        var msg: UnsafePointer<CChar>?
        var mlen = 0
        var body: UnsafePointer<UInt8>?
        var blen = 0
        XCTAssertEqual(lx_response_parse(resp, resp.count, &status, &msg, &mlen, &body, &blen), 0)
        XCTAssertEqual(status, 5)
        XCTAssertEqual(mlen, 2)
        XCTAssertEqual(blen, 2)
        resp[3] = 200
        XCTAssertEqual(lx_response_parse(resp, resp.count, &status, &msg, &mlen, &body, &blen), LX_EBADFRAME)
        let ga: [UInt8] = [0, 0, 0, 7, 14, 0, 0, 3] + Array("bye".utf8)
        var last: UInt32 = 0
        XCTAssertEqual(lx_goaway_parse(ga, ga.count, &last, &status, &msg, &mlen), 0)
        XCTAssertEqual(last, 7)
        XCTAssertEqual(status, 14)
        XCTAssertEqual(lx_goaway_parse(ga, ga.count - 1, &last, &status, &msg, &mlen), LX_EBADFRAME)
    }

    func testStatusNamesAndErrors() {
        XCTAssertEqual(String(cString: lx_status_name(0)), "OK")
        XCTAssertEqual(String(cString: lx_status_name(16)), "UNAUTHENTICATED")
        XCTAssertEqual(String(cString: lx_status_name(17)), "UNKNOWN")
        XCTAssertEqual(String(cString: lx_strerror(LX_ETOOBIG)), "frame larger than the limit")
    }
}
