import LexstatNet

/// Builds wire bytes for tests.
enum Wire {
    static func preface() -> [UInt8] {
        var p = [UInt8](repeating: 0, count: Int(LX_PREFACE_LEN))
        lx_preface_put(&p)
        return p
    }

    static func frame(type: UInt32, flags: UInt8 = 0, callId: UInt32, payload: [UInt8]) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: Int(LX_FRAME_HEADER_LEN))
        lx_frame_put_header(&h, UInt8(type), flags, callId, UInt32(payload.count))
        return h + payload
    }

    static func request(callId: UInt32, method: String, timeoutMs: UInt32 = 0, metadata: [UInt8] = [],
                        body: [UInt8] = []) -> [UInt8] {
        let m = Array(method.utf8)
        var p = [UInt8](repeating: 0, count: lx_request_size(m.count, metadata.count, body.count))
        m.withUnsafeBufferPointer { mp in
            mp.withMemoryRebound(to: CChar.self) { mc in
                lx_request_put(&p, timeoutMs, mc.baseAddress, mc.count, metadata, metadata.count, body, body.count)
            }
        }
        return frame(type: LX_FRAME_REQUEST.rawValue, callId: callId, payload: p)
    }
}

/// A decoded frame, copied out of the decoder.
struct Frame: Equatable {
    var type: UInt8
    var flags: UInt8
    var callId: UInt32
    var payload: [UInt8]
}

/// Feeds bytes in chunks and collects frames or the first error.
func decodeAll(_ bytes: [UInt8], chunks: [Int], maxPayload: UInt32 = 1 << 20, preface: Bool = true)
    -> (frames: [Frame], error: Int32) {
    var d = lx_decoder_t()
    lx_decoder_init(&d, maxPayload, preface ? 1 : 0)
    defer { lx_decoder_free(&d) }
    var frames: [Frame] = []
    var i = 0
    var ci = 0
    while i < bytes.count {
        let n = min(chunks.isEmpty ? bytes.count : max(1, chunks[ci % chunks.count]), bytes.count - i)
        ci += 1
        let rc0 = bytes[i..<i + n].withUnsafeBytes { lx_decoder_feed(&d, $0.baseAddress, n) }
        precondition(rc0 == 0)
        i += n
        var f = lx_frame_t()
        while true {
            let rc = lx_decoder_next(&d, &f)
            if rc == 0 { break }
            if rc < 0 { return (frames, rc) }
            frames.append(Frame(type: f.type, flags: f.flags, callId: f.call_id,
                                payload: Array(UnsafeBufferPointer(start: f.payload, count: Int(f.payload_len)))))
        }
    }
    return (frames, 0)
}
