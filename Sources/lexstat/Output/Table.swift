/// A table printed as aligned columns, CSV, or (by the caller) JSON.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns to right-align (numbers).
    var numeric: Set<Int> = []

    init(_ headers: [String], numeric: Set<Int> = []) {
        self.headers = headers
        self.numeric = numeric
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// Aligned columns under an upper-case header.
    func text() -> String {
        // A tab or line break inside a cell would break the columns: show it as a space.
        func flat(_ s: String) -> String {
            s.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                ? String(s.map { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 }) : s
        }
        var widths = headers.map(displayWidth)
        for r in rows {
            for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(flat(c))) }
        }
        func line(_ raw: [String]) -> String {
            var parts: [String] = []
            for (i, c) in raw.map(flat).enumerated() where i < widths.count {
                let last = i == raw.count - 1
                parts.append(last && !numeric.contains(i) ? c : pad(c, widths[i], right: numeric.contains(i)))
            }
            var l = parts.joined(separator: "  ")
            while l.hasSuffix(" ") { l.removeLast() }  // an empty last cell leaves no trailing blanks
            return l
        }
        var out = line(headers.map { $0.uppercased() }) + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }

    /// RFC 4180 CSV with a header row.
    func csv() -> String {
        var out = headers.map(csvField).joined(separator: ",") + "\n"
        for r in rows { out += r.map(csvField).joined(separator: ",") + "\n" }
        return out
    }
}

/// Quotes a CSV field when it needs it.
func csvField(_ s: String) -> String {
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}
