import Foundation

/// Page sizes and opaque page tokens shared by the paginated queries.
///
/// A token is base64url of `v1|<query kind>|<fingerprint of the filters>|<last id>`:
/// it resumes after the last item returned, and is refused for a different
/// query, so a client cannot silently mix pages of two listings.
enum Paging {
    static let defaultSize = 100
    static let maxSize = 10_000

    /// The page size to use: `nil` or 0 → the default; 1…10000 as given.
    static func size(_ n: Int?, field: String = "page_size") throws(LexstatError) -> Int {
        guard let n, n != 0 else { return defaultSize }
        guard (1...maxSize).contains(n) else {
            throw .invalidArgument("\(field): \(n) is outside 1–\(maxSize)")
        }
        return n
    }

    static func token(kind: String, fingerprint: String, lastId: Int64) -> String {
        Data("v1|\(kind)|\(fingerprint)|\(lastId)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The id to resume after: 0 for no token.
    static func resume(_ token: String?, kind: String, fingerprint: String, field: String = "page_token") throws(LexstatError) -> Int64 {
        guard let token, !token.isEmpty else { return 0 }
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let text = String(data: data, encoding: .utf8) else {
            throw .invalidArgument("\(field): not a token this server issued")
        }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1", let last = Int64(parts[3]), last >= 0 else {
            throw .invalidArgument("\(field): not a token this server issued")
        }
        guard parts[1] == kind, parts[2] == fingerprint else {
            throw .invalidArgument("\(field): the token belongs to another query; repeat the filters of the first page")
        }
        return last
    }

    /// A short stable fingerprint of filter values (FNV-1a, hex).
    static func fingerprint(_ parts: [String]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in parts.joined(separator: "\u{1f}").utf8 {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        return String(h, radix: 16)
    }
}
