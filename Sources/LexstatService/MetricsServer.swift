import Foundation

/// A tiny HTTP/1.1 server for `/metrics` (Prometheus text) and `/healthz`.
///
/// One thread of its own, one connection at a time, `Connection: close`:
/// scrapes are rare and small, so this is all it needs, and it never touches
/// the event loop. Defensive: a request may be at most 8 KiB and must arrive
/// within 2 seconds, the answer must leave within 2 seconds, anything but
/// `GET`/`HEAD` of the two paths gets 404/405, and a client that misbehaves
/// only delays the next scrape by those 2 seconds.
public final class MetricsServer: @unchecked Sendable {
    /// What `/healthz` answers: 200 and `ok`, or 503 and the reason.
    public typealias Health = @Sendable () -> (ok: Bool, text: String)

    static let maxRequestBytes = 8192
    static let timeoutMs = 2000

    // Set in init; `stopped` is guarded by `lock`.
    private let listenFD: Int32
    private let wake: (read: Int32, write: Int32)
    private let metrics: @Sendable () -> String
    private let health: Health
    private let lock = NSLock()
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    /// The port bound (useful with port 0).
    public let port: Int
    /// The address as bound, e.g. `127.0.0.1:9433`.
    public let address: String

    /// Binds `host:port` and starts serving on a thread of its own.
    ///
    /// - Parameters:
    ///   - host: an IPv4 or IPv6 literal.
    ///   - port: the port; 0 picks one.
    ///   - metrics: renders the text of `/metrics`, on the server's thread.
    ///   - health: decides `/healthz`.
    /// - Throws: `ConfigError` naming the address when it cannot be bound.
    public init(host: String, port: Int, metrics: @escaping @Sendable () -> String,
                health: @escaping Health) throws(ConfigError) {
        let where_ = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var storage = sockaddr_storage()
        var length: socklen_t = 0
        var family: Int32 = AF_INET
        var a4 = in_addr()
        var a6 = in6_addr()
        if inet_pton(AF_INET, host, &a4) == 1 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = in_port_t(UInt16(port).bigEndian)
            sin.sin_addr = a4
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: sin) { dst.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else if inet_pton(AF_INET6, host, &a6) == 1 {
            family = AF_INET6
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = in_port_t(UInt16(port).bigEndian)
            sin6.sin6_addr = a6
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: sin6) { dst.copyMemory(from: $0) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            throw ConfigError(source: "metrics_listen", reason: "\(host) is not an IP address")
        }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ConfigError(source: "metrics_listen", reason: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ConfigError(source: "metrics_listen", reason: "cannot listen on \(where_): \(reason)")
        }
        var p: [Int32] = [0, 0]
        guard pipe(&p) == 0 else {
            close(fd)
            throw ConfigError(source: "metrics_listen", reason: "pipe: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(p[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(p[1], F_SETFD, FD_CLOEXEC)
        var got = sockaddr_storage()
        var gotLen = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &got) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &gotLen) }
        }
        let boundPort: Int = withUnsafeBytes(of: got) { raw in
            // sin_port and sin6_port are both at offset 2.
            Int(UInt16(raw[2]) << 8 | UInt16(raw[3]))
        }
        listenFD = fd
        wake = (p[0], p[1])
        self.metrics = metrics
        self.health = health
        self.port = boundPort
        self.address = host.contains(":") ? "[\(host)]:\(boundPort)" : "\(host):\(boundPort)"
        let t = Thread { [self] in serve() }
        t.name = "lexstat-metrics"
        t.stackSize = 512 << 10
        t.start()
    }

    /// Stops serving and waits for the thread (at most one request's timeout).
    public func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        guard !already else { return }
        var b: UInt8 = 1
        _ = write(wake.write, &b, 1)
        done.wait()
        close(listenFD)
        close(wake.read)
        close(wake.write)
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func serve() {
        defer { done.signal() }
        while !isStopped {
            var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            let n = poll(&fds, 2, -1)
            if n < 0 && errno == EINTR { continue }
            if n < 0 || fds[1].revents != 0 { return }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            let c = accept(listenFD, nil, nil)
            if c < 0 {
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                    usleep(100_000) // out of descriptors: do not spin on a listener that stays readable
                }
                continue
            }
            _ = fcntl(c, F_SETFD, FD_CLOEXEC)
            answer(c)
            close(c)
        }
    }

    /// Reads one request and answers it.
    private func answer(_ c: Int32) {
        var tv = timeval(tv_sec: Self.timeoutMs / 1000, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(Self.timeoutMs) * 1_000_000
        var request: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 2048)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while true {
            if request.count > Self.maxRequestBytes {
                respond(c, 431, "Request Header Fields Too Large", "request too large\n", head: false)
                return
            }
            if request.count >= 4, request.suffix(min(request.count, 2048 + 4)).firstRange(of: end) != nil { break }
            if DispatchTime.now().uptimeNanoseconds > deadline { return }
            let n = buf.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return } // closed, or the receive timeout passed
            request.append(contentsOf: buf[0..<n])
        }
        let firstLine = request.split(separator: 0x0A, maxSplits: 1).first.map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } ?? ""
        let parts = firstLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            respond(c, 400, "Bad Request", "bad request\n", head: false)
            return
        }
        let method = parts[0]
        let path = parts[1].split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard path == "/metrics" || path == "/healthz" else {
            respond(c, 404, "Not Found", "not found: try /metrics or /healthz\n", head: method == "HEAD")
            return
        }
        guard method == "GET" || method == "HEAD" else {
            respond(c, 405, "Method Not Allowed", "only GET and HEAD\n", head: false, extra: "Allow: GET, HEAD\r\n")
            return
        }
        if path == "/metrics" {
            respond(c, 200, "OK", metrics(), head: method == "HEAD",
                    contentType: "text/plain; version=0.0.4; charset=utf-8")
        } else {
            let h = health()
            respond(c, h.ok ? 200 : 503, h.ok ? "OK" : "Service Unavailable", h.text + "\n", head: method == "HEAD")
        }
    }

    private func respond(_ c: Int32, _ code: Int, _ reason: String, _ body: String, head: Bool,
                         contentType: String = "text/plain; charset=utf-8", extra: String = "") {
        let bodyBytes = Array(body.utf8)
        var out = Array(("HTTP/1.1 \(code) \(reason)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(bodyBytes.count)\r\nConnection: close\r\n\(extra)\r\n").utf8)
        if !head { out += bodyBytes }
        var off = 0
        while off < out.count {
            let n = out.withUnsafeBytes { send(c, $0.baseAddress! + off, out.count - off, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            off += n
        }
    }
}
