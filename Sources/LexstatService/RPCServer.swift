import Foundation
import LexstatNet
import LexstatRPC
import Logging

/// The server: LexstatNet's event loop answering calls from a method table.
///
/// `run()` blocks the calling thread with the event loop until the server has
/// drained. `drain()` may be called from any thread (a signal handler queue).
public final class RPCServer: @unchecked Sendable {
    // `raw` is used from the loop thread (run) and through the C core's
    // thread-safe functions (drain, setLimits, stats) elsewhere.
    private let raw: OpaquePointer
    private let context: ServerContext
    private let unmanaged: Unmanaged<ServerContext>

    /// Creates a server; nothing listens yet.
    ///
    /// - Throws: `RPCError(.internalError)` if the C core cannot start a loop.
    public init(table: MethodTable, limits: ServerLimits = ServerLimits(), workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                tokens: TokenStore? = nil, logger: Logger) throws(RPCError) {
        context = ServerContext(table: table, pool: WorkerPool(threads: max(2, workers)), tokens: tokens, logger: logger)
        unmanaged = Unmanaged.passRetained(context)
        var cfg = lx_config_t()
        cfg.limits = limits.c
        cfg.on_request = lexstatNetOnRequest
        cfg.on_log = lexstatNetOnLog
        cfg.data = unmanaged.toOpaque()
        var server: OpaquePointer?
        let rc = lx_server_new(&server, &cfg)
        guard rc == 0, let server else {
            unmanaged.release()
            context.pool.shutdown()
            throw RPCError(.internalError, "cannot create the server: \(String(cString: lx_strerror(rc)))")
        }
        raw = server
    }

    deinit {
        lx_server_free(raw)
        context.pool.shutdown()
        unmanaged.release()
    }

    /// Starts listening.
    ///
    /// - Returns: the address as bound (with the port chosen for port 0).
    /// - Throws: `RPCError(.unavailable)` naming the address when it cannot be bound.
    @discardableResult
    public func listen(_ address: ListenAddress, unixMode: Int32 = 0o660) throws(RPCError) -> ListenAddress {
        switch address {
        case .tcp(let host, let port):
            let rc = lx_server_listen_tcp(raw, host, Int32(port))
            guard rc == 0 else { throw RPCError(.unavailable, "cannot listen on \(address): \(String(cString: lx_strerror(rc))) (see the log above)") }
            var n: Int32 = 0
            while lx_server_tcp_port(raw, n + 1) >= 0 { n += 1 }
            return .tcp(host: host, port: Int(lx_server_tcp_port(raw, n)))
        case .unix(let path):
            let rc = lx_server_listen_unix(raw, path, unixMode)
            guard rc == 0 else { throw RPCError(.unavailable, "cannot listen on \(address): \(String(cString: lx_strerror(rc))) (see the log above)") }
            return address
        }
    }

    /// Adopts an inherited listening socket (systemd socket activation).
    public func adopt(fd: Int32) throws(RPCError) {
        let rc = lx_server_adopt_fd(raw, fd)
        guard rc == 0 else { throw RPCError(.unavailable, "cannot adopt socket fd \(fd): \(String(cString: lx_strerror(rc)))") }
    }

    /// Runs the event loop on this thread until drained, then waits for workers.
    public func run() {
        lx_server_run(raw)
    }

    /// Starts a graceful drain. Thread-safe and idempotent.
    public func drain() {
        context.draining.store(true)
        lx_server_drain(raw)
    }

    /// True once a drain has begun.
    public var isDraining: Bool { context.draining.load() }

    /// Replaces the limits for new work. Thread-safe.
    public func setLimits(_ limits: ServerLimits) {
        var l = limits.c
        lx_server_set_limits(raw, &l)
    }

    /// The C core's counters. Thread-safe.
    public func stats() -> lx_stats_t {
        var s = lx_stats_t()
        lx_server_stats(raw, &s)
        return s
    }
}

/// What the C callbacks reach through the server's `data` pointer.
final class ServerContext: @unchecked Sendable {
    // Immutable after init, except `draining` (thread-safe).
    let table: MethodTable
    let pool: WorkerPool
    let tokens: TokenStore?
    let logger: Logger
    let draining = AtomicBool(false)

    init(table: MethodTable, pool: WorkerPool, tokens: TokenStore?, logger: Logger) {
        self.table = table
        self.pool = pool
        self.tokens = tokens
        self.logger = logger
    }

    /// Loop thread: dispatch one request.
    func handle(_ call: CallHandle, _ req: lx_request_t) {
        let method = String(decoding: UnsafeRawBufferPointer(start: req.method, count: req.method_len), as: UTF8.self)
        guard let m = table[method] else {
            finish(call, RPCError(.unimplemented, "unknown method \"\(method)\"; `lexstat methods` lists the methods"))
            return
        }
        let metadata = req.metadata_len > 0
            ? Metadata(decoding: UnsafeRawBufferPointer(start: req.metadata, count: req.metadata_len)) : Metadata()
        let deadline = req.timeout_ms > 0 ? ContinuousClock.now + .milliseconds(Int(req.timeout_ms)) : nil
        let ctx = RequestContext(method: method, metadata: metadata, peer: req.peer.map { String(cString: $0) } ?? "",
                                 deadline: deadline, call: call)
        if let tokens {
            do {
                try tokens.authorize(method: method, writes: m.writes, metadata: metadata)
            } catch {
                logger.notice("refused \(method): \(error.code.name)", metadata: ["peer": "\(ctx.peer)"])
                finish(call, error)
                return
            }
        }
        let body = UnsafeRawBufferPointer(start: req.body, count: req.body_len)
        switch m.execution {
        case .inline:
            invoke(m, ctx, body, call)
        case .worker:
            let copy = [UInt8](body)
            let accepted = pool.submit { [self] in
                copy.withUnsafeBytes { invoke(m, ctx, $0, call) }
            }
            if !accepted { finish(call, RPCError(.unavailable, "server is shutting down")) }
        }
    }

    private func invoke(_ m: MethodTable.Method, _ ctx: RequestContext, _ body: UnsafeRawBufferPointer, _ call: CallHandle) {
        do {
            if let unary = m.unary {
                let out = try unary(ctx, body)
                out.withUnsafeBufferPointer { _ = lx_call_finish(call.raw, 0, nil, $0.baseAddress, $0.count) }
            } else if let streaming = m.streaming {
                try streaming(ctx, body, StreamWriter(call: call))
                _ = lx_call_finish(call.raw, 0, nil, nil, 0)
            }
        } catch {
            if error.code == .internalError || error.code == .unknown {
                logger.error("\(m.name) failed: \(error.message)", metadata: ["peer": "\(ctx.peer)"])
            }
            finish(call, error)
        }
    }

    func finish(_ call: CallHandle, _ error: RPCError) {
        _ = lx_call_finish(call.raw, Int32(error.code.rawValue), error.message, nil, 0)
    }
}

// C callbacks: plain global functions (no captures, no actor isolation).

func lexstatNetOnRequest(_ server: OpaquePointer?, _ call: OpaquePointer?, _ req: UnsafePointer<lx_request_t>?) {
    guard let server, let call, let req, let data = lx_server_data(server) else { return }
    Unmanaged<ServerContext>.fromOpaque(data).takeUnretainedValue().handle(CallHandle(raw: call), req.pointee)
}

func lexstatNetOnLog(_ data: UnsafeMutableRawPointer?, _ level: Int32, _ msg: UnsafePointer<CChar>?) {
    guard let data, let msg else { return }
    let ctx = Unmanaged<ServerContext>.fromOpaque(data).takeUnretainedValue()
    let text = Logger.Message(stringLiteral: String(cString: msg))
    switch level {
    case Int32(LX_LOG_DEBUG.rawValue): ctx.logger.debug(text)
    case Int32(LX_LOG_INFO.rawValue): ctx.logger.info(text)
    case Int32(LX_LOG_WARN.rawValue): ctx.logger.warning(text)
    default: ctx.logger.error(text)
    }
}

/// A boolean readable and writable from any thread.
public final class AtomicBool: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var value: Bool

    public init(_ v: Bool) { value = v }
    public func load() -> Bool { lock.lock(); defer { lock.unlock() }; return value }
    public func store(_ v: Bool) { lock.lock(); value = v; lock.unlock() }
}
