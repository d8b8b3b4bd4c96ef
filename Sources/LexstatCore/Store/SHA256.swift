import CCrypto

/// SHA-256, from the system's libcrypto (OpenSSL).
public enum SHA256 {
    /// The digest of `bytes`, as lowercase hex.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let input = Array(bytes)
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        input.withUnsafeBufferPointer { p in
            _ = CCrypto.SHA256(p.baseAddress, p.count, &digest)
        }
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(digest.count * 2)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The content hash of a report text: SHA-256 of its UTF-8 with all white space removed,
    /// so re-wrapped or re-indented copies of one text hash alike.
    public static func contentHash(of text: String) -> String {
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.lazy.filter { !$0.properties.isWhitespace })
        return hex(String(kept).utf8)
    }
}
