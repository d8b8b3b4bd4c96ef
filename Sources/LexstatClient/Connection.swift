import Foundation
import LexstatNet
import LexstatRPC

/// One connection to a Lexstat server, carrying many calls at once.
///
/// Calls may be made from any thread or task; each gets a call id, and
/// answers are matched to calls as they arrive, in any order. The connection
/// closes when the value is released or `close()` is called.
public final class Connection: Sendable {
    private let core: ConnectionCore

    /// The address connected to.
    public var address: ServerAddress { core.address }

    /// The largest frame a client accepts unless told otherwise: 64 MiB.
    ///
    /// The server's frame limit (`limits.max_frame_bytes`, 4 MiB by default)
    /// bounds what it sends; a client cannot know it, so it only refuses
    /// absurd sizes.
    public static let defaultMaxFrameBytes: UInt32 = 64 << 20

    /// The largest frame a client sends unless told otherwise: 4 MiB, the
    /// server's default frame limit (gRPC's). A request larger than this goes
    /// as a REQUEST with `MORE` and REQUEST_DATA frames of at most this size
    /// (Proto/PROTOCOL.md §3); the server's `limits.max_request_bytes` bounds
    /// the whole. Lower it for a server configured with smaller frames.
    public static let defaultMaxSendFrameBytes: UInt32 = 4 << 20

    /// The smallest frame size a client sends in: the largest request header
    /// (method 255, metadata 8192, and their lengths) must fit in the first frame.
    public static let minSendFrameBytes: UInt32 = 16 << 10

    /// Connects and exchanges prefaces.
    ///
    /// - Parameters:
    ///   - maxFrameBytes: the largest frame accepted from the server.
    ///   - maxSendFrameBytes: the largest frame sent; larger requests are sent
    ///     in parts of this size (at least `minSendFrameBytes`).
    /// - Throws: `RPCError(.unavailable)` when the server cannot be reached.
    public init(to address: ServerAddress, connectTimeout: Duration = .seconds(5),
                maxFrameBytes: UInt32 = Connection.defaultMaxFrameBytes,
                maxSendFrameBytes: UInt32 = Connection.defaultMaxSendFrameBytes) throws(RPCError) {
        let fd = try Socket.connect(address, timeout: connectTimeout)
        core = ConnectionCore(fd: fd, address: address, maxFrameBytes: maxFrameBytes,
                              maxSendFrameBytes: max(maxSendFrameBytes, Connection.minSendFrameBytes))
        try core.start()
    }

    deinit { core.shutdown() }

    /// Closes the connection; calls in flight fail with UNAVAILABLE.
    public func close() { core.shutdown() }

    /// The server's GOAWAY, once one arrived.
    public var goAway: RPCError? { core.goAwayError }

    /// Makes a call and waits for its answer.
    ///
    /// - Parameters:
    ///   - method: the full method name, e.g. `lexstat.v1.Lexstat/Health`.
    ///   - request: the encoded request message.
    ///   - metadata: call metadata (authorization, request-id…).
    ///   - timeout: the deadline, sent to the server and kept here too.
    ///   - onMessage: for server-streaming methods, called with each message in order.
    /// - Returns: the encoded answer (empty for a stream's end).
    /// - Throws: `RPCError` with the server's status, or UNAVAILABLE / DEADLINE_EXCEEDED / CANCELLED from here.
    public func call(_ method: String, _ request: [UInt8], metadata: Metadata = Metadata(), timeout: Duration? = nil,
                     onMessage: (@Sendable ([UInt8]) -> Void)? = nil) async throws(RPCError) -> [UInt8] {
        let box = CallBox()
        let result: Result<[UInt8], RPCError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Result<[UInt8], RPCError>, Never>) in
                core.start(method: method, request: request, metadata: metadata, timeout: timeout,
                           onMessage: onMessage, box: box, continuation: c)
            }
        } onCancel: {
            core.cancel(box)
        }
        return try result.get()
    }

    /// A typed call: encodes the request, decodes the answer.
    public func call<Req: WireMessage, Resp: WireMessage>(_ method: String, _ request: Req, returning: Resp.Type,
                                                         metadata: Metadata = Metadata(), timeout: Duration? = nil)
        async throws(RPCError) -> Decoded<Resp> {
        let bytes = try await call(method, request.encoded(), metadata: metadata, timeout: timeout)
        return try Resp.decode(bytes)
    }

    /// Sends a PING and waits for its acknowledgement.
    public func ping(timeout: Duration = .seconds(5)) async throws(RPCError) {
        let result: Result<Void, RPCError> = await withCheckedContinuation { c in
            core.ping(timeout: timeout, continuation: c)
        }
        try result.get()
    }
}

/// Identifies a call for cancellation before and after it has an id.
final class CallBox: @unchecked Sendable {
    // Guarded by ConnectionCore.lock.
    var id: UInt32 = 0
    var cancelled = false
}

/// The shared state of a connection; the reader thread keeps it alive.
final class ConnectionCore: @unchecked Sendable {
    // `lock` guards pending, nextId, closedError, goAway, pings, sending, cancelAfterSend;
    // `writeLock` serialises whole frames onto the socket;
    // `partsLock` serialises requests sent in several frames (one at a time per connection).
    let fd: Int32
    let address: ServerAddress
    let maxFrameBytes: UInt32
    let maxSendFrameBytes: UInt32
    private let lock = NSLock()
    private let writeLock = NSLock()
    private let partsLock = NSLock()
    /// Calls whose request is being sent in several frames: a CANCEL for one waits until its frames stop.
    private var sending: Set<UInt32> = []
    private var cancelAfterSend: Set<UInt32> = []
    private var pending: [UInt32: Pending] = [:]
    private var nextId: UInt32 = 1
    private var closedError: RPCError?
    private var goAway: RPCError?
    private var goAwayLast: UInt32 = .max
    private var pings: [UInt64: CheckedContinuation<Result<Void, RPCError>, Never>] = [:]
    private var nextPing: UInt64 = 1
    private var isShutdown = false

    struct Pending {
        let continuation: CheckedContinuation<Result<[UInt8], RPCError>, Never>
        let onMessage: (@Sendable ([UInt8]) -> Void)?
    }

    init(fd: Int32, address: ServerAddress, maxFrameBytes: UInt32, maxSendFrameBytes: UInt32) {
        self.fd = fd
        self.address = address
        self.maxFrameBytes = maxFrameBytes
        self.maxSendFrameBytes = maxSendFrameBytes
    }

    var goAwayError: RPCError? {
        lock.lock()
        defer { lock.unlock() }
        return goAway
    }

    func start() throws(RPCError) {
        var preface = [UInt8](repeating: 0, count: Int(LX_PREFACE_LEN))
        lx_preface_put(&preface)
        guard write(preface) else {
            Glibc.close(fd)
            throw RPCError(.unavailable, "connection to \(address) closed during the preface")
        }
        let t = Thread { [self] in readLoop() }
        t.name = "lexstat-client-reader"
        t.start()
    }

    func shutdown() {
        lock.lock()
        let first = !isShutdown
        isShutdown = true
        if closedError == nil { closedError = RPCError(.unavailable, "connection closed by the client") }
        lock.unlock()
        if first { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        writeLock.lock()
        defer { writeLock.unlock() }
        return bytes.withUnsafeBytes { Socket.writeAll(fd, $0) }
    }

    func start(method: String, request: [UInt8], metadata: Metadata, timeout: Duration?,
               onMessage: (@Sendable ([UInt8]) -> Void)?, box: CallBox,
               continuation: CheckedContinuation<Result<[UInt8], RPCError>, Never>) {
        let methodBytes = Array(method.utf8)
        let md = metadata.encoded()
        guard (1...Int(LX_MAX_METHOD_LEN)).contains(methodBytes.count) else {
            continuation.resume(returning: .failure(RPCError(.invalidArgument, "method name must be 1–255 bytes")))
            return
        }
        guard md.count <= Int(LX_MAX_METADATA_LEN) else {
            continuation.resume(returning: .failure(RPCError(.invalidArgument, "metadata over 8192 bytes")))
            return
        }
        let payload = lx_request_size(methodBytes.count, md.count, request.count)
        guard payload <= Int(UInt32.max) else {
            continuation.resume(returning: .failure(RPCError(.resourceExhausted, "request of \(payload) bytes is too large")))
            return
        }
        lock.lock()
        if let err = closedError ?? goAway {
            lock.unlock()
            continuation.resume(returning: .failure(err))
            return
        }
        if box.cancelled {
            lock.unlock()
            continuation.resume(returning: .failure(RPCError(.cancelled, "cancelled")))
            return
        }
        let id = nextId
        nextId = nextId == UInt32.max ? 1 : nextId + 1
        box.id = id
        pending[id] = Pending(continuation: continuation, onMessage: onMessage)
        lock.unlock()

        var ms: UInt32 = 0
        if let timeout {
            let total = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
            ms = UInt32(clamping: max(total, 1))
        }
        // One buffer: a frame header's room, then the request payload.
        let partSize = Int(maxSendFrameBytes)
        var frame = [UInt8](repeating: 0, count: Int(LX_FRAME_HEADER_LEN) + payload)
        frame.withUnsafeMutableBufferPointer { p in
            if payload <= partSize {
                lx_frame_put_header(p.baseAddress!, UInt8(LX_FRAME_REQUEST.rawValue), 0, id, UInt32(payload))
            }
            methodBytes.withUnsafeBufferPointer { m in
                md.withUnsafeBufferPointer { mdp in
                    request.withUnsafeBufferPointer { body in
                        m.withMemoryRebound(to: CChar.self) { mc in
                            lx_request_put(p.baseAddress! + Int(LX_FRAME_HEADER_LEN), ms, mc.baseAddress, mc.count,
                                           mdp.baseAddress, mdp.count, body.baseAddress, body.count)
                        }
                    }
                }
            }
        }
        let sent = payload <= partSize ? write(frame) : writeInParts(id, frame, partSize: partSize)
        if !sent {
            complete(id, .failure(closedReason()))
            return
        }
        if ms > 0 {
            let deadlineMs = ms
            // The server answers DEADLINE_EXCEEDED itself; this is the fallback when it cannot.
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(deadlineMs) + 500)) { [weak self] in
                guard let self else { return }
                if self.complete(id, .failure(RPCError(.deadlineExceeded, "no answer within the deadline of \(deadlineMs) ms"))) {
                    self.cancelOnWire(id)
                }
            }
        }
    }

    func cancel(_ box: CallBox) {
        lock.lock()
        box.cancelled = true
        let id = box.id
        lock.unlock()
        guard id != 0 else { return }
        if complete(id, .failure(RPCError(.cancelled, "cancelled by the caller"))) { cancelOnWire(id) }
    }

    /// Sends CANCEL, or, while the call's request is still going out in
    /// parts, has its sender send it once the parts stop (a CANCEL between
    /// them would make the next REQUEST_DATA a protocol error).
    private func cancelOnWire(_ id: UInt32) {
        lock.lock()
        if sending.contains(id) {
            cancelAfterSend.insert(id)
            lock.unlock()
            return
        }
        lock.unlock()
        sendCancel(id)
    }

    /// Sends a request payload (after `LX_FRAME_HEADER_LEN` bytes of room in
    /// `buffer`) as a REQUEST with `MORE` and REQUEST_DATA frames of at most
    /// `partSize` bytes. Stops early, sending CANCEL, once the call is over
    /// (answered early, e.g. over the server's request limit, cancelled, or
    /// refused by a GOAWAY). False when the connection failed.
    private func writeInParts(_ id: UInt32, _ buffer: [UInt8], partSize: Int) -> Bool {
        let h = Int(LX_FRAME_HEADER_LEN)
        let total = buffer.count - h
        partsLock.lock()
        defer { partsLock.unlock() }
        lock.lock()
        sending.insert(id)
        lock.unlock()
        var ok = true
        var stopped = false
        var off = 0
        while off < total {
            let n = min(partSize, total - off)
            if off > 0 {
                lock.lock()
                let live = pending[id] != nil
                lock.unlock()
                if !live { stopped = true; break }
            }
            let type = off == 0 ? LX_FRAME_REQUEST.rawValue : LX_FRAME_REQUEST_DATA.rawValue
            let flags = off + n < total ? UInt8(LX_FLAG_MORE) : 0
            var part = [UInt8](repeating: 0, count: h + n)
            part.withUnsafeMutableBufferPointer { p in
                lx_frame_put_header(p.baseAddress!, UInt8(type), flags, id, UInt32(n))
                buffer.withUnsafeBufferPointer { b in
                    (p.baseAddress! + h).update(from: b.baseAddress! + h + off, count: n)
                }
            }
            if !write(part) { ok = false; break }
            off += n
        }
        lock.lock()
        sending.remove(id)
        let wanted = cancelAfterSend.remove(id) != nil
        lock.unlock()
        if ok && (stopped || wanted) { sendCancel(id) }
        return ok
    }

    private func sendCancel(_ id: UInt32) {
        var f = [UInt8](repeating: 0, count: Int(LX_FRAME_HEADER_LEN))
        lx_frame_put_header(&f, UInt8(LX_FRAME_CANCEL.rawValue), 0, id, 0)
        _ = write(f)
    }

    func ping(timeout: Duration, continuation: CheckedContinuation<Result<Void, RPCError>, Never>) {
        lock.lock()
        if let err = closedError {
            lock.unlock()
            continuation.resume(returning: .failure(err))
            return
        }
        let token = nextPing
        nextPing += 1
        pings[token] = continuation
        lock.unlock()
        var f = [UInt8](repeating: 0, count: Int(LX_FRAME_HEADER_LEN) + 8)
        lx_frame_put_header(&f, UInt8(LX_FRAME_PING.rawValue), 0, 0, 8)
        for i in 0..<8 { f[Int(LX_FRAME_HEADER_LEN) + i] = UInt8((token >> (56 - 8 * UInt64(i))) & 0xff) }
        _ = write(f)
        let ms = Int(timeout.components.seconds * 1000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(max(ms, 1))) { [weak self] in
            guard let self else { return }
            self.lock.lock()
            let c = self.pings.removeValue(forKey: token)
            self.lock.unlock()
            c?.resume(returning: .failure(RPCError(.deadlineExceeded, "no PING acknowledgement")))
        }
    }

    /// Completes a pending call once; false if it was already complete.
    @discardableResult
    private func complete(_ id: UInt32, _ result: Result<[UInt8], RPCError>) -> Bool {
        lock.lock()
        let p = pending.removeValue(forKey: id)
        lock.unlock()
        guard let p else { return false }
        p.continuation.resume(returning: result)
        return true
    }

    private func closedReason() -> RPCError {
        lock.lock()
        defer { lock.unlock() }
        return goAway ?? closedError ?? RPCError(.unavailable, "connection to \(address) closed")
    }

    // MARK: reading

    private func readLoop() {
        var dec = lx_decoder_t()
        lx_decoder_init(&dec, maxFrameBytes, 1)
        defer { lx_decoder_free(&dec) }
        var failure: RPCError?
        loop: while true {
            var space: UnsafeMutablePointer<UInt8>?
            var avail = 0
            guard lx_decoder_reserve(&dec, 65536, &space, &avail) == 0, let space else {
                failure = RPCError(.resourceExhausted, "client out of memory")
                break
            }
            let n = Glibc.read(fd, space, avail)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            lx_decoder_commit(&dec, n)
            var f = lx_frame_t()
            while true {
                let rc = lx_decoder_next(&dec, &f)
                if rc == 0 { break }
                if rc < 0 {
                    failure = RPCError(.internalError, "protocol error from \(address): \(String(cString: lx_strerror(rc)))")
                    break loop
                }
                handle(f)
            }
        }
        lock.lock()
        if closedError == nil {
            closedError = failure ?? goAway ?? RPCError(.unavailable, "connection closed by the server")
        }
        let reason = failure ?? goAway ?? closedError!
        let all = pending
        pending.removeAll()
        let waiting = pings
        pings.removeAll()
        isShutdown = true
        lock.unlock()
        for (_, p) in all { p.continuation.resume(returning: .failure(reason)) }
        for (_, c) in waiting { c.resume(returning: .failure(reason)) }
        Glibc.close(fd)
    }

    private func handle(_ f: lx_frame_t) {
        let payload = UnsafeRawBufferPointer(start: f.payload, count: Int(f.payload_len))
        switch Int(f.type) {
        case Int(LX_FRAME_RESPONSE.rawValue):
            var status: UInt8 = 0
            var msg: UnsafePointer<CChar>?
            var msgLen = 0
            var body: UnsafePointer<UInt8>?
            var bodyLen = 0
            guard lx_response_parse(f.payload, Int(f.payload_len), &status, &msg, &msgLen, &body, &bodyLen) == 0 else {
                complete(f.call_id, .failure(RPCError(.internalError, "malformed RESPONSE frame from the server")))
                return
            }
            let message = msg.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: msgLen), as: UTF8.self) } ?? ""
            if status == 0 {
                complete(f.call_id, .success([UInt8](UnsafeRawBufferPointer(start: body, count: bodyLen))))
            } else {
                complete(f.call_id, .failure(RPCError(StatusCode(rawValue: Int(status)), message)))
            }
        case Int(LX_FRAME_MESSAGE.rawValue):
            lock.lock()
            let p = pending[f.call_id]
            lock.unlock()
            p?.onMessage?([UInt8](payload))
        case Int(LX_FRAME_PING.rawValue):
            guard f.payload_len == 8 else { return }
            if f.flags & UInt8(LX_FLAG_ACK) != 0 {
                var token: UInt64 = 0
                for b in payload { token = token << 8 | UInt64(b) }
                lock.lock()
                let c = pings.removeValue(forKey: token)
                lock.unlock()
                c?.resume(returning: .success(()))
            } else {
                var ack = [UInt8](repeating: 0, count: Int(LX_FRAME_HEADER_LEN))
                lx_frame_put_header(&ack, UInt8(LX_FRAME_PING.rawValue), UInt8(LX_FLAG_ACK), 0, 8)
                _ = write(ack + [UInt8](payload))
            }
        case Int(LX_FRAME_GOAWAY.rawValue):
            var last: UInt32 = 0
            var status: UInt8 = 0
            var msg: UnsafePointer<CChar>?
            var msgLen = 0
            guard lx_goaway_parse(f.payload, Int(f.payload_len), &last, &status, &msg, &msgLen) == 0 else { return }
            let message = msg.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: msgLen), as: UTF8.self) } ?? ""
            let code = status == 0 ? StatusCode.unavailable : StatusCode(rawValue: Int(status))
            lock.lock()
            goAway = RPCError(code, "server closing the connection: \(message)")
            goAwayLast = last
            let refused = pending.filter { $0.key > last }
            for k in refused.keys { pending.removeValue(forKey: k) }
            let err = goAway!
            lock.unlock()
            for (_, p) in refused { p.continuation.resume(returning: .failure(err)) }
        default:
            break
        }
    }
}
