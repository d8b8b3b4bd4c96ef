import LexstatNet

/// Limits on everything a client controls (see Proto/PROTOCOL.md, "Limits").
public struct ServerLimits: Hashable, Sendable {
    public var maxFrameBytes: UInt32 = 4 * 1024 * 1024
    public var maxCallsPerConnection: UInt32 = 100
    public var maxConnections: UInt32 = 1024
    public var frameTimeoutMs: UInt32 = 10_000
    public var idleTimeoutMs: UInt32 = 300_000
    public var maxOutputBytes: UInt32 = 4 * 1024 * 1024
    public var stallTimeoutMs: UInt32 = 30_000
    public var drainTimeoutMs: UInt32 = 30_000
    /// A request, all its frames joined (Proto/PROTOCOL.md §3).
    public var maxRequestBytes: UInt32 = 16 * 1024 * 1024

    public init() {}

    var c: lx_limits_t {
        var l = lx_limits_t()
        l.max_frame_bytes = maxFrameBytes
        l.max_calls_per_conn = maxCallsPerConnection
        l.max_connections = maxConnections
        l.frame_timeout_ms = frameTimeoutMs
        l.idle_timeout_ms = idleTimeoutMs
        l.max_output_bytes = maxOutputBytes
        l.stall_timeout_ms = stallTimeoutMs
        l.drain_timeout_ms = drainTimeoutMs
        l.max_request_bytes = maxRequestBytes
        lx_limits_defaults(&l)
        return l
    }
}
