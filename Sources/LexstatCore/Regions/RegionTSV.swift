/// Reads the region reference table (`Resources/regions.tsv`).
///
/// Columns `code`, `name`, `short_name`, `level`, `parent`, tab-separated,
/// after a header line; lines starting with `#` are comments.
enum RegionTSV {
    static func parse(_ text: String, source: String) throws(LexstatError) -> [Region] {
        var header: [String: Int]?
        var out: [Region] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let h = header else {
                var m: [String: Int] = [:]
                for (i, c) in cols.enumerated() { m[c] = i }
                for r in ["code", "name", "short_name", "level", "parent"] where m[r] == nil {
                    throw .internalError("\(source):\(n + 1): header lacks the column \"\(r)\"")
                }
                header = m
                continue
            }
            func f(_ k: String) -> String {
                guard let i = h[k], i < cols.count else { return "" }
                return cols[i]
            }
            let code = f("code")
            guard code.count == 6, code.allSatisfy(\.isASCIIDigit) else {
                throw .internalError("\(source):\(n + 1): code \"\(code)\" is not six digits")
            }
            guard let level = Region.Level(rawValue: f("level")) else {
                throw .internalError("\(source):\(n + 1): level \"\(f("level"))\" is not province, city or county")
            }
            let parent = f("parent")
            let short = f("short_name")
            out.append(Region(code: code, name: f("name"), shortName: short.isEmpty ? f("name") : short,
                              level: level, parent: parent.isEmpty ? nil : parent))
        }
        return out
    }
}
