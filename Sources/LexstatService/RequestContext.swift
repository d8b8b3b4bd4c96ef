import LexstatNet
import LexstatRPC

/// A call of the C core, passed between threads.
///
/// `lx_call_finish`, `lx_call_send` and `lx_call_is_cancelled` are thread-safe
/// (lexstat_net.h), and the call stays valid until it is finished, so the
/// handle may cross threads; it must be finished exactly once.
struct CallHandle: @unchecked Sendable {
    let raw: OpaquePointer
}

/// What a handler knows about the call it answers.
public struct RequestContext: Sendable {
    /// Full method name, e.g. `lexstat.v1.Lexstat/Health`.
    public let method: String
    public let metadata: Metadata
    /// The client's address, e.g. `127.0.0.1:51234`, or `unix`.
    public let peer: String
    /// The call came over a Unix socket (the C core names such a peer `unix`;
    /// a TCP peer is always HOST:PORT).
    public var peerIsUnixSocket: Bool { peer == "unix" }
    /// When the client stops waiting, if it said.
    public let deadline: ContinuousClock.Instant?
    /// The timeout the client gave, in milliseconds (0: none): named in the
    /// message, the same whether the handler or the transport notices first.
    let timeoutMs: UInt32
    let call: CallHandle?

    /// True once the client no longer waits: its deadline passed, it cancelled or it left.
    public var isCancelled: Bool {
        guard let call else { return false }
        return lx_call_is_cancelled(call.raw) != 0
    }

    /// Throws `CANCELLED` or `DEADLINE_EXCEEDED` when there is no point going on.
    public func checkCancelled() throws(RPCError) {
        if let deadline, ContinuousClock.now >= deadline {
            throw RPCError(.deadlineExceeded, timeoutMs > 0 ? "deadline of \(timeoutMs) ms exceeded" : "deadline exceeded")
        }
        if isCancelled { throw RPCError(.cancelled, "the client cancelled the call") }
    }

    /// A context for calling handlers directly (tests, in-process use).
    public init(method: String, metadata: Metadata = Metadata(), peer: String = "local",
                deadline: ContinuousClock.Instant? = nil) {
        self.method = method
        self.metadata = metadata
        self.peer = peer
        self.deadline = deadline
        self.timeoutMs = 0
        self.call = nil
    }

    init(method: String, metadata: Metadata, peer: String, timeoutMs: UInt32, call: CallHandle) {
        self.method = method
        self.metadata = metadata
        self.peer = peer
        self.deadline = timeoutMs > 0 ? ContinuousClock.now + .milliseconds(Int(timeoutMs)) : nil
        self.timeoutMs = timeoutMs
        self.call = call
    }
}

/// Sends the messages of a server-streaming call.
public struct StreamWriter: Sendable {
    let call: CallHandle?
    let sink: (@Sendable ([UInt8]) -> Void)?

    /// Sends one message.
    ///
    /// - Throws: `CANCELLED` when the client is gone.
    public func send<M: WireMessage>(_ message: M) throws(RPCError) {
        let bytes = message.encoded()
        if let sink { sink(bytes); return }
        guard let call else { return }
        let rc = bytes.withUnsafeBufferPointer { lx_call_send(call.raw, $0.baseAddress, $0.count) }
        if rc == LX_ECLOSED { throw RPCError(.cancelled, "the client is gone") }
        if rc != 0 { throw RPCError(.internalError, "cannot send: \(String(cString: lx_strerror(rc)))") }
    }

    /// A writer that hands each encoded message to `sink` (tests, in-process use).
    public init(sink: @escaping @Sendable ([UInt8]) -> Void) {
        self.call = nil
        self.sink = sink
    }

    init(call: CallHandle) {
        self.call = call
        self.sink = nil
    }
}
