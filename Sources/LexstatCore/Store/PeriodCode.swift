/// A period packed into an `Int32` for the in-memory indexes.
///
/// `year·1000` for a year, `+100+q` for a quarter, `+200+m` for a month,
/// `Int32.max` for cumulative. Codes of one year sort year, quarters, months;
/// use ``Period``'s own order where calendar order matters.
enum PeriodCode {
    static let cumulative = Int32.max

    static func encode(_ p: Period) -> Int32 {
        switch p {
        case .year(let y): return Int32(y * 1000)
        case .quarter(let y, let q): return Int32(y * 1000 + 100 + q)
        case .month(let y, let m): return Int32(y * 1000 + 200 + m)
        case .cumulative: return cumulative
        }
    }

    /// Encodes the canonical text form (`2024`, `2024Q2`, `2024-05`) straight from
    /// UTF-8 bytes; `nil` for anything else (then parse the text properly).
    static func encode(canonical b: UnsafeBufferPointer<UInt8>) -> Int32? {
        func digits(_ r: Range<Int>) -> Int32? {
            var v: Int32 = 0
            for i in r {
                let d = Int32(b[i]) - 48
                guard (0...9).contains(d) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard b.count >= 4, let y = digits(0..<4), Period.validYears.contains(Int(y)) else { return nil }
        switch b.count {
        case 4: return y * 1000
        case 6 where b[4] == UInt8(ascii: "Q"):
            guard let q = digits(5..<6), (1...4).contains(q) else { return nil }
            return y * 1000 + 100 + q
        case 7 where b[4] == UInt8(ascii: "-"):
            guard let m = digits(5..<7), (1...12).contains(m) else { return nil }
            return y * 1000 + 200 + m
        default: return nil
        }
    }

    static func decode(_ c: Int32) -> Period {
        if c == cumulative { return .cumulative }
        let y = Int(c / 1000), s = Int(c % 1000)
        switch s {
        case 0: return .year(y)
        case 101...104: return .quarter(y, s - 100)
        default: return .month(y, s - 200)
        }
    }
}
