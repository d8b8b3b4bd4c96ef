import Foundation
import LexstatCore
import LexstatRPC
import LexstatWire

extension MethodTableBuilder {
    /// Score (an assessment scheme over a peer group), Index (the composite
    /// index, streaming progress of its robustness run) and Check (consistency findings).
    ///
    /// - Parameters:
    ///   - schemesDir: the folder of scheme files Score offers by name; the shipped examples when `nil`.
    public mutating func addAssessment(_ store: LexstatStore, schemesDir: URL? = nil) {
        addAssessment(store, schemesDir: { schemesDir })
    }

    /// As `addAssessment(_:schemesDir:)`, with the folder asked for on each
    /// call, so a daemon can change it on reload without rebuilding the table.
    public mutating func addAssessment(_ store: LexstatStore, schemesDir: @escaping @Sendable () -> URL?) {
        let regions = store.regions
        let bundled = try? SchemeLibrary.bundled()
        unary("Score", Lexstat__V1__ScoreRequest.self, Lexstat__V1__ScoreResponse.self, execution: .worker,
              summary: "Scores a peer group under an assessment scheme: totals on 0–100, ranks, components, coverage, and one region's breakdown.") { (ctx, req, arena) throws(RPCError) in
            let year = try assessmentYear(req.year)
            let level = try Region.Level.from(req.level)
            let catalog = store.indicators()
            let library = schemesDir().map(SchemeLibrary.init(directory:)) ?? bundled
            let scheme: AssessmentScheme = try domain { () throws(LexstatError) in
                if let text = optional(req.scheme_text) {
                    return try SchemeParser.parse(Data(text.utf8), file: optional(req.scheme) ?? "(inline scheme)", catalog: catalog)
                }
                guard let name = optional(req.scheme) else {
                    throw .invalidArgument("scheme: required; give a scheme name\(library.map { " (\($0.names().joined(separator: ", ")))" } ?? "") or scheme_text")
                }
                guard let library else { throw .failedPrecondition("scheme: this server has no scheme folder") }
                return try library.load(name, catalog: catalog)
            }
            let data = try domain { () throws(LexstatError) in
                try store.peerData(indicators: scheme.indicators.map(\.indicator.code), year: year,
                                   within: optional(req.within) ?? scheme.within, level: level ?? scheme.level)
            }
            try ctx.checkCancelled()
            let result = Scorer.score(scheme, data)
            let explain = try explainRegion(optional(req.explain), data, regions)
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__ScoreResponse.make()
            r.scheme = arena.string(scheme.name)
            r.title = arena.string(scheme.title)
            r.year = Int32(year)
            r.missing_rule = arena.string(scheme.missing.name)
            if let w = data.within { r.within = b.regionPtr(w) }
            r.level = data.level?.wire ?? LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_UNSPECIFIED
            let names = scheme.components.map(\.name)
            r.n_components = names.count
            r.components = arena.strings(names)
            let scores = result.scores.map { s -> Lexstat__V1__RegionScore in
                var w = Lexstat__V1__RegionScore.make()
                w.region = b.regionPtr(s.region)
                w.total = s.total
                w.rank = UInt32(clamping: s.rank)
                let entries = s.components.compactMap { c -> Lexstat__V1__RegionScore__ComponentsEntry? in
                    guard let v = c.score else { return nil }
                    var e = Lexstat__V1__RegionScore__ComponentsEntry.make()
                    e.key = arena.string(c.name)
                    e.value = v
                    return e
                }
                w.n_components = entries.count
                w.components = arena.messages(entries)
                w.coverage = s.coverage
                w.excluded = s.excluded ? 1 : 0
                w.excluded_reason = arena.string(s.excludedReason ?? "")
                return w
            }
            r.n_scores = scores.count
            r.scores = arena.messages(scores)
            if let e = explain, let s = result.score(of: e.code) {
                r.explain_region = arena.string(e.code)
                let list = s.contributions.map(b.contribution)
                r.n_explain = list.count
                r.explain = arena.messages(list)
            }
            return r
        }
        streaming("Index", Lexstat__V1__IndexRequest.self, Lexstat__V1__IndexEvent.self,
                  summary: "The composite index by function area, with ranks, changes against the year before and a Monte Carlo robustness run; streams progress, then the result.") { (ctx, req, writer) throws(RPCError) in
            let year = try assessmentYear(req.year)
            let level = try Region.Level.from(req.level)
            var options = IndexOptions()
            if let n = optional(req.normalisation) {
                guard let m = NormalisationMethod(rawValue: n), m != .target else {
                    throw RPCError(.invalidArgument, "normalisation: \"\(n)\" is not one of minmax, zscore, rank")
                }
                options.normalisation = m
            }
            if let a = optional(req.aggregation) {
                guard let g = IndexAggregation(rawValue: a) else {
                    throw RPCError(.invalidArgument, "aggregation: \"\(a)\" is not arithmetic or geometric")
                }
                options.aggregation = g
            }
            for e in wireList(req.n_area_weights, req.area_weights) {
                guard let e else { continue }
                let key = wireString(e.pointee.key)
                guard let area = FunctionArea.find(key) else {
                    throw RPCError(.invalidArgument, "area_weights: \"\(key)\" is not a function area (\(FunctionArea.all.map(\.code).joined(separator: ", ")))")
                }
                guard e.pointee.value.isFinite, e.pointee.value > 0 else {
                    throw RPCError(.invalidArgument, "area_weights[\(key)]: \(e.pointee.value) is not a positive number")
                }
                options.areaWeights[area.code] = e.pointee.value
            }
            let runs = Int(req.robustness_runs)
            guard runs <= Robustness.maxRuns else {
                throw RPCError(.invalidArgument, "robustness_runs: \(runs) is more than \(Robustness.maxRuns)")
            }
            let seed = req.seed == 0 ? Robustness.defaultSeed : req.seed
            let candidates = CompositeIndex.candidates(store.indicators()).map(\.code)
            let data = try domain { () throws(LexstatError) in
                try store.peerData(indicators: candidates, year: year, within: optional(req.within), level: level)
            }
            let indicators = CompositeIndex.select(data, minCoverage: options.minIndicatorCoverage)
            guard !indicators.isEmpty else {
                throw RPCError(.failedPrecondition, "no indicator with a polarity has \(year) figures for at least half (and at least two) of the reporting \(data.describe(regions))")
            }
            let explain = try explainRegion(optional(req.explain), data, regions)
            var previous: PeerData?
            if Period.validYears.contains(year - 1) {
                previous = try domain { () throws(LexstatError) in
                    try store.peerData(indicators: indicators.map(\.code), year: year - 1, within: optional(req.within), level: level)
                }
            }
            try ctx.checkCancelled()
            var result = CompositeIndex.compute(data, indicators: indicators, options: options, previous: previous)
            if runs > 0 {
                var sendError: RPCError?
                let bands = Robustness.run(data, indicators: indicators, options: options, runs: runs, seed: seed) { done, total in
                    do throws(RPCError) {
                        try ctx.checkCancelled()
                        let arena = WireArena()
                        var p = Lexstat__V1__IndexProgress.make()
                        p.done = UInt32(done)
                        p.total = UInt32(total)
                        var ev = Lexstat__V1__IndexEvent.make()
                        ev.event_case = LEXSTAT__V1__INDEX_EVENT__EVENT_PROGRESS
                        ev.progress = arena.box(p)
                        try withExtendedLifetime(arena) { () throws(RPCError) in try writer.send(ev) }
                        return true
                    } catch {
                        sendError = error
                        return false
                    }
                }
                if let sendError { throw sendError }
                let byCode = Dictionary(uniqueKeysWithValues: bands.map { ($0.region.code, $0) })
                for i in result.entries.indices {
                    if let band = byCode[result.entries[i].region.code] {
                        result.entries[i].robustness = (band.median, band.p05, band.p95)
                    }
                }
            }
            let arena = WireArena()
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__IndexResult.make()
            let entries = result.entries.map { e -> Lexstat__V1__IndexEntry in
                var w = Lexstat__V1__IndexEntry.make()
                w.region = b.regionPtr(e.region)
                w.overall = e.overall
                w.rank = UInt32(clamping: e.rank)
                let subs = result.areas.compactMap { a -> Lexstat__V1__IndexEntry__SubIndicesEntry? in
                    guard let v = e.subIndices[a] else { return nil }
                    var s = Lexstat__V1__IndexEntry__SubIndicesEntry.make()
                    s.key = arena.string(a)
                    s.value = v
                    return s
                }
                w.n_sub_indices = subs.count
                w.sub_indices = arena.messages(subs)
                if let p = e.previous {
                    w.has_previous = 1
                    w.change = e.overall - p.overall
                    w.previous_rank = UInt32(clamping: p.rank)
                }
                if let rb = e.robustness {
                    w.has_robustness = 1
                    w.median_rank = rb.median
                    w.rank_p05 = UInt32(clamping: rb.p05)
                    w.rank_p95 = UInt32(clamping: rb.p95)
                }
                w.coverage = e.coverage
                return w
            }
            r.n_entries = entries.count
            r.entries = arena.messages(entries)
            r.n_areas = result.areas.count
            r.areas = arena.strings(result.areas)
            r.n_indicators = result.indicators.count
            r.indicators = arena.messages(result.indicators.map(b.indicator))
            r.n_left_out = result.leftOut.count
            r.left_out = arena.messages(result.leftOut.map(b.region))
            r.year = Int32(year)
            r.normalisation = arena.string(options.normalisation.rawValue)
            r.aggregation = arena.string(options.aggregation.rawValue)
            r.robustness_runs = UInt32(runs)
            r.seed = runs > 0 ? seed : 0
            if let w = data.within { r.within = b.regionPtr(w) }
            r.level = data.level?.wire ?? LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_UNSPECIFIED
            if let e = explain {
                r.explain_region = arena.string(e.code)
                let list = (result.contributions[e.code] ?? []).map(b.contribution)
                r.n_explain = list.count
                r.explain = arena.messages(list)
            }
            var ev = Lexstat__V1__IndexEvent.make()
            ev.event_case = LEXSTAT__V1__INDEX_EVENT__EVENT_RESULT
            ev.result = arena.box(r)
            try withExtendedLifetime(arena) { () throws(RPCError) in try writer.send(ev) }
        }
        unary("Check", Lexstat__V1__CheckRequest.self, Lexstat__V1__CheckResponse.self, execution: .worker,
              summary: "Consistency findings among stored figures: rates outside 0–100 %, changes, parents below children, sources disagreeing.") { (_, req, arena) throws(RPCError) in
            let year = req.year == 0 ? nil : Int(req.year)
            let findings = try domain { () throws(LexstatError) in try store.check(region: optional(req.region), year: year) }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__CheckResponse.make()
            let list = findings.map { f -> Lexstat__V1__Finding in
                var w = Lexstat__V1__Finding.make()
                w.rule = arena.string(f.rule.rawValue)
                w.message = arena.string(f.message)
                w.n_observations = f.observations.count
                w.observations = arena.messages(f.observations.map(b.observation))
                return w
            }
            r.n_findings = list.count
            r.findings = arena.messages(list)
            return r
        }
    }
}

private func assessmentYear(_ y: Int32) throws(RPCError) -> Int {
    guard y != 0 else { throw RPCError(.invalidArgument, "year: required, e.g. 2024") }
    guard Period.validYears.contains(Int(y)) else {
        throw RPCError(.invalidArgument, "year: \(y) is outside \(Period.validYears.lowerBound)–\(Period.validYears.upperBound)")
    }
    return Int(y)
}

/// The region to explain, which must be one of the peer group.
private func explainRegion(_ name: String?, _ data: PeerData, _ regions: RegionDirectory) throws(RPCError) -> Region? {
    guard let name else { return nil }
    let r = try domain { () throws(LexstatError) in try regions.resolve(name) }
    guard data.regions.contains(where: { $0.code == r.code }) else {
        throw RPCError(.invalidArgument, "explain: \(regions.fullName(of: r.code)) (\(r.code)) is not in the peer group (\(data.describe(regions)))")
    }
    return r
}

extension WireBuilder {
    func contribution(_ c: ScoreContribution) -> Lexstat__V1__Contribution {
        var w = Lexstat__V1__Contribution.make()
        w.indicator = s(c.indicator.code)
        w.indicator_name = s(c.indicator.name)
        w.unit = s(c.figure?.observation.unit ?? c.indicator.unit)
        w.component = s(c.component)
        if let f = c.figure {
            w.has_value = 1
            w.raw = f.value
            w.bound = f.observation.bound.wire
            w.period = s(f.observation.period.text)
            w.provenance = arena.box(provenance(f.observation.provenance))
        }
        if let n = c.normalised { w.has_normalised = 1; w.normalised = n }
        w.weight = c.weight
        w.contribution = c.contribution
        return w
    }
}
