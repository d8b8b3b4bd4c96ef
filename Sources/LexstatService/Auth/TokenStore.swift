import Foundation
import LexstatCore
import LexstatRPC

/// Bearer tokens and what each may do, read from a file.
///
/// File format, one token a line: `ROLE TOKEN [NAME]`, ROLE `write` (read
/// and write) or `read`; `#` starts a comment. The file must not be readable
/// or writable by others (mode `o-rwx`), or it is refused. Tokens are
/// compared by their SHA-256 digests in constant time.
public final class TokenStore: @unchecked Sendable {
    /// What a token may do.
    public enum Role: String, Sendable {
        case read, write
    }

    struct Entry {
        let digest: [UInt8]
        let role: Role
        let name: String
    }

    // `entries` and `readsNeedToken` are replaced together under `lock` (reload).
    private let lock = NSLock()
    private var entries: [Entry] = []
    private var readsNeedToken: Bool
    public let path: String

    /// Loads a tokens file.
    ///
    /// - Parameter readsNeedToken: whether methods that only read need a token too.
    /// - Throws: `LexstatError.permissionDenied` when others may read the file,
    ///   `.invalidArgument` naming the line of a malformed entry, `.notFound` when it is missing.
    public init(path: String, readsNeedToken: Bool = false) throws(LexstatError) {
        self.path = path
        self.readsNeedToken = readsNeedToken
        entries = try TokenStore.load(path)
    }

    /// Re-reads the file (SIGHUP). On error the tokens in force stay.
    ///
    /// - Returns: how many tokens are now in force.
    @discardableResult
    public func reload(readsNeedToken: Bool? = nil) throws(LexstatError) -> Int {
        let fresh = try TokenStore.load(path)
        lock.lock()
        entries = fresh
        if let readsNeedToken { self.readsNeedToken = readsNeedToken }
        lock.unlock()
        return fresh.count
    }

    /// Reads and checks a tokens file without keeping it, as start-up would
    /// (for the configuration check).
    ///
    /// - Returns: how many tokens it holds.
    /// - Throws: as `init(path:readsNeedToken:)`.
    @discardableResult
    public static func check(path: String) throws(LexstatError) -> Int {
        try load(path).count
    }

    static func load(_ path: String) throws(LexstatError) -> [Entry] {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw .notFound("tokens file \(path): \(String(cString: strerror(errno)))")
        }
        guard st.st_mode & 0o007 == 0 else {
            throw .permissionDenied("tokens file \(path) is accessible by others (mode \(String(st.st_mode & 0o777, radix: 8))); chmod o-rwx it")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .invalidArgument("tokens file \(path): cannot read it as UTF-8 text")
        }
        var out: [Entry] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if fields.isEmpty { continue }
            guard fields.count >= 2, let role = Role(rawValue: fields[0]) else {
                throw .invalidArgument("tokens file \(path):\(n + 1): expected `write|read TOKEN [NAME]`")
            }
            guard fields[1].count >= 16 else {
                throw .invalidArgument("tokens file \(path):\(n + 1): a token must be at least 16 characters")
            }
            out.append(Entry(digest: digest(fields[1]), role: role,
                             name: fields.count > 2 ? fields[2...].joined(separator: " ") : "token on line \(n + 1)"))
        }
        return out
    }

    static func digest(_ token: String) -> [UInt8] { Array(SHA256.hex(Array(token.utf8)).utf8) }

    /// Equal-length comparison whose time does not depend on where bytes differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// Reads answered without a token even when reads need one: probes and
    /// load balancers ask Health without credentials, as of grpc.health.v1.
    static let alwaysOpen: Set<String> = ["lexstat.v1.Lexstat/Health"]

    /// Checks the call's `authorization` metadata against what the method needs.
    ///
    /// - Throws: `UNAUTHENTICATED` without a known token, `PERMISSION_DENIED`
    ///   when the token may only read and the method writes.
    public func authorize(method: String, writes: Bool, metadata: Metadata) throws(RPCError) {
        lock.lock()
        let entries = self.entries
        let readsNeedToken = self.readsNeedToken
        lock.unlock()
        guard writes || (readsNeedToken && !TokenStore.alwaysOpen.contains(method)) else { return }
        guard let header = metadata["authorization"] else {
            throw RPCError(.unauthenticated, "\(method) \(writes ? "changes stored data" : "needs a token here"): "
                + "send `authorization: Bearer <token>` (lexstat --token-file FILE or LEXSTAT_TOKEN_FILE)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw RPCError(.unauthenticated, "authorization: expected `Bearer <token>`")
        }
        let d = TokenStore.digest(String(parts[1]).trimmingCharacters(in: .whitespaces))
        // Compare with every entry, so the time does not tell which one matched.
        var match: Entry?
        for e in entries where TokenStore.constantTimeEqual(e.digest, d) { match = e }
        guard let match else { throw RPCError(.unauthenticated, "authorization: token not recognised") }
        if writes && match.role != .write {
            throw RPCError(.permissionDenied, "\(match.name) may read but not write; \(method) changes stored data")
        }
    }
}
