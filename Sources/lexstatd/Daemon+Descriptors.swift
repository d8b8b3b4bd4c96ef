import Foundation

extension Daemon {
    /// Descriptors kept for everything but client connections: listeners, the
    /// database and its WAL, the log, the metrics server and its clients,
    /// worker pipes, and files opened by calls.
    static let reservedDescriptors: UInt32 = 128

    /// `limits.max_connections` fitted to the process's descriptor limit.
    ///
    /// Past `RLIMIT_NOFILE` the kernel refuses `accept` and libuv resets the
    /// connection: the client sees no GOAWAY, the log no line, and the limit
    /// in force is not the one configured. So the soft limit is raised (up to
    /// the hard limit) to hold `wanted` connections plus the reserve, and where
    /// even the hard limit cannot, `max_connections` is lowered to what fits,
    /// and the reason returned for the log.
    ///
    /// - Returns: the connections to allow, and a warning when that is fewer than wanted.
    static func fitConnections(_ wanted: UInt32) -> (allowed: UInt32, warning: String?) {
        var rl = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &rl) == 0 else { return (wanted, nil) }
        let need = rlim_t(wanted) + rlim_t(reservedDescriptors)
        if rl.rlim_cur < need {
            var raised = rl
            raised.rlim_cur = min(need, rl.rlim_max)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { rl = raised }
        }
        guard rl.rlim_cur < need else { return (wanted, nil) }
        let fits = rl.rlim_cur > rlim_t(reservedDescriptors) ? UInt32(clamping: rl.rlim_cur - rlim_t(reservedDescriptors)) : 1
        return (max(fits, 1), "limits.max_connections = \(wanted) needs \(need) file descriptors, but the process may open \(rl.rlim_cur) (RLIMIT_NOFILE; LimitNOFILE= under systemd): serving at most \(max(fits, 1)) connections")
    }
}
