/// Marks the code points inside quotation marks (“…”, 「…」, "…") and inside
/// title marks (《…》): numbers there are names, slogans or titles.
struct QuoteMarks: Sendable {
    enum Mark: UInt8 { case none = 0, quoted = 1, title = 2 }
    var marks: [Mark]

    /// Quotations longer than this are speech, not names.
    static let maxQuoted = 40

    init(_ u: [UInt32]) {
        marks = [Mark](repeating: .none, count: u.count)
        var openQuote: Int? = nil, openTitle: Int? = nil, openCorner: Int? = nil, openASCII: Int? = nil
        for i in 0..<u.count {
            switch u[i] {
            case 0x0A, 0x0D:
                openQuote = nil; openTitle = nil; openCorner = nil; openASCII = nil
            case 0x201C: openQuote = i
            case 0x201D:
                if let o = openQuote, i - o <= QuoteMarks.maxQuoted { mark(o, i, .quoted) }
                openQuote = nil
            case 0x300C, 0x300E: openCorner = i
            case 0x300D, 0x300F:
                if let o = openCorner, i - o <= QuoteMarks.maxQuoted { mark(o, i, .quoted) }
                openCorner = nil
            case 0x300A: openTitle = i
            case 0x300B:
                if let o = openTitle, i - o <= 120 { mark(o, i, .title) }
                openTitle = nil
            case 0x22:
                if let o = openASCII {
                    if i - o <= QuoteMarks.maxQuoted { mark(o, i, .quoted) }
                    openASCII = nil
                } else { openASCII = i }
            default: break
            }
        }
    }

    private mutating func mark(_ a: Int, _ b: Int, _ m: Mark) {
        for k in a...b where marks[k] == .none || m == .title { marks[k] = m }
    }
}
