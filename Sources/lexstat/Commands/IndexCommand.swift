import ArgumentParser
import Foundation
import LexstatCore
import LexstatRPC
import LexstatWire

enum IndexNormalisation: String, ExpressibleByArgument, CaseIterable { case minmax, zscore, rank }
enum IndexAggregationOption: String, ExpressibleByArgument, CaseIterable { case arithmetic, geometric }

struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Compute the composite index (法治政府建设指数) of a peer group, by function area.",
        discussion: """
            Indicators of the catalog with a polarity enter when at least half of the peer group reports them. \
            Each is normalised over the regions with a figure; areas are sub-indices; the overall index weighs \
            the areas equally unless --weight says otherwise. CHANGE is against the previous year, computed the same way. \
            With --robustness N, N Monte Carlo runs vary each area weight by ±20 %, the normalisation and the \
            aggregation, and report each region's median rank and 5th–95th percentile band; progress shows on stderr.
            """)

    @Option(help: "The year.")
    var year: Int

    @Option(help: "The region whose subregions are compared, a code or name (default: the whole country).")
    var within: String?

    @Option(help: "The level compared: province, city or county (default: the children of --within).")
    var level: AssessmentLevel?

    @Option(help: ArgumentHelp("A region whose index to break down, indicator by indicator.", valueName: "region"))
    var explain: String?

    @Option(help: "Normalisation: minmax, zscore or rank.")
    var normalisation: IndexNormalisation = .minmax

    @Option(help: "Aggregation: arithmetic or geometric (scores floored at 0.01 first).")
    var aggregation: IndexAggregationOption = .arithmetic

    @Option(name: .customLong("weight"), help: ArgumentHelp("An area's weight, AREA=W (e.g. review=2); repeatable; other areas weigh 1.",
                                                           valueName: "area=w"))
    var weights: [String] = []

    @Option(help: ArgumentHelp("Monte Carlo runs of the robustness analysis (0: none).", valueName: "n"))
    var robustness: Int = 0

    @Option(help: "Seed of the robustness run (default: a fixed seed, so runs repeat).")
    var seed: UInt64?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (1949...2100).contains(year) else { throw ValidationError("--year must be 1949–2100") }
        guard (0...100_000).contains(robustness) else { throw ValidationError("--robustness must be 0…100000") }
        for w in weights {
            let parts = w.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let v = Double(parts[1]), v > 0, v.isFinite else {
                throw ValidationError("--weight \(w): expected AREA=W with W a positive number, e.g. review=2")
            }
        }
    }

    func run() async throws {
        let showProgress = robustness > 0
        let answer = try await IndexCommand.call(global, year: year, within: within, level: level, explain: explain,
                                                 normalisation: normalisation.rawValue, aggregation: aggregation.rawValue,
                                                 weights: weights, runs: robustness, seed: seed, progress: showProgress)
        switch global.format {
        case .json: Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
        case .csv: Printer.write(answer.read { IndexCommand.tables($0, event: true) }.first!.csv())
        case .table:
            answer.read { e in
                guard let m = e.result?.pointee else { return }
                let scope = m.within.map { wireString($0.pointee.full_name) } ?? "全国"
                var line = "法治政府建设指数 · \(m.year) · \(scope) · \(wireString(m.normalisation)), \(wireString(m.aggregation))"
                line += " · \(m.n_indicators) indicators in \(m.n_areas) areas"
                if m.robustness_runs > 0 { line += " · robustness: \(m.robustness_runs) runs, seed \(m.seed)" }
                let left = wireList(m.n_left_out, m.left_out).compactMap { $0.map { wireString($0.pointee.name) } }
                if !left.isEmpty { line += "\nleft out for too few figures: \(left.joined(separator: "、"))" }
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
            let tables = answer.read { IndexCommand.tables($0, event: true) }
            Printer.write(tables[0].text())
            if explain != nil, tables.count > 1 { Printer.write("\n" + tables[1].text()) }
        }
    }

    /// Calls Index, showing progress events on stderr; returns the final event.
    static func call(_ global: GlobalOptions, year: Int, within: String?, level: AssessmentLevel?, explain: String?,
                     normalisation: String, aggregation: String, weights: [String], runs: Int, seed: UInt64?,
                     progress: Bool) async throws -> Decoded<Lexstat__V1__IndexEvent> {
        let last = ResultBox()
        let lastTenth = TenthBox()
        try await global.withClient { (c) throws(RPCError) in
            let arena = WireArena()
            defer { withExtendedLifetime(arena) {} }
            var req = Lexstat__V1__IndexRequest.make()
            req.year = Int32(year)
            req.within = arena.string(within ?? "")
            if let level { req.level = level.wire }
            req.explain = arena.string(explain ?? "")
            req.normalisation = arena.string(normalisation)
            req.aggregation = arena.string(aggregation)
            let entries = weights.map { w -> Lexstat__V1__IndexRequest__AreaWeightsEntry in
                let parts = w.split(separator: "=", maxSplits: 1)
                var e = Lexstat__V1__IndexRequest__AreaWeightsEntry.make()
                e.key = arena.string(String(parts[0]))
                e.value = Double(parts[1]) ?? 0
                return e
            }
            req.n_area_weights = entries.count
            req.area_weights = arena.messages(entries)
            req.robustness_runs = UInt32(runs)
            req.seed = seed ?? 0
            try await c.stream("Index", req, returning: Lexstat__V1__IndexEvent.self) { ev in
                let isProgress = ev.read { $0.event_case == LEXSTAT__V1__INDEX_EVENT__EVENT_PROGRESS }
                if isProgress {
                    guard progress, let p = ev.read({ $0.progress?.pointee }) else { return }
                    let pct = p.total > 0 ? Int(UInt64(p.done) * 100 / UInt64(p.total)) : 100
                    let text = "robustness: \(p.done)/\(p.total) runs (\(pct)%)"
                    if isatty(2) != 0 {
                        // One line rewritten in place on a terminal.
                        FileHandle.standardError.write(Data(("\r" + text + (p.done == p.total ? "\n" : "")).utf8))
                    } else if pct / 10 != lastTenth.get() || p.done == p.total {
                        // In a log: a line per tenth, not one per step.
                        lastTenth.set(pct / 10)
                        FileHandle.standardError.write(Data((text + "\n").utf8))
                    }
                } else {
                    last.set(ev)
                }
            }
        }
        guard let result = last.get() else {
            throw LocalError("the server ended Index without a result")
        }
        return result
    }

    /// The index table, and the breakdown when there is one.
    static func tables(_ e: Lexstat__V1__IndexEvent, event: Bool) -> [Table] {
        guard let m = e.result?.pointee else { return [Table(["rank"])] }
        let areas = wireStrings(m.n_areas, m.areas)
        let robust = m.robustness_runs > 0
        var headers = ["rank", "region", "index"] + areas.map { FunctionArea.name(of: $0) } + ["change", "prev rank", "coverage"]
        if robust { headers += ["median rank", "p05–p95"] }
        var t = Table(headers, numeric: Set(0..<headers.count).subtracting([1]))
        for x in wireList(m.n_entries, m.entries).compactMap({ $0?.pointee }) {
            var sub: [String: Double] = [:]
            for s in wireList(x.n_sub_indices, x.sub_indices).compactMap({ $0?.pointee }) { sub[wireString(s.key)] = s.value }
            var row = [String(x.rank), x.region.map { wireString($0.pointee.name) } ?? "", points(x.overall)]
            row += areas.map { sub[$0].map(points) ?? "—" }
            row += [x.has_previous != 0 ? (x.change > 0 ? "+" : "") + points(x.change) : "—",
                    x.has_previous != 0 ? String(x.previous_rank) : "—", fixed(x.coverage * 100, 0) + "%"]
            if robust {
                row += [x.has_robustness != 0 ? trimmed(x.median_rank) : "—",
                        x.has_robustness != 0 ? "\(x.rank_p05)–\(x.rank_p95)" : "—"]
            }
            t.add(row)
        }
        var out = [t]
        if m.n_explain > 0 {
            out.append(contributionTable(wireList(m.n_explain, m.explain).compactMap { $0?.pointee }, componentHeader: "area"))
        }
        return out
    }
}

/// The last tenth of progress printed, read and written on the reader thread.
final class TenthBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var value = -1

    func set(_ v: Int) { lock.lock(); value = v; lock.unlock() }
    func get() -> Int { lock.lock(); defer { lock.unlock() }; return value }
}

/// The last result event of a stream, handed from the reader thread.
final class ResultBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var value: Decoded<Lexstat__V1__IndexEvent>?

    func set(_ v: Decoded<Lexstat__V1__IndexEvent>) { lock.lock(); value = v; lock.unlock() }
    func get() -> Decoded<Lexstat__V1__IndexEvent>? { lock.lock(); defer { lock.unlock() }; return value }
}
