import Foundation

/// Tells systemd how the service is doing: the `sd_notify(3)` datagram protocol.
///
/// Reads `NOTIFY_SOCKET` (a path, or `@name` for the abstract namespace) and
/// sends newline-separated `KEY=value` assignments as one datagram each
/// (`READY=1`, `STATUS=…`, `STOPPING=1`, `WATCHDOG=1`). Without
/// `NOTIFY_SOCKET` every call does nothing, so the daemon runs the same
/// without systemd. Thread-safe: one socket, one `sendto` per message.
public final class SystemdNotifier: Sendable {
    private let fd: Int32
    private let address: sockaddr_un
    private let addressLength: socklen_t

    /// The socket named by the environment, if any.
    public let socketPath: String?

    /// The watchdog interval systemd expects pings within (`WATCHDOG_USEC`),
    /// if it is meant for this process (`WATCHDOG_PID` absent or ours).
    public let watchdogMicroseconds: UInt64?

    /// - Parameter environment: where `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` are read.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        var usec: UInt64?
        if let s = environment["WATCHDOG_USEC"], let v = UInt64(s), v > 0 {
            if let pid = environment["WATCHDOG_PID"], let p = Int32(pid), p != getpid() {
                usec = nil
            } else {
                usec = v
            }
        }
        watchdogMicroseconds = usec

        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let path = environment["NOTIFY_SOCKET"] ?? ""
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        let valid = (bytes.first == UInt8(ascii: "/") || bytes.first == UInt8(ascii: "@"))
            && bytes.count >= 2 && bytes.count < capacity
        guard valid, case let sock = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0), sock >= 0 else {
            fd = -1
            address = addr
            addressLength = 0
            socketPath = nil
            return
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            if bytes[0] == UInt8(ascii: "@") { raw[0] = 0 } // abstract: a leading NUL, no terminator
        }
        let base = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        fd = sock
        address = addr
        addressLength = socklen_t(base + bytes.count + (bytes[0] == UInt8(ascii: "@") ? 0 : 1))
        socketPath = path
    }

    deinit { if fd >= 0 { close(fd) } }

    /// True when there is a socket to notify.
    public var isEnabled: Bool { fd >= 0 }

    /// Sends one message, e.g. `"READY=1\nSTATUS=serving"`.
    ///
    /// - Returns: true if it was sent (false without `NOTIFY_SOCKET`, or on an error).
    @discardableResult
    public func send(_ message: String) -> Bool {
        guard fd >= 0 else { return false }
        var addr = address
        let bytes = Array(message.utf8)
        let n = bytes.withUnsafeBytes { buf in
            withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buf.baseAddress, buf.count, Int32(MSG_NOSIGNAL), $0, addressLength)
                }
            }
        }
        return n == bytes.count
    }

    /// `READY=1` with a status line.
    public func ready(status: String) { send("READY=1\nSTATUS=\(Self.oneLine(status))") }
    /// A `STATUS=` line (what `systemctl status` shows).
    public func status(_ text: String) { send("STATUS=\(Self.oneLine(text))") }
    /// `STOPPING=1` with a status line.
    public func stopping(status: String) { send("STOPPING=1\nSTATUS=\(Self.oneLine(status))") }
    /// `RELOADING=1` with the monotonic time systemd wants alongside it.
    public func reloading() {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        send("RELOADING=1\nMONOTONIC_USEC=\(UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000)\nSTATUS=reloading")
    }
    /// `WATCHDOG=1`: the service is alive.
    public func watchdog() { send("WATCHDOG=1") }

    private static func oneLine(_ s: String) -> String {
        s.replacingOccurrences(of: "\n", with: " ")
    }
}

/// Sockets handed over by systemd's socket activation (`sd_listen_fds(3)`).
public enum SocketActivation {
    /// The first inherited descriptor.
    public static let firstFD: Int32 = 3

    /// The descriptors passed with `LISTEN_FDS` if `LISTEN_PID` is this process;
    /// each is marked close-on-exec. Empty otherwise.
    ///
    /// - Parameter unsetEnvironment: remove the variables so children do not see them.
    public static func inheritedSockets(environment: [String: String] = ProcessInfo.processInfo.environment,
                                        unsetEnvironment: Bool = true) -> [Int32] {
        defer {
            if unsetEnvironment {
                unsetenv("LISTEN_PID")
                unsetenv("LISTEN_FDS")
                unsetenv("LISTEN_FDNAMES")
            }
        }
        guard let pidText = environment["LISTEN_PID"], let pid = Int32(pidText), pid == getpid(),
              let countText = environment["LISTEN_FDS"], let count = Int32(countText), count > 0, count <= 64
        else { return [] }
        var fds: [Int32] = []
        for fd in firstFD..<(firstFD + count) {
            let flags = fcntl(fd, F_GETFD)
            guard flags >= 0 else { continue }
            _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
            fds.append(fd)
        }
        return fds
    }

    /// The address a socket is bound to: `127.0.0.1:7433`, `[::1]:7433`,
    /// `unix:/run/lexstat/lexstatd.sock`, or `fd N` when it cannot say.
    public static func describe(fd: Int32) -> String {
        var ss = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &ss) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        guard rc == 0 else { return "fd \(fd)" }
        switch Int32(ss.ss_family) {
        case AF_INET:
            var sin = withUnsafeBytes(of: ss) { $0.load(as: sockaddr_in.self) }
            var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &sin.sin_addr, &buf, socklen_t(buf.count))
            return "\(String(cString: buf)):\(UInt16(bigEndian: sin.sin_port))"
        case AF_INET6:
            var sin6 = withUnsafeBytes(of: ss) { $0.load(as: sockaddr_in6.self) }
            var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &sin6.sin6_addr, &buf, socklen_t(buf.count))
            return "[\(String(cString: buf))]:\(UInt16(bigEndian: sin6.sin6_port))"
        case AF_UNIX:
            let path = withUnsafeBytes(of: ss) { raw -> String in
                let bytes = raw[2..<Int(len)].prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            return path.isEmpty ? "fd \(fd)" : "unix:\(path)"
        default:
            return "fd \(fd)"
        }
    }
}
