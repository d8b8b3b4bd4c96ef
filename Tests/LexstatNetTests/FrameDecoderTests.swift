import LexstatNet
import XCTest

final class FrameDecoderTests: XCTestCase {
    private func sample() -> (bytes: [UInt8], frames: [Frame]) {
        var bytes = Wire.preface()
        var frames: [Frame] = []
        for id in UInt32(1)...20 {
            let payload = (0..<Int(id * 37 % 300)).map { UInt8(truncatingIfNeeded: $0 &* Int(id)) }
            bytes += Wire.frame(type: LX_FRAME_REQUEST.rawValue, flags: UInt8(id % 2), callId: id, payload: payload)
            frames.append(Frame(type: UInt8(LX_FRAME_REQUEST.rawValue), flags: UInt8(id % 2), callId: id, payload: payload))
        }
        bytes += Wire.frame(type: LX_FRAME_PING.rawValue, callId: 0, payload: [])
        frames.append(Frame(type: UInt8(LX_FRAME_PING.rawValue), flags: 0, callId: 0, payload: []))
        return (bytes, frames)
    }

    func testWholeFrames() {
        let s = sample()
        let r = decodeAll(s.bytes, chunks: [])
        XCTAssertEqual(r.error, 0)
        XCTAssertEqual(r.frames, s.frames)
    }

    func testOneByteAtATime() {
        let s = sample()
        let r = decodeAll(s.bytes, chunks: [1])
        XCTAssertEqual(r.error, 0)
        XCTAssertEqual(r.frames, s.frames)
    }

    func testRandomChunkSizes() {
        let s = sample()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let chunks = (0..<16).map { _ in Int.random(in: 1...700, using: &rng) }
            let r = decodeAll(s.bytes, chunks: chunks)
            XCTAssertEqual(r.error, 0, "chunks \(chunks)")
            XCTAssertEqual(r.frames, s.frames, "chunks \(chunks)")
        }
    }

    func testLargeFrameAcrossManyReads() {
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let bytes = Wire.preface() + Wire.frame(type: LX_FRAME_REQUEST.rawValue, callId: 9, payload: payload)
        let r = decodeAll(bytes, chunks: [4096, 65536, 1])
        XCTAssertEqual(r.error, 0)
        XCTAssertEqual(r.frames.first?.payload, payload)
    }

    func testBadPrefaceIsRefusedAtTheFirstWrongByte() {
        let r = decodeAll(Array("GET / HTTP/1.1\r\n".utf8), chunks: [1])
        XCTAssertEqual(r.error, LX_EBADPREFACE)
        XCTAssertTrue(r.frames.isEmpty)
        XCTAssertEqual(decodeAll([0x4c, 0x58, 0x00], chunks: [1]).error, LX_EBADPREFACE)
    }

    func testOtherVersionIsNamed() {
        var p = Wire.preface()
        p[4] = 2
        XCTAssertEqual(decodeAll(p, chunks: []).error, LX_EVERSION)
    }

    func testLengthOverTheLimitIsRefusedBeforeBuffering() {
        var bytes = Wire.preface()
        var h = [UInt8](repeating: 0, count: Int(LX_FRAME_HEADER_LEN))
        lx_frame_put_header(&h, UInt8(LX_FRAME_REQUEST.rawValue), 0, 1, 1025)
        bytes += h // no payload sent: the header alone must be enough to refuse
        XCTAssertEqual(decodeAll(bytes, chunks: [], maxPayload: 1024).error, LX_ETOOBIG)
        // Exactly at the limit is fine.
        let ok = Wire.preface() + Wire.frame(type: LX_FRAME_REQUEST.rawValue, callId: 1, payload: [UInt8](repeating: 1, count: 1024))
        XCTAssertEqual(decodeAll(ok, chunks: [100], maxPayload: 1024).frames.count, 1)
    }

    func testErrorIsSticky() {
        var d = lx_decoder_t()
        lx_decoder_init(&d, 1024, 1)
        defer { lx_decoder_free(&d) }
        let junk: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]
        _ = lx_decoder_feed(&d, junk, junk.count)
        var f = lx_frame_t()
        XCTAssertEqual(lx_decoder_next(&d, &f), LX_EBADPREFACE)
        let good = Wire.preface()
        _ = lx_decoder_feed(&d, good, good.count)
        XCTAssertEqual(lx_decoder_next(&d, &f), LX_EBADPREFACE)
    }

    func testPartialCountsBegunFrames() {
        var d = lx_decoder_t()
        lx_decoder_init(&d, 1024, 0)
        defer { lx_decoder_free(&d) }
        XCTAssertEqual(lx_decoder_partial(&d), 0)
        let f = Wire.frame(type: LX_FRAME_PING.rawValue, callId: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8])
        _ = lx_decoder_feed(&d, f, 5)
        var out = lx_frame_t()
        XCTAssertEqual(lx_decoder_next(&d, &out), 0)
        XCTAssertEqual(lx_decoder_partial(&d), 5)
        _ = f[5...].withUnsafeBytes { lx_decoder_feed(&d, $0.baseAddress, f.count - 5) }
        XCTAssertEqual(lx_decoder_next(&d, &out), 1)
        XCTAssertEqual(lx_decoder_partial(&d), 0)
    }
}
