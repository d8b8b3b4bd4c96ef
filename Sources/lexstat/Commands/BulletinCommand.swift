import ArgumentParser
import Foundation
import LexstatCore
import LexstatRPC
import LexstatWire

struct BulletinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin",
        abstract: "Write the one-page ranking bulletin (通报晾晒) of a peer group as HTML or Markdown.",
        discussion: """
            The bulletin shows the composite index with its movers against the last period, each key indicator \
            (those of the index) with its regions ranked and drawn as bars, the targets missed, and the \
            consistency findings. FILE.html is one self-contained page with inline SVG charts that opens \
            without network access; FILE.md is Markdown.
            """)

    @Option(help: "The period, a year such as 2024.")
    var period: String

    @Option(help: "The region whose subregions are compared, a code or name (default: the whole country).")
    var within: String?

    @Option(help: "The level compared: province, city or county (default: the children of --within).")
    var level: AssessmentLevel?

    @Option(help: ArgumentHelp("Where to write the bulletin: a file ending in .html or .md.", valueName: "file"))
    var out: String

    @Option(help: "The bulletin's title (default: names the scope and period).")
    var title: String?

    @OptionGroup var global: GlobalOptions

    var year: Int? { Int(period).flatMap { (1949...2100).contains($0) ? $0 : nil } }

    func validate() throws {
        guard year != nil else { throw ValidationError("--period must be a year, 1949–2100 (bulletins are annual)") }
        guard out.hasSuffix(".html") || out.hasSuffix(".htm") || out.hasSuffix(".md") else {
            throw ValidationError("--out must end in .html or .md")
        }
    }

    func run() async throws {
        let year = self.year!
        var index: Decoded<Lexstat__V1__IndexEvent>?
        do {
            index = try await IndexCommand.call(global, year: year, within: within, level: level, explain: nil,
                                                normalisation: "minmax", aggregation: "arithmetic", weights: [], runs: 0,
                                                seed: nil, progress: false)
        } catch let e as CLIError where e.rpc.code == .failedPrecondition {
            FileHandle.standardError.write(Data("note: no composite index: \(e.rpc.message)\n".utf8))
        }
        var indexRows: [Bulletin.IndexRow] = []
        var indicatorCodes: [String] = []
        var peer: Set<String> = []
        var scope = within ?? "全国"
        index?.read { e in
            guard let m = e.result?.pointee else { return }
            if let w = m.within { scope = wireString(w.pointee.full_name) }
            for x in wireList(m.n_entries, m.entries).compactMap({ $0?.pointee }) {
                let code = x.region.map { wireString($0.pointee.code) } ?? ""
                peer.insert(code)
                indexRows.append(Bulletin.IndexRow(rank: Int(x.rank), region: x.region.map { wireString($0.pointee.name) } ?? "",
                                                   overall: x.overall, previousRank: x.has_previous != 0 ? Int(x.previous_rank) : nil,
                                                   change: x.has_previous != 0 ? x.change : nil))
            }
            for r in wireList(m.n_left_out, m.left_out).compactMap({ $0?.pointee }) { peer.insert(wireString(r.code)) }
            indicatorCodes = wireList(m.n_indicators, m.indicators).compactMap { $0.map { wireString($0.pointee.code) } }
        }
        let levelName: String
        switch level {
        case .province?: levelName = "省级"
        case .city?: levelName = "市级"
        case .county?: levelName = "区县"
        case nil: levelName = within == nil ? "省级" : "下辖地区"
        }
        let periodText = period
        let rankings = try await global.withClient { (c) throws(RPCError) -> [Bulletin.IndicatorRanking] in
            var out: [Bulletin.IndicatorRanking] = []
            for code in indicatorCodes {
                let arena = WireArena()
                var req = Lexstat__V1__CompareRequest.make()
                req.indicator = arena.string(code)
                req.period = arena.string(periodText)
                req.within = arena.string(within ?? "")
                if let level { req.level = level.wire }
                let cmp = try await c.call("Compare", req, returning: Lexstat__V1__CompareResponse.self)
                withExtendedLifetime(arena) {}
                out.append(cmp.read { m in
                    let ind = m.indicator?.pointee
                    let rows = wireList(m.n_entries, m.entries).compactMap { $0?.pointee }.map { e in
                        Bulletin.Row(rank: Int(e.rank), region: e.region.map { wireString($0.pointee.name) } ?? "", value: e.value,
                                     bound: BulletinCommand.bound(e.bound))
                    }
                    return Bulletin.IndicatorRanking(
                        code: code, name: ind.map { wireString($0.name) } ?? code, unit: ind.map { wireString($0.unit) } ?? "",
                        lowerIsBetter: ind?.polarity == LEXSTAT__V1__POLARITY__POLARITY_LOWER_IS_BETTER, rows: rows,
                        missing: wireList(m.n_missing, m.missing).compactMap { $0.map { wireString($0.pointee.name) } })
                })
            }
            return out
        }
        let targets = try await global.withClient { (c) throws(RPCError) in
            let arena = WireArena()
            var req = Lexstat__V1__ListTargetsRequest.make()
            req.year = Int32(year)
            defer { withExtendedLifetime(arena) {} }
            return try await c.call("ListTargets", req, returning: Lexstat__V1__ListTargetsResponse.self)
        }
        let missed: [Bulletin.MissedTarget] = targets.read { m in
            wireList(m.n_targets, m.targets).compactMap { $0?.pointee }.compactMap { t in
                guard t.status == LEXSTAT__V1__TARGET_STATUS__TARGET_STATUS_MISSED, let tg = t.target?.pointee,
                      let a = t.actual?.pointee, peer.isEmpty || peer.contains(wireString(tg.region)) else { return nil }
                let name = wireString(tg.region_name)
                return Bulletin.MissedTarget(region: name.isEmpty ? wireString(tg.region) : name, indicator: wireString(tg.subject),
                                             target: tg.value, actual: a.value, unit: wireString(tg.unit))
            }
        }
        let checks = try await global.withClient { (c) throws(RPCError) in
            let arena = WireArena()
            var req = Lexstat__V1__CheckRequest.make()
            req.region = arena.string(within ?? "")
            req.year = Int32(year)
            defer { withExtendedLifetime(arena) {} }
            return try await c.call("Check", req, returning: Lexstat__V1__CheckResponse.self)
        }
        let findings: [(rule: String, message: String)] = checks.read { m in
            wireList(m.n_findings, m.findings).compactMap { $0?.pointee }.map { (rule: wireString($0.rule), message: wireString($0.message)) }
        }
        let bulletin = Bulletin(title: title ?? "\(scope)\(period)年度司法行政工作通报", period: period,
                                scope: "\(scope) · \(levelName)", index: indexRows, indicators: rankings,
                                targetsMissed: missed, findings: findings)
        let text = out.hasSuffix(".md") ? BulletinRenderer.markdown(bulletin) : BulletinRenderer.html(bulletin)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw LocalError("\(out): cannot write: \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(out): \(indexRows.count) regions, \(rankings.count) indicators, \(missed.count) targets missed, \(findings.count) findings\n".utf8))
    }

    static func bound(_ b: Lexstat__V1__Bound) -> Bound {
        switch b {
        case LEXSTAT__V1__BOUND__BOUND_APPROX: return .approx
        case LEXSTAT__V1__BOUND__BOUND_AT_LEAST: return .atLeast
        case LEXSTAT__V1__BOUND__BOUND_AT_MOST: return .atMost
        default: return .exact
        }
    }
}
