/// Calendar spans of periods, for range filters and for adding parts up to a whole.
extension Period {
    /// The months the period covers, as `year·12 + month − 1`; `nil` for cumulative.
    var monthSpan: ClosedRange<Int>? {
        switch self {
        case .year(let y): return (y * 12)...(y * 12 + 11)
        case .quarter(let y, let q): return (y * 12 + 3 * (q - 1))...(y * 12 + 3 * (q - 1) + 2)
        case .month(let y, let m): return (y * 12 + m - 1)...(y * 12 + m - 1)
        case .cumulative: return nil
        }
    }
}

/// An inclusive range of months a filter keeps; periods must lie wholly inside.
struct PeriodFilter: Equatable {
    var from: Int?
    var to: Int?

    /// Parses `from` and `to` (either may be empty), naming the field on error.
    init(from: String?, to: String?) throws(LexstatError) {
        if let f = from, !f.isEmpty { self.from = try PeriodFilter.span(f, field: "from").lowerBound }
        if let t = to, !t.isEmpty { self.to = try PeriodFilter.span(t, field: "to").upperBound }
        if let a = self.from, let b = self.to, a > b { throw .invalidArgument("from: later than to") }
    }

    private static func span(_ text: String, field: String) throws(LexstatError) -> ClosedRange<Int> {
        guard let span = try LexstatStore.period(text, field: field).monthSpan else {
            throw .invalidArgument("\(field): cumulative is not a point in time; give a year, quarter or month")
        }
        return span
    }

    var isOpen: Bool { from == nil && to == nil }

    func contains(_ p: Period) -> Bool {
        guard !isOpen else { return true }
        guard let span = p.monthSpan else { return false }
        if let f = from, span.lowerBound < f { return false }
        if let t = to, span.upperBound > t { return false }
        return true
    }

    var key: String { "\(from ?? -1)-\(to ?? -1)" }
}
