import Foundation
import LexstatRPC

/// Blocking POSIX socket helpers for the client.
enum Socket {
    /// Connects within `timeout`, returning a blocking descriptor.
    static func connect(_ address: ServerAddress, timeout: Duration) throws(RPCError) -> Int32 {
        switch address {
        case .unix(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw RPCError(.unavailable, "socket: \(errno_string())") }
            var sa = sockaddr_un()
            sa.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: sa.sun_path) else {
                close(fd)
                throw RPCError(.invalidArgument, "Unix socket path too long: \(path)")
            }
            withUnsafeMutableBytes(of: &sa.sun_path) { p in
                for (i, b) in bytes.enumerated() { p[i] = b }
            }
            let rc = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard rc == 0 else {
                let e = errno_string()
                close(fd)
                throw RPCError(.unavailable, "cannot connect to unix:\(path): \(e)")
            }
            return fd
        case .tcp(let host, let port):
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_family = AF_UNSPEC
            var res: UnsafeMutablePointer<addrinfo>?
            let gai = getaddrinfo(host, String(port), &hints, &res)
            guard gai == 0, let first = res else {
                throw RPCError(.unavailable, "cannot resolve \(host): \(String(cString: gai_strerror(gai)))")
            }
            defer { freeaddrinfo(res) }
            var lastError = "no address"
            var ai: UnsafeMutablePointer<addrinfo>? = first
            while let a = ai {
                ai = a.pointee.ai_next
                let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
                if fd < 0 { lastError = errno_string(); continue }
                if connectWithTimeout(fd, a.pointee.ai_addr, a.pointee.ai_addrlen, timeout) {
                    var one: Int32 = 1
                    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    return fd
                }
                lastError = errno_string()
                close(fd)
            }
            throw RPCError(.unavailable, "cannot connect to \(address): \(lastError)")
        }
    }

    private static func connectWithTimeout(_ fd: Int32, _ addr: UnsafeMutablePointer<sockaddr>?, _ len: socklen_t,
                                           _ timeout: Duration) -> Bool {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if Glibc.connect(fd, addr, len) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ms = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&pfd, 1, max(ms, 1)) == 1 else { errno = ETIMEDOUT; return false }
        var err: Int32 = 0
        var elen = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen)
        if err != 0 { errno = err; return false }
        return true
    }

    /// Writes all bytes; false when the connection is gone.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = send(fd, bytes.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }
}

func errno_string() -> String { String(cString: strerror(errno)) }
