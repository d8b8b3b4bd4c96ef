import Foundation

/// A report that matches a full-text search.
public struct SearchHit: Hashable, Sendable {
    /// The report, without text and sections.
    public var report: ReportInfo
    /// A stretch of the text with each match between ``markOpen`` and ``markClose``.
    public var snippet: String
    public var markOpen: String
    public var markClose: String
    /// Higher is better.
    public var score: Double
}

extension LexstatStore {
    /// Marks around matches in snippets.
    public static let markOpen = "«"
    public static let markClose = "»"

    /// Searches report titles and texts; every whitespace-separated term must occur.
    ///
    /// Chinese has no spaces between words, so the index is SQLite FTS5 with
    /// the trigram tokenizer: any substring of three or more characters is
    /// found. A term of one or two characters (`复议`) cannot use a trigram
    /// index; such queries scan the texts instead (fine for thousands of
    /// reports, the scale a bureau keeps).
    ///
    /// - Parameters:
    ///   - text: the query, e.g. `法律援助` or `行政复议 纠错`.
    ///   - limit: at most this many hits, 1…1000 (default 20).
    /// - Throws: `LexstatError.invalidArgument` for an empty query or a bad limit.
    public func searchReports(_ text: String, limit: Int? = nil) throws(LexstatError) -> [SearchHit] {
        let terms = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !terms.isEmpty else { throw .invalidArgument("query: empty") }
        let lim = limit ?? 20
        guard (1...1000).contains(lim) else { throw .invalidArgument("limit: \(lim) is outside 1–1000") }
        let found: [(Int64, String, Double)] = try withReader { (db) throws(LexstatError) in
            if terms.allSatisfy({ $0.count >= 3 }) {
                let match = terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " ")
                let st = try db.prepare("""
                    SELECT rowid, snippet(report_fts, -1, ?, ?, '…', 24), bm25(report_fts)
                    FROM report_fts WHERE report_fts MATCH ? ORDER BY bm25(report_fts) LIMIT ?
                    """)
                try st.bind([.text(LexstatStore.markOpen), .text(LexstatStore.markClose), .text(match), .int(Int64(lim))])
                var out: [(Int64, String, Double)] = []
                while try st.step() { out.append((st.int(0), st.text(1), -st.double(2))) }
                return out
            }
            // Short terms: scan, then cut a snippet around the first match ourselves.
            let st = try db.prepare("SELECT id, title, text FROM reports WHERE instr(title, ?1) > 0 OR instr(text, ?1) > 0 ORDER BY id")
            try st.bind([.text(terms[0])])
            var out: [(Int64, String, Double)] = []
            while try st.step() {
                let body = st.text(1) + "\n" + st.text(2)
                guard terms.allSatisfy({ body.contains($0) }) else { continue }
                let hits = terms.reduce(0) { $0 + body.components(separatedBy: $1).count - 1 }
                out.append((st.int(0), LexstatStore.snippet(st.text(2).contains(terms[0]) ? st.text(2) : st.text(1), terms: terms), Double(hits)))
            }
            out.sort { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }
            return Array(out.prefix(lim))
        }
        return read { m in
            found.compactMap { (id, snip, score) in
                guard let info = m.info(ofReport: id) else { return nil }
                return SearchHit(report: info, snippet: snip, markOpen: LexstatStore.markOpen,
                                 markClose: LexstatStore.markClose, score: score)
            }
        }
    }

    /// About 24 characters either side of the first term's first match, every term marked.
    static func snippet(_ text: String, terms: [String], context: Int = 24) -> String {
        guard let r = text.range(of: terms[0]) else { return String(text.prefix(2 * context)) }
        let start = text.index(r.lowerBound, offsetBy: -context, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(r.upperBound, offsetBy: context, limitedBy: text.endIndex) ?? text.endIndex
        var s = String(text[start..<end]).replacingOccurrences(of: "\n", with: " ")
        for t in terms.sorted(by: { $0.count > $1.count }) {
            s = s.replacingOccurrences(of: t, with: markOpen + t + markClose)
        }
        return (start > text.startIndex ? "…" : "") + s + (end < text.endIndex ? "…" : "")
    }
}
