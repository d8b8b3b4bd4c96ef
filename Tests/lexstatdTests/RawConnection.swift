import Foundation
import LexstatNet

/// A bare TCP connection for sending bytes the client library never would.
/// Sending from one thread while reading on another is safe: the decoder is touched only by the reader.
final class RawConnection: @unchecked Sendable {
    let fd: Int32
    private var decoder = lx_decoder_t()
    private(set) var closed = false

    init(port: Int, sendPreface: Bool = true) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = in_port_t(UInt16(port).bigEndian)
        sa.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        lx_decoder_init(&decoder, 64 << 20, 1)
        if sendPreface { send(Wire.preface()) }
    }

    /// The same over a Unix socket, whose kernel buffers are small and fixed (no TCP window tuning).
    init(unixPath: String, sendPreface: Bool = true) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var sa = sockaddr_un()
        sa.sun_family = sa_family_t(AF_UNIX)
        let path = Array(unixPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: sa.sun_path) else { close(fd); throw POSIXError(.ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &sa.sun_path) { $0.copyBytes(from: path) }
        let rc = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        lx_decoder_init(&decoder, 64 << 20, 1)
        if sendPreface { send(Wire.preface()) }
    }

    deinit {
        lx_decoder_free(&decoder)
        close(fd)
    }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    /// Sends without blocking; returns how many bytes went out.
    func sendNonBlocking(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
    }

    /// Reads frames until `count` arrived, the connection closed, or the timeout passed.
    func readFrames(count: Int = .max, timeout: TimeInterval) -> [Frame] {
        var frames: [Frame] = []
        let end = Date().addingTimeInterval(timeout)
        while frames.count < count && !closed {
            let left = end.timeIntervalSinceNow
            if left <= 0 { break }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, Int32(max(1, left * 1000))) <= 0 { continue }
            var space: UnsafeMutablePointer<UInt8>?
            var avail = 0
            lx_decoder_reserve(&decoder, 65536, &space, &avail)
            let n = read(fd, space, avail)
            if n <= 0 { closed = true; break }
            lx_decoder_commit(&decoder, n)
            var f = lx_frame_t()
            while lx_decoder_next(&decoder, &f) == 1 {
                frames.append(Frame(type: f.type, flags: f.flags, callId: f.call_id,
                                    payload: Array(UnsafeBufferPointer(start: f.payload, count: Int(f.payload_len)))))
            }
        }
        return frames
    }

    /// Reads until the server closes; true if it did within the timeout.
    func waitClosed(timeout: TimeInterval) -> Bool {
        _ = readFrames(timeout: timeout)
        return closed
    }
}

struct Frame: Equatable {
    var type: UInt8
    var flags: UInt8
    var callId: UInt32
    var payload: [UInt8]

    var isResponse: Bool { type == UInt8(LX_FRAME_RESPONSE.rawValue) }
    var isGoAway: Bool { type == UInt8(LX_FRAME_GOAWAY.rawValue) }

    /// Status and message of a RESPONSE or GOAWAY frame.
    var status: (code: Int, message: String)? {
        if isResponse, payload.count >= 4 {
            let n = Int(payload[2]) << 8 | Int(payload[3])
            return (Int(payload[0]), String(decoding: payload[4..<min(payload.count, 4 + n)], as: UTF8.self))
        }
        if isGoAway, payload.count >= 8 {
            return (Int(payload[4]), String(decoding: payload[8...], as: UTF8.self))
        }
        return nil
    }
}

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

    static func request(callId: UInt32, method: String, timeoutMs: UInt32 = 0, body: [UInt8] = []) -> [UInt8] {
        let m = Array(method.utf8)
        var p = [UInt8](repeating: 0, count: lx_request_size(m.count, 0, body.count))
        m.withUnsafeBufferPointer { mp in
            mp.withMemoryRebound(to: CChar.self) { mc in
                lx_request_put(&p, timeoutMs, mc.baseAddress, mc.count, nil, 0, body, body.count)
            }
        }
        return frame(type: LX_FRAME_REQUEST.rawValue, callId: callId, payload: p)
    }
}
