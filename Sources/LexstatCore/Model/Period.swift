import Foundation

/// The period a figure is about: a year, a quarter, a month, or a cumulative total.
public enum Period: Hashable, Sendable, Comparable {
    case year(Int)
    case quarter(Int, Int)
    case month(Int, Int)
    /// A total since a start (累计, 成立以来).
    case cumulative

    /// Years a period may name.
    public static let validYears = 1949...2100

    /// Parses `2024`, `2024Q2`, `2024-05` or `cumulative`.
    ///
    /// - Throws: `LexstatError.invalidArgument` naming the rule that failed.
    public init(parsing text: String) throws(LexstatError) {
        let t = text.trimmedForLookup(.whitespaces)
        func year(_ s: Substring) throws(LexstatError) -> Int {
            guard s.count == 4, s.allSatisfy(\.isASCIIDigit), let y = Int(s) else {
                throw .invalidArgument("period \"\(text)\": expected a four-digit year, a quarter like 2024Q2, a month like 2024-05, or cumulative")
            }
            guard Period.validYears.contains(y) else {
                throw .invalidArgument("period \"\(text)\": year \(y) is outside \(Period.validYears.lowerBound)–\(Period.validYears.upperBound)")
            }
            return y
        }
        if t == "cumulative" { self = .cumulative; return }
        if let q = t.firstIndex(where: { $0 == "Q" || $0 == "q" }) {
            let y = try year(t[..<q])
            let rest = t[t.index(after: q)...]
            guard rest.count == 1, let n = Int(rest), (1...4).contains(n) else {
                throw .invalidArgument("period \"\(text)\": a quarter is 1 to 4")
            }
            self = .quarter(y, n); return
        }
        if let dash = t.firstIndex(of: "-") {
            let y = try year(t[..<dash])
            let rest = t[t.index(after: dash)...]
            guard (1...2).contains(rest.count), rest.allSatisfy(\.isASCIIDigit), let m = Int(rest), (1...12).contains(m) else {
                throw .invalidArgument("period \"\(text)\": a month is 01 to 12")
            }
            self = .month(y, m); return
        }
        self = .year(try year(Substring(t)))
    }

    /// The canonical text form: `2024`, `2024Q2`, `2024-05`, `cumulative`.
    public var text: String {
        switch self {
        case .year(let y): return String(y)
        case .quarter(let y, let q): return "\(y)Q\(q)"
        case .month(let y, let m): return m < 10 ? "\(y)-0\(m)" : "\(y)-\(m)"
        case .cumulative: return "cumulative"
        }
    }

    /// The calendar year the period falls in, if any.
    public var year: Int? {
        switch self {
        case .year(let y), .quarter(let y, _), .month(let y, _): return y
        case .cumulative: return nil
        }
    }

    private var sortKey: (Int, Int) {
        switch self {
        case .year(let y): return (y * 100 + 99, 0)
        case .quarter(let y, let q): return (y * 100 + q * 3, 1)
        case .month(let y, let m): return (y * 100 + m, 2)
        case .cumulative: return (Int.max, 0)
        }
    }

    public static func < (a: Period, b: Period) -> Bool { a.sortKey < b.sortKey }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
