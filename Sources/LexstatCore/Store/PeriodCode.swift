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
