import Foundation

/// Reads and writes indicator catalogs as tab-separated text.
///
/// The header names the columns; `code`, `name`, `area`, `unit`, `polarity`
/// and `aggregate` are required, `aliases` (separated by `|`) and `system`
/// are optional. Polarity is `1` (higher is better), `-1` (lower is better)
/// or `0` (neutral); `higher`, `lower` and `neutral` are accepted too.
/// Aggregate is `sum` or `none`. Lines starting with `#` are comments.
public enum IndicatorTSV {
    static let required = ["code", "name", "area", "unit", "polarity", "aggregate"]

    /// Parses a catalog.
    ///
    /// - Parameters:
    ///   - text: the TSV text.
    ///   - source: a name for messages, e.g. the file name.
    ///   - system: the indicator system to record where the file has no `system` column.
    /// - Returns: the indicators in file order.
    /// - Throws: `LexstatError.invalidArgument` naming the line, the column and the rule.
    public static func parse(_ text: String, source: String = "catalog", system: String = "") throws(LexstatError) -> [Indicator] {
        var header: [String: Int]?
        var result: [Indicator] = []
        var seen: [String: Int] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = n + 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let h = header else {
                var map: [String: Int] = [:]
                for (i, c) in cols.enumerated() { map[c.lowercased()] = i }
                for r in required where map[r] == nil {
                    throw .invalidArgument("\(source):\(lineNo): header lacks the column \"\(r)\" (needs \(required.joined(separator: ", ")))")
                }
                header = map
                continue
            }
            func field(_ name: String) -> String {
                guard let i = h[name], i < cols.count else { return "" }
                return cols[i]
            }
            let code = field("code")
            guard !code.isEmpty else { throw .invalidArgument("\(source):\(lineNo): column \"code\" is empty") }
            guard code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }) else {
                throw .invalidArgument("\(source):\(lineNo): code \"\(code)\" may hold only ASCII letters, digits, '.', '_' and '-'")
            }
            if let first = seen[code] {
                throw .invalidArgument("\(source):\(lineNo): code \"\(code)\" repeats line \(first)")
            }
            seen[code] = lineNo
            let name = field("name")
            guard !name.isEmpty else { throw .invalidArgument("\(source):\(lineNo): column \"name\" is empty") }
            let polarity: Indicator.Polarity
            switch field("polarity").lowercased() {
            case "1", "+1", "higher": polarity = .higherIsBetter
            case "-1", "lower": polarity = .lowerIsBetter
            case "0", "neutral": polarity = .neutral
            case let p: throw .invalidArgument("\(source):\(lineNo): polarity \"\(p)\" is not 1, -1 or 0")
            }
            let aggregation: Indicator.Aggregation
            switch field("aggregate").lowercased() {
            case "sum": aggregation = .sum
            case "none": aggregation = .none
            case let a: throw .invalidArgument("\(source):\(lineNo): aggregate \"\(a)\" is not sum or none")
            }
            let aliases = field("aliases").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let sys = field("system")
            result.append(Indicator(code: code, name: name, area: field("area"), unit: field("unit"),
                                    polarity: polarity, aggregation: aggregation, aliases: aliases,
                                    system: sys.isEmpty ? system : sys))
        }
        guard header != nil else { throw .invalidArgument("\(source): no header line") }
        return result
    }

    /// Writes a catalog in the form `parse` reads.
    public static func format(_ indicators: [Indicator]) -> String {
        var out = "code\tname\tarea\tunit\tpolarity\taggregate\taliases\tsystem\n"
        for i in indicators {
            let p: String
            switch i.polarity {
            case .higherIsBetter: p = "1"
            case .lowerIsBetter: p = "-1"
            case .neutral: p = "0"
            }
            out += [i.code, i.name, i.area, i.unit, p, i.aggregation.rawValue,
                    i.aliases.joined(separator: "|"), i.system].joined(separator: "\t") + "\n"
        }
        return out
    }

    /// The catalog shipped with Lexstat (`Resources/indicators.tsv`).
    ///
    /// - Throws: `LexstatError.internalError` when the resource is missing or malformed.
    public static func bundled() throws(LexstatError) -> [Indicator] {
        let text = try ReferenceData.text(named: "indicators.tsv")
        return try parse(text, source: "indicators.tsv", system: "法治政府建设指标体系")
    }
}
