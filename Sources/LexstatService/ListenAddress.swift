/// Where a server listens: `HOST:PORT`, `[IPv6]:PORT` or `unix:PATH`.
public enum ListenAddress: Hashable, Sendable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// Parses `127.0.0.1:7433`, `[::1]:7433`, `unix:/run/lexstatd.sock` or a path starting with `/` or `.`.
    public init?(parsing s: String) {
        if s.hasPrefix("unix:") {
            let p = String(s.dropFirst(5))
            guard !p.isEmpty else { return nil }
            self = .unix(path: p)
            return
        }
        if s.hasPrefix("/") || s.hasPrefix(".") {
            self = .unix(path: s)
            return
        }
        guard let colon = s.lastIndex(of: ":") else { return nil }
        var host = String(s[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(s[s.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        self = .tcp(host: host, port: port)
    }

    public var description: String {
        switch self {
        case .tcp(let h, let p): return h.contains(":") ? "[\(h)]:\(p)" : "\(h):\(p)"
        case .unix(let path): return "unix:\(path)"
        }
    }
}
