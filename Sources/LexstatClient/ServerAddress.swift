import Foundation

/// Where a client connects: `HOST:PORT` or `unix:PATH`.
public enum ServerAddress: Hashable, Sendable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// The daemon `make run` starts: its Unix socket when present, else TCP 127.0.0.1:7433.
    public static var local: ServerAddress {
        let sock = "var/lexstatd.sock"
        if FileManager.default.fileExists(atPath: sock) { return .unix(path: sock) }
        return .tcp(host: "127.0.0.1", port: 7433)
    }

    /// `LEXSTAT_SERVER` when set, else `local`.
    public static var fromEnvironment: ServerAddress? {
        guard let s = ProcessInfo.processInfo.environment["LEXSTAT_SERVER"], !s.isEmpty else { return local }
        return ServerAddress(parsing: s)
    }

    /// Parses `127.0.0.1:7433`, `localhost:7433`, `[::1]:7433` or `unix:PATH`.
    public init?(parsing s: String) {
        if s.hasPrefix("unix:") {
            let p = String(s.dropFirst(5))
            guard !p.isEmpty else { return nil }
            self = .unix(path: p)
            return
        }
        guard let colon = s.lastIndex(of: ":") else { return nil }
        var host = String(s[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(s[s.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        self = .tcp(host: host, port: port)
    }

    public var description: String {
        switch self {
        case .tcp(let h, let p): return h.contains(":") ? "[\(h)]:\(p)" : "\(h):\(p)"
        case .unix(let p): return "unix:\(p)"
        }
    }
}
