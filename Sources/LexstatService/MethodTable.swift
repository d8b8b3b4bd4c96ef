import LexstatCore
import LexstatRPC
import LexstatWire

/// Where a method runs.
public enum Execution: Sendable {
    /// On the event loop: only for answers that take microseconds.
    case inline
    /// On a worker thread: anything that may take longer (I/O, big scans, long work).
    case worker
}

/// The methods a server answers, by full name.
public final class MethodTable: Sendable {
    public typealias Unary = @Sendable (RequestContext, UnsafeRawBufferPointer) throws(RPCError) -> [UInt8]
    public typealias Streaming = @Sendable (RequestContext, UnsafeRawBufferPointer, StreamWriter) throws(RPCError) -> Void

    /// One method.
    public struct Method: Sendable {
        public let name: String
        public let requestType: String
        public let responseType: String
        public let execution: Execution
        public let writes: Bool
        public let summary: String
        let unary: Unary?
        let streaming: Streaming?
        /// For a read whose answer depends only on the request and the
        /// stored data: the data's current generation (see `ResponseCache`).
        let generation: (@Sendable () -> UInt64)?

        /// Whether answers may be served from the response cache.
        public var isCacheable: Bool { generation != nil }

        public var isStreaming: Bool { streaming != nil }
    }

    public let methods: [String: Method]

    init(_ methods: [Method]) {
        var map: [String: Method] = [:]
        for m in methods { map[m.name] = m }
        self.methods = map
    }

    public subscript(name: String) -> Method? { methods[name] }

    /// Methods in name order.
    public var sorted: [Method] { methods.values.sorted { $0.name < $1.name } }
}

/// Builds a method table with typed handlers.
public struct MethodTableBuilder {
    public static let servicePrefix = "lexstat.v1.Lexstat/"
    private var methods: [MethodTable.Method] = []
    /// Checks every decoded request (UTF-8, string lengths, enum values, repeated sizes).
    public var validator = WireValidator()

    public init() {}

    /// Adds a unary method: decode the request, run the handler, encode its answer.
    ///
    /// The handler builds its answer with C strings and nested messages from
    /// the arena it is given; the answer is encoded before the arena is freed.
    ///
    /// - Parameter cachedBy: for a read whose answer is a function of the
    ///   request and this store's data alone (no clock, no files, no caller
    ///   identity): answers may then be served again from the server's
    ///   response cache until the store's next write.
    public mutating func unary<Req: WireMessage, Resp: WireMessage>(
        _ name: String, _ req: Req.Type, _ resp: Resp.Type, execution: Execution = .inline,
        writes: Bool = false, cachedBy store: LexstatStore? = nil, summary: String,
        _ handler: @escaping @Sendable (RequestContext, Req, WireArena) throws(RPCError) -> Resp
    ) {
        let full = name.contains("/") ? name : MethodTableBuilder.servicePrefix + name
        let validator = self.validator
        var generation: (@Sendable () -> UInt64)?
        if let store { generation = { store.generation } }
        methods.append(MethodTable.Method(
            name: full, requestType: typeName(Req.self), responseType: typeName(Resp.self),
            execution: execution, writes: writes, summary: summary,
            unary: { (ctx, body) throws(RPCError) -> [UInt8] in
                let decoded = try Req.decode(body)
                try withExtendedLifetime(decoded) { () throws(RPCError) in try validator.validate(decoded.rawMessage) }
                let arena = WireArena()
                let answer = try withExtendedLifetime(decoded) { () throws(RPCError) -> Resp in
                    try handler(ctx, decoded.message, arena)
                }
                return withExtendedLifetime(arena) { answer.encoded() }
            },
            streaming: nil,
            generation: generation))
    }

    /// Adds a server-streaming method; it always runs on a worker.
    public mutating func streaming<Req: WireMessage, Resp: WireMessage>(
        _ name: String, _ req: Req.Type, _ resp: Resp.Type, summary: String,
        _ handler: @escaping @Sendable (RequestContext, Req, StreamWriter) throws(RPCError) -> Void
    ) {
        let full = name.contains("/") ? name : MethodTableBuilder.servicePrefix + name
        let validator = self.validator
        methods.append(MethodTable.Method(
            name: full, requestType: typeName(Req.self), responseType: typeName(Resp.self),
            execution: .worker, writes: false, summary: summary, unary: nil,
            streaming: { (ctx, body, writer) throws(RPCError) in
                let decoded = try Req.decode(body)
                try withExtendedLifetime(decoded) { () throws(RPCError) in try validator.validate(decoded.rawMessage) }
                try withExtendedLifetime(decoded) { () throws(RPCError) in
                    try handler(ctx, decoded.message, writer)
                }
            },
            generation: nil))
    }

    public func build() -> MethodTable { MethodTable(methods) }
}

/// The .proto name of a generated message type, e.g. `lexstat.v1.HealthRequest`.
func typeName<M: WireMessage>(_ t: M.Type) -> String {
    String(cString: M.descriptor.pointee.name)
}

extension MethodTable {
    /// Runs a unary method in this thread (tests, in-process use).
    ///
    /// - Throws: `UNIMPLEMENTED` for an unknown or streaming method, or the handler's error.
    public func invokeUnary(_ name: String, _ ctx: RequestContext, _ body: [UInt8]) throws(RPCError) -> [UInt8] {
        guard let m = methods[name], let unary = m.unary else {
            throw RPCError(.unimplemented, "unknown method \"\(name)\"")
        }
        do {
            return try body.withUnsafeBytes { (b) throws(RPCError) -> [UInt8] in try unary(ctx, b) }
        } catch let e as RPCError { throw e } catch { throw RPCError(.internalError, "\(error)") }
    }
}

extension MethodTable {
    /// Runs a server-streaming method in this thread, handing each encoded message to `sink` (tests, fuzzing).
    public func invokeStreaming(_ name: String, _ ctx: RequestContext, _ body: [UInt8],
                                sink: @escaping @Sendable ([UInt8]) -> Void) throws(RPCError) {
        guard let m = methods[name], let streaming = m.streaming else {
            throw RPCError(.unimplemented, "unknown streaming method \"\(name)\"")
        }
        do {
            // An untyped closure here: a typed-throws Void closure crashes Swift 6.3.1 IRGen.
            try body.withUnsafeBytes { b in try streaming(ctx, b, StreamWriter(sink: sink)) }
        } catch let e as RPCError { throw e } catch { throw RPCError(.internalError, "\(error)") }
    }
}
