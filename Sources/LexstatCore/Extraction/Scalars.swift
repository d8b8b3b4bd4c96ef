/// Low-level helpers over text held as an array of Unicode scalar values.
///
/// The extractor works on `[UInt32]` rather than `String` so that positions are
/// code-point offsets (the unit the scorer and `Provenance` use) and scanning is
/// a plain array walk.
enum Scalars {
    /// The scalar values of a string.
    @inline(__always)
    static func of(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    /// A string from a slice of scalar values.
    /// Encodes UTF-8 into one buffer: appending scalar by scalar to a
    /// String costs several times more, and this runs for every mention.
    static func string(_ u: [UInt32], _ r: Range<Int>) -> String {
        let lo = max(0, r.lowerBound), hi = min(u.count, r.upperBound)
        guard lo < hi else { return "" }
        return String(unsafeUninitializedCapacity: (hi - lo) * 4) { buf in
            var n = 0
            for i in lo..<hi {
                guard let c = Unicode.Scalar(u[i])?.value else { continue }   // no surrogates, nothing over 10FFFF
                switch c {
                case 0..<0x80:
                    buf[n] = UInt8(c); n += 1
                case 0x80..<0x800:
                    buf[n] = UInt8(0xC0 | c >> 6); buf[n + 1] = UInt8(0x80 | c & 0x3F); n += 2
                case 0x800..<0x10000:
                    buf[n] = UInt8(0xE0 | c >> 12); buf[n + 1] = UInt8(0x80 | c >> 6 & 0x3F)
                    buf[n + 2] = UInt8(0x80 | c & 0x3F); n += 3
                default:
                    buf[n] = UInt8(0xF0 | c >> 18); buf[n + 1] = UInt8(0x80 | c >> 12 & 0x3F)
                    buf[n + 2] = UInt8(0x80 | c >> 6 & 0x3F); buf[n + 3] = UInt8(0x80 | c & 0x3F); n += 4
                }
            }
            return n
        }
    }

    /// Whether `lit` occurs in `u` starting at `i`.
    @inline(__always)
    static func has(_ u: [UInt32], _ lit: [UInt32], at i: Int) -> Bool {
        guard i >= 0, i + lit.count <= u.count else { return false }
        var k = 0
        while k < lit.count {
            if u[i + k] != lit[k] { return false }
            k += 1
        }
        return true
    }

    /// Whether `lit` occurs in `u` ending just before `e`.
    @inline(__always)
    static func hasEnding(_ u: [UInt32], _ lit: [UInt32], at e: Int) -> Bool {
        has(u, lit, at: e - lit.count)
    }

    /// The first occurrence of `lit` in `u[r]`, or nil.
    static func find(_ u: [UInt32], _ lit: [UInt32], in r: Range<Int>) -> Int? {
        guard !lit.isEmpty, r.count >= lit.count else { return nil }
        let first = lit[0]
        var i = r.lowerBound
        let last = r.upperBound - lit.count
        while i <= last {
            if u[i] == first && has(u, lit, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// The last occurrence of `lit` in `u[r]`, or nil.
    static func findLast(_ u: [UInt32], _ lit: [UInt32], in r: Range<Int>) -> Int? {
        guard !lit.isEmpty, r.count >= lit.count else { return nil }
        var i = r.upperBound - lit.count
        while i >= r.lowerBound {
            if has(u, lit, at: i) { return i }
            i -= 1
        }
        return nil
    }

    /// Whether a slice holds `lit` anywhere.
    @inline(__always)
    static func contains(_ u: [UInt32], _ lit: [UInt32], in r: Range<Int>) -> Bool {
        find(u, lit, in: r) != nil
    }

    /// Whether an array holds `lit` anywhere.
    static func contains(_ hay: [UInt32], _ lit: [UInt32]) -> Bool {
        find(hay, lit, in: 0..<hay.count) != nil
    }

    // MARK: character classes

    @inline(__always) static func isASCIIDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isWideDigit(_ c: UInt32) -> Bool { c >= 0xFF10 && c <= 0xFF19 }
    @inline(__always) static func isDigit(_ c: UInt32) -> Bool { isASCIIDigit(c) || isWideDigit(c) }
    @inline(__always) static func digitValue(_ c: UInt32) -> Int {
        isASCIIDigit(c) ? Int(c - 0x30) : Int(c - 0xFF10)
    }
    @inline(__always) static func isASCIILetter(_ c: UInt32) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A)
    }
    /// A CJK ideograph (the basic block and extension A).
    @inline(__always) static func isHan(_ c: UInt32) -> Bool {
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)
    }
    @inline(__always) static func isNewline(_ c: UInt32) -> Bool { c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029 }
    @inline(__always) static func isSpace(_ c: UInt32) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x3000 || c == 0xA0 || c == 0x0B || c == 0x0C || c == 0xFEFF
    }

    /// Ends a sentence: 。！？；!?; and line breaks.
    @inline(__always) static func endsSentence(_ c: UInt32) -> Bool {
        switch c {
        case 0x3002, 0xFF01, 0xFF1F, 0xFF1B, 0x21, 0x3F, 0x3B, 0x0A, 0x0D: return true
        default: return false
        }
    }

    /// Ends a clause: a sentence end or ，,：: (not 、, which joins parallel items).
    @inline(__always) static func endsClause(_ c: UInt32) -> Bool {
        switch c {
        case 0xFF0C, 0x2C, 0xFF1A, 0x3A: return true
        default: return endsSentence(c)
        }
    }
}
