import Foundation

/// A tiny HTTP/1.1 server for `/metrics` (Prometheus text) and `/healthz`.
///
/// One thread of its own that polls the listening socket and up to
/// `maxClients` connections at once, `Connection: close`: scrapes are rare and
/// small, so this is all it needs, and it never touches the event loop.
/// Defensive: a request may be at most 8 KiB and must arrive within 2 seconds
/// of the connection, the answer must leave within 2 seconds, anything but
/// `GET`/`HEAD` of the two paths gets 404/405. Each connection has its own
/// deadline, so one that says nothing (a port scanner, a stuck client) delays
/// no other; when `maxClients` are open, a new one closes the oldest.
public final class MetricsServer: @unchecked Sendable {
    /// What `/healthz` answers: 200 and `ok`, or 503 and the reason.
    public typealias Health = @Sendable () -> (ok: Bool, text: String)

    static let maxRequestBytes = 8192
    static let timeoutMs = 2000
    /// Connections served at once; a further one closes the oldest.
    public static let maxClients = 64

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

    /// Stops serving, closes the connections still open and waits for the thread.
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

    /// One connection: the request as it arrives, then the answer as it leaves.
    private struct Client {
        let fd: Int32
        var deadline: UInt64          // uptime in ns: the request's, then the answer's
        var request: [UInt8] = []
        var answer: [UInt8]? = nil    // set once the request is complete
        var sent = 0
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    private func serve() {
        defer { done.signal() }
        _ = fcntl(listenFD, F_SETFL, fcntl(listenFD, F_GETFL) | O_NONBLOCK)
        var clients: [Client] = []
        defer { for c in clients { close(c.fd) } }
        while !isStopped {
            let now = Self.now()
            clients.removeAll { c in
                guard c.deadline <= now else { return false }
                close(c.fd) // the request did not arrive, or the answer did not leave, in time
                return true
            }
            var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            for c in clients {
                fds.append(pollfd(fd: c.fd, events: Int16(c.answer == nil ? POLLIN : POLLOUT), revents: 0))
            }
            var timeout: Int32 = -1
            if let next = clients.map(\.deadline).min() {
                timeout = Int32(min(UInt64(Self.timeoutMs), (next - now + 999_999) / 1_000_000))
            }
            let n = poll(&fds, nfds_t(fds.count), timeout)
            if n < 0 && errno == EINTR { continue }
            if n < 0 || fds[1].revents != 0 { return }
            var open: [Client] = []
            open.reserveCapacity(clients.count)
            for (i, var c) in clients.enumerated() {
                if fds[2 + i].revents == 0 || step(&c) { open.append(c) } else { close(c.fd) }
            }
            clients = open
            if fds[0].revents & Int16(POLLIN) != 0 { acceptAll(&clients) }
        }
    }

    /// Accepts what the listener holds; over `maxClients`, the oldest connection makes room.
    private func acceptAll(_ clients: inout [Client]) {
        for _ in 0..<Self.maxClients {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
                    usleep(100_000) // out of descriptors: do not spin on a listener that stays readable
                }
                return
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if clients.count >= Self.maxClients {
                close(clients.removeFirst().fd)
            }
            clients.append(Client(fd: fd, deadline: Self.now() + UInt64(Self.timeoutMs) * 1_000_000))
        }
    }

    /// Reads what the connection sent or writes what it can take. False when it is done with.
    private func step(_ c: inout Client) -> Bool {
        if c.answer == nil {
            var buf = [UInt8](repeating: 0, count: 2048)
            while c.answer == nil {
                let n = buf.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
                if n <= 0 { return false } // closed before the request was complete
                c.request.append(contentsOf: buf[0..<n])
                if let a = answer(to: c.request) {
                    c.answer = a
                    c.deadline = Self.now() + UInt64(Self.timeoutMs) * 1_000_000
                }
            }
        }
        guard let out = c.answer else { return true }
        while c.sent < out.count {
            let n = out.withUnsafeBytes { send(c.fd, $0.baseAddress! + c.sent, out.count - c.sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return true }
            if n <= 0 { return false }
            c.sent += n
        }
        return false // all sent: Connection: close
    }

    /// The whole answer to a request, or nil while more of it is to come.
    private func answer(to request: [UInt8]) -> [UInt8]? {
        if request.count > Self.maxRequestBytes {
            return respond(431, "Request Header Fields Too Large", "request too large\n", head: false)
        }
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        guard request.count >= 4, request.firstRange(of: end) != nil else { return nil }
        let firstLine = request.split(separator: 0x0A, maxSplits: 1).first.map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } ?? ""
        let parts = firstLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            return respond(400, "Bad Request", "bad request\n", head: false)
        }
        let method = parts[0]
        let path = parts[1].split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard path == "/metrics" || path == "/healthz" else {
            return respond(404, "Not Found", "not found: try /metrics or /healthz\n", head: method == "HEAD")
        }
        guard method == "GET" || method == "HEAD" else {
            return respond(405, "Method Not Allowed", "only GET and HEAD\n", head: false, extra: "Allow: GET, HEAD\r\n")
        }
        if path == "/metrics" {
            return respond(200, "OK", metrics(), head: method == "HEAD",
                           contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        let h = health()
        return respond(h.ok ? 200 : 503, h.ok ? "OK" : "Service Unavailable", h.text + "\n", head: method == "HEAD")
    }

    private func respond(_ code: Int, _ reason: String, _ body: String, head: Bool,
                         contentType: String = "text/plain; charset=utf-8", extra: String = "") -> [UInt8] {
        let bodyBytes = Array(body.utf8)
        var out = Array(("HTTP/1.1 \(code) \(reason)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(bodyBytes.count)\r\nConnection: close\r\n\(extra)\r\n").utf8)
        if !head { out += bodyBytes }
        return out
    }
}
