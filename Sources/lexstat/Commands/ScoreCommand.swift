import ArgumentParser
import Foundation
import LexstatCore
import LexstatRPC
import LexstatWire

/// Region levels as the assessment commands name them.
enum AssessmentLevel: String, ExpressibleByArgument, CaseIterable {
    case province, city, county

    var wire: Lexstat__V1__RegionLevel {
        switch self {
        case .province: return LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_PROVINCE
        case .city: return LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_CITY
        case .county: return LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY
        }
    }
}

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a peer group of regions under an assessment scheme (考评方案).",
        discussion: """
            SCHEME is the name of a scheme in the server's scheme folder (lexstatd --schemes-dir), \
            or a local .json or .toml file, which is sent with the call. Totals are on 0–100; ties share a rank. \
            With --explain, every indicator's raw figure, normalised score, weight and contribution is listed; \
            the contributions shown add up to the total shown.
            """)

    @Argument(help: ArgumentHelp("A scheme name, or a local scheme file ending in .json or .toml.", valueName: "scheme"))
    var scheme: String

    @Option(help: "The year scored.")
    var year: Int

    @Option(help: "The region whose subregions are compared, a code or name (default: the scheme's).")
    var within: String?

    @Option(help: "The level compared: province, city or county (default: the scheme's, else the children of --within).")
    var level: AssessmentLevel?

    @Option(help: ArgumentHelp("A region whose score to break down, indicator by indicator.", valueName: "region"))
    var explain: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (1949...2100).contains(year) else { throw ValidationError("--year must be 1949–2100") }
    }

    func run() async throws {
        var text: String?
        if scheme.hasSuffix(".json") || scheme.hasSuffix(".toml"), FileManager.default.fileExists(atPath: scheme) {
            text = String(decoding: try readInput(scheme), as: UTF8.self)
        }
        let answer = try await global.withClient { (c) throws(RPCError) in
            let arena = WireArena()
            defer { withExtendedLifetime(arena) {} }
            var req = Lexstat__V1__ScoreRequest.make()
            req.scheme = arena.string(text == nil ? scheme : URL(fileURLWithPath: scheme).lastPathComponent)
            req.scheme_text = arena.string(text ?? "")
            req.year = Int32(year)
            req.within = arena.string(within ?? "")
            if let level { req.level = level.wire }
            req.explain = arena.string(explain ?? "")
            return try await c.call("Score", req, returning: Lexstat__V1__ScoreResponse.self)
        }
        let (scores, breakdown) = answer.read { m in (ScoreCommand.scoreTable(m), ScoreCommand.explainTable(m)) }
        switch global.format {
        case .json: Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
        case .csv: Printer.write((explain != nil ? breakdown : scores).csv())
        case .table:
            answer.read { m in
                let scope = m.within.map { wireString($0.pointee.full_name) } ?? "全国"
                FileHandle.standardError.write(Data("\(wireString(m.title)) · \(m.year) · \(scope) · missing figures: \(wireString(m.missing_rule))\n".utf8))
            }
            Printer.write(scores.text())
            if explain != nil {
                Printer.write("\n" + breakdown.text())
                answer.read { m in
                    let code = wireString(m.explain_region)
                    if let s = wireList(m.n_scores, m.scores).compactMap({ $0?.pointee }).first(where: { wireString($0.region?.pointee.code) == code }),
                       s.excluded != 0 {
                        FileHandle.standardError.write(Data("note: \(wireString(s.region?.pointee.name)) is left out (\(wireString(s.excluded_reason))); the breakdown shows what its figures would give\n".utf8))
                    }
                }
            }
        }
    }

    static func scoreTable(_ m: Lexstat__V1__ScoreResponse) -> Table {
        let components = wireStrings(m.n_components, m.components)
        var t = Table(["rank", "region", "total"] + components + ["coverage", "note"],
                      numeric: Set(0..<(components.count + 4)).subtracting([1]))
        for s in wireList(m.n_scores, m.scores).compactMap({ $0?.pointee }) {
            var comp: [String: Double] = [:]
            for e in wireList(s.n_components, s.components).compactMap({ $0?.pointee }) { comp[wireString(e.key)] = e.value }
            let region = s.region.map { wireString($0.pointee.name) } ?? ""
            let excluded = s.excluded != 0
            t.add([excluded ? "—" : String(s.rank), region, excluded ? "—" : points(s.total)]
                  + components.map { comp[$0].map(points) ?? "—" }
                  + [fixed(s.coverage * 100, 0) + "%", excluded ? "left out: " + wireString(s.excluded_reason) : ""])
        }
        return t
    }

    /// The breakdown, its contributions rounded so that they add up to the total shown.
    static func explainTable(_ m: Lexstat__V1__ScoreResponse) -> Table {
        contributionTable(wireList(m.n_explain, m.explain).compactMap { $0?.pointee }, componentHeader: "component")
    }
}

/// A breakdown table: one row per indicator and a total row; the shown contributions add up to the shown total.
func contributionTable(_ list: [Lexstat__V1__Contribution], componentHeader: String) -> Table {
    var t = Table(["indicator", componentHeader, "raw", "normalised", "weight", "contribution", "source"], numeric: [2, 3, 4, 5])
    let (parts, total) = Apportion.strings(list.map(\.contribution), places: 2)
    let (weights, weightTotal) = Apportion.strings(list.map { $0.weight * 100 }, places: 2)
    for (i, c) in list.enumerated() {
        let raw = c.has_value != 0 ? trimmed(c.raw) + wireString(c.unit) : "missing"
        let normalised = c.has_normalised != 0 ? fixed(c.normalised, 4) : "—"
        var source = ""
        if let p = c.provenance?.pointee {
            source = p.report_id != 0 ? "report \(p.report_id) [\(p.start)–\(p.end)] \(wireString(p.quote))" : wireString(p.source)
        }
        t.add(["\(wireString(c.indicator)) \(wireString(c.indicator_name))", wireString(c.component), raw, normalised,
               weights[i] + "%", parts[i], source])
    }
    t.add(["total", "", "", "", weightTotal + "%", total, ""])
    return t
}

/// A score on 0–100 with two decimals, rounded as ``Apportion`` rounds totals.
func points(_ v: Double) -> String { Apportion.strings([v], places: 2).total }

func fixed(_ v: Double, _ places: Int) -> String { String(format: "%.\(places)f", v) }

/// A figure with at most four decimals and no trailing zeros.
func trimmed(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    var s = String(format: "%.4f", v)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}
