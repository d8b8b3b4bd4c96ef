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
    /// - Parameters:
    ///   - metrics: where calls are counted (by method, status and latency).
    ///   - accessLog: where each call gets a line, if enabled.
    ///   - cacheBytes: the response cache's budget (`ResponseCache`); 0 for none.
    ///   - tokens: when set, writes (and reads, if it says so) need a token.
    ///   - writesWithoutToken: without `tokens`, where writes are taken from.
    /// - Throws: `RPCError(.internalError)` if the C core cannot start a loop.
    public init(table: MethodTable, limits: ServerLimits = ServerLimits(), workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                tokens: TokenStore? = nil, writesWithoutToken: WritesWithoutToken = .unixSocketOnly, logger: Logger,
                metrics: Metrics = Metrics(), accessLog: AccessLog = AccessLog(enabled: false), cacheBytes: Int = 0) throws(RPCError) {
        context = ServerContext(table: table, pool: WorkerPool(threads: max(2, workers)), tokens: tokens,
                                writesWithoutToken: writesWithoutToken, logger: logger,
                                metrics: metrics, accessLog: accessLog, cache: ResponseCache(budget: cacheBytes))
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

    /// The response cache (its budget 0 when off).
    public var cache: ResponseCache { context.cache }

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
            guard rc == 0 else { throw RPCError(.unavailable, "cannot listen on \(address): \(listenError(rc))") }
            var n: Int32 = 0
            while lx_server_tcp_port(raw, n + 1) >= 0 { n += 1 }
            return .tcp(host: host, port: Int(lx_server_tcp_port(raw, n)))
        case .unix(let path):
            let rc = lx_server_listen_unix(raw, path, unixMode)
            guard rc == 0 else { throw RPCError(.unavailable, "cannot listen on \(address): \(listenError(rc))") }
            return address
        }
    }

    /// Adopts an inherited listening socket (systemd socket activation).
    public func adopt(fd: Int32) throws(RPCError) {
        let rc = lx_server_adopt_fd(raw, fd)
        guard rc == 0 else { throw RPCError(.unavailable, "cannot adopt socket fd \(fd): \(listenError(rc))") }
    }

    /// Why a listen or adopt failed: the system's reason ("address already in
    /// use (EADDRINUSE)") when the C core kept one, else its error code's name.
    private func listenError(_ rc: Int32) -> String {
        let reason = String(cString: lx_server_listen_error(raw))
        return reason.isEmpty ? String(cString: lx_strerror(rc)) : reason
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

    /// Runs `body` on the event loop every `milliseconds` until the loop stops.
    ///
    /// For liveness signals (systemd's watchdog): a blocked loop stops them.
    /// Call before `run()`. One per server; a second call replaces the first.
    public func every(milliseconds: UInt32, _ body: @escaping @Sendable () -> Void) {
        let box = TickBox(body)
        tick = box
        _ = lx_server_every(raw, milliseconds, lexstatNetOnTick, Unmanaged.passUnretained(box).toOpaque())
    }
    // Keeps the tick's closure alive as long as the server (the loop ends before deinit).
    private var tick: TickBox?
}

/// The closure of `RPCServer.every`, reachable from C.
final class TickBox: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Where a server without tokens takes writes from.
public enum WritesWithoutToken: Sendable, Equatable {
    /// Only on the Unix socket, whose mode (0660) decides who may connect:
    /// over TCP anyone who reaches the port could change stored data.
    case unixSocketOnly
    /// From any client (development and tests).
    case anyClient
}

/// What the C callbacks reach through the server's `data` pointer.
final class ServerContext: @unchecked Sendable {
    // Immutable after init, except `draining` (thread-safe).
    let table: MethodTable
    let pool: WorkerPool
    let tokens: TokenStore?
    let writesWithoutToken: WritesWithoutToken
    let logger: Logger
    let draining = AtomicBool(false)
    let metrics: Metrics
    let accessLog: AccessLog
    let cache: ResponseCache

    init(table: MethodTable, pool: WorkerPool, tokens: TokenStore?, writesWithoutToken: WritesWithoutToken, logger: Logger,
         metrics: Metrics, accessLog: AccessLog, cache: ResponseCache) {
        self.cache = cache
        self.writesWithoutToken = writesWithoutToken
        self.table = table
        self.pool = pool
        self.tokens = tokens
        self.logger = logger
        self.metrics = metrics
        self.accessLog = accessLog
        let routes = table.sorted.enumerated().map { i, m in
            Route(m, metrics: metrics.method(m.name), index: Int32(i))
        }
        var byLength = [[Route]](repeating: [], count: (routes.map(\.nameBytes.count).max() ?? 0) + 1)
        for r in routes { byLength[r.nameBytes.count].append(r) }
        routesByLength = byLength
    }

    /// A method's route: what it runs, its counters, its number. A class,
    /// and the method's parts copied out, so that a call retains one object
    /// instead of every string and closure of a `MethodTable.Method`.
    final class Route: Sendable {
        let name: String
        let nameBytes: [UInt8]
        let index: Int32
        let metrics: MethodMetrics
        let execution: Execution
        let writes: Bool
        let unary: MethodTable.Unary?
        let streaming: MethodTable.Streaming?
        let generation: (@Sendable () -> UInt64)?

        init(_ m: MethodTable.Method, metrics: MethodMetrics, index: Int32) {
            name = m.name
            nameBytes = Array(m.name.utf8)
            self.index = index
            self.metrics = metrics
            execution = m.execution
            writes = m.writes
            unary = m.unary
            streaming = m.streaming
            generation = m.generation
        }
    }

    /// Routes by the length of their name, so that finding one compares a
    /// few names with `memcmp` and allocates nothing.
    private let routesByLength: [[Route]]

    /// The last client address decoded, as C bytes and as a String. Calls come
    /// in runs from one connection (the requests of one read), and decoding
    /// the address for each was 8 % of the instructions of a cached call.
    /// Loop thread only (`handle`), hence no run-time exclusivity checks;
    /// compared by content, never by pointer.
    @exclusivity(unchecked) private var lastPeer = (bytes: [CChar](repeating: 0, count: 64), count: -1, string: "")

    private func peerString(_ p: UnsafePointer<CChar>?) -> String {
        guard let p else { return "" }
        let n = strlen(p)
        if n == lastPeer.count, lastPeer.bytes.withUnsafeBufferPointer({ b in b.baseAddress.map { memcmp($0, p, n) == 0 } ?? false }) {
            return lastPeer.string
        }
        let string = String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
        if n <= lastPeer.bytes.count {
            lastPeer.bytes.withUnsafeMutableBufferPointer { b in
                if let base = b.baseAddress { memcpy(base, p, n) }
            }
            lastPeer.count = n
            lastPeer.string = string
        }
        return string
    }

    private func route(_ name: UnsafeRawBufferPointer) -> Route? {
        guard name.count < routesByLength.count, let base = name.baseAddress else { return nil }
        for r in routesByLength[name.count] where r.nameBytes.withUnsafeBytes({ $0.baseAddress.map { memcmp($0, base, name.count) == 0 } ?? false }) {
            return r
        }
        return nil
    }

    /// Loop thread: dispatch one request.
    func handle(_ call: CallHandle, _ req: lx_request_t) {
        let arrived = monotonicNanos()
        let methodBytes = UnsafeRawBufferPointer(start: req.method, count: req.method_len)
        guard let route = route(methodBytes) else {
            let method = String(decoding: methodBytes, as: UTF8.self)
            let error = RPCError(.unimplemented, "unknown method \"\(method)\"; `lexstat methods` lists the methods")
            finish(call, error)
            metrics.unknownMethod.record(status: error.code.rawValue, nanos: monotonicNanos() &- arrived)
            if accessLog.isEnabled {
                let metadata = req.metadata_len > 0
                    ? Metadata(decoding: UnsafeRawBufferPointer(start: req.metadata, count: req.metadata_len)) : Metadata()
                accessLog.call(method: method, status: error.code.rawValue, nanos: monotonicNanos() &- arrived,
                               peer: req.peer.map { String(cString: $0) } ?? "", requestID: metadata["request-id"])
            }
            return
        }
        let m = route, mm = route.metrics, method = route.name
        let metadata = req.metadata_len > 0
            ? Metadata(decoding: UnsafeRawBufferPointer(start: req.metadata, count: req.metadata_len)) : Metadata()
        let ctx = RequestContext(method: method, metadata: metadata, peer: peerString(req.peer),
                                 timeoutMs: req.timeout_ms, call: call)
        do throws(RPCError) {
            if let tokens {
                try tokens.authorize(method: method, writes: m.writes, metadata: metadata)
            } else if m.writes, writesWithoutToken == .unixSocketOnly, !ctx.peerIsUnixSocket {
                throw RPCError(.unauthenticated, "\(method) changes stored data, and this server has no tokens_file: "
                    + "it takes writes only on its Unix socket (lexstat --server unix:PATH); "
                    + "give lexstatd a tokens_file to write over TCP")
            }
        } catch {
            logger.notice("refused \(method): \(error.code.name)", metadata: ["peer": "\(ctx.peer)"])
            finish(call, error)
            ended(mm, arrived, ctx, status: error.code.rawValue)
            return
        }
        let body = UnsafeRawBufferPointer(start: req.body, count: req.body_len)
        // After authorization: a cached answer goes only to who may read it.
        var slot: CacheSlot?
        if let generation = m.generation, cache.isEnabled {
            let g = generation()
            if let answer = cache.answer(method: route.index, body: body, generation: g) {
                answer.withUnsafeBufferPointer { _ = lx_call_finish(call.raw, 0, nil, $0.baseAddress, $0.count) }
                ended(mm, arrived, ctx, status: 0)
                return
            }
            slot = CacheSlot(method: route.index, generation: g)
        }
        switch m.execution {
        case .inline:
            invoke(m, mm, arrived, ctx, body, call, slot)
        case .worker:
            let copy = [UInt8](body)
            let accepted = pool.submit { [self, slot] in
                // Queued behind long work: no point starting what nobody waits for.
                do throws(RPCError) { try ctx.checkCancelled() } catch {
                    finish(call, error)
                    ended(mm, arrived, ctx, status: error.code.rawValue)
                    return
                }
                copy.withUnsafeBytes { invoke(m, mm, arrived, ctx, $0, call, slot) }
            }
            if !accepted {
                let error = RPCError(.unavailable, "server is shutting down")
                finish(call, error)
                ended(mm, arrived, ctx, status: error.code.rawValue)
            }
        }
    }

    /// Where a cacheable call's answer may be kept: the method's number and
    /// the data's generation when the call arrived.
    struct CacheSlot {
        var method: Int32
        var generation: UInt64
    }

    private func invoke(_ m: Route, _ mm: MethodMetrics, _ arrived: UInt64, _ ctx: RequestContext,
                        _ body: UnsafeRawBufferPointer, _ call: CallHandle, _ slot: CacheSlot? = nil) {
        do {
            if let unary = m.unary {
                let out = try unary(ctx, body)
                out.withUnsafeBufferPointer { _ = lx_call_finish(call.raw, 0, nil, $0.baseAddress, $0.count) }
                // Kept only if no write committed while it was computed.
                if let slot, m.generation?() == slot.generation {
                    cache.keep(method: slot.method, body: body, generation: slot.generation, answer: out)
                }
            } else if let streaming = m.streaming {
                try streaming(ctx, body, StreamWriter(call: call))
                _ = lx_call_finish(call.raw, 0, nil, nil, 0)
            }
            ended(mm, arrived, ctx, status: 0)
        } catch {
            if error.code == .internalError || error.code == .unknown {
                logger.error("\(m.name) failed: \(error.message)", metadata: ["peer": "\(ctx.peer)"])
            }
            finish(call, error)
            ended(mm, arrived, ctx, status: error.code.rawValue)
        }
    }

    /// Counts a finished call and writes its access-log line (if enabled).
    @inline(__always)
    private func ended(_ mm: MethodMetrics, _ arrived: UInt64, _ ctx: RequestContext, status: Int) {
        let nanos = monotonicNanos() &- arrived
        mm.record(status: status, nanos: nanos)
        if accessLog.isEnabled {
            accessLog.call(method: ctx.method, status: status, nanos: nanos, peer: ctx.peer,
                           requestID: ctx.metadata["request-id"])
        }
    }

    func finish(_ call: CallHandle, _ error: RPCError) {
        _ = lx_call_finish(call.raw, Int32(error.code.rawValue), error.message, nil, 0)
    }
}

// C callbacks: plain global functions (no captures, no actor isolation).

func lexstatNetOnTick(_ server: OpaquePointer?, _ data: UnsafeMutableRawPointer?) {
    guard let data else { return }
    Unmanaged<TickBox>.fromOpaque(data).takeUnretainedValue().body()
}

/// CLOCK_MONOTONIC in nanoseconds: the clock of call durations.
@inline(__always)
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

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
