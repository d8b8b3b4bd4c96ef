import LexstatNet

/// Call metadata: ordered key/value pairs such as `authorization` and `request-id`.
///
/// On the wire (Proto/PROTOCOL.md): repeated `u8 key_len | key | u16 value_len | value`.
/// Keys are lowercase ASCII of 1–255 bytes; values are at most 65,535 bytes.
public struct Metadata: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [(key: String, value: String)]

    public init() { entries = [] }

    public init(dictionaryLiteral elements: (String, String)...) {
        entries = elements.map { (key: $0.0.lowercased(), value: $0.1) }
    }

    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key.lowercased() }?.value }
        set {
            let k = key.lowercased()
            entries.removeAll { $0.key == k }
            if let v = newValue { entries.append((key: k, value: v)) }
        }
    }

    /// The wire form. Entries that cannot be encoded (over-long keys or values) are dropped.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        for (k, v) in entries {
            let kb = Array(k.utf8), vb = Array(v.utf8)
            guard (1...255).contains(kb.count), vb.count <= 65_535 else { continue }
            out.append(UInt8(kb.count))
            out += kb
            out.append(UInt8(vb.count >> 8))
            out.append(UInt8(vb.count & 0xff))
            out += vb
        }
        return out
    }

    /// Reads the wire form; malformed input yields the entries before the fault.
    public init(decoding bytes: UnsafeRawBufferPointer) {
        entries = []
        var i = 0
        let n = bytes.count
        while i < n {
            let kl = Int(bytes[i]); i += 1
            guard kl > 0, kl <= n - i else { break }
            let k = String(decoding: bytes[i..<i + kl], as: UTF8.self); i += kl
            guard n - i >= 2 else { break }
            let vl = Int(bytes[i]) << 8 | Int(bytes[i + 1]); i += 2
            guard vl <= n - i else { break }
            entries.append((key: k, value: String(decoding: bytes[i..<i + vl], as: UTF8.self)))
            i += vl
        }
    }

    public static func == (a: Metadata, b: Metadata) -> Bool {
        a.entries.map(\.key) == b.entries.map(\.key) && a.entries.map(\.value) == b.entries.map(\.value)
    }

    public func hash(into h: inout Hasher) {
        for (k, v) in entries { h.combine(k); h.combine(v) }
    }
}
