/// One indicator's part in a region's total.
public struct ScoreContribution: Hashable, Sendable {
    public var indicator: Indicator
    /// The component and groups it sits in, e.g. `年度考评/人民调解`.
    public var component: String
    /// The region's figure; `nil` when it has none.
    public var figure: Figure?
    /// The figure's score on 0…1 (0 for a missing figure under the zero rule, `nil` when re-weighted away).
    public var normalised: Double?
    /// The effective weight in the total, after re-weighting (0…1).
    public var weight: Double
    /// Points on the 0…100 total: 100 × weight × normalised.
    public var contribution: Double
}

/// A region's result under a scheme.
public struct RegionScoreResult: Hashable, Sendable {
    public var region: Region
    /// 0…100; the exact sum of `contributions`. For a region left out, what it
    /// would have scored from the figures it has; it is not ranked.
    public var total: Double
    /// 1 for the best, ties sharing; 0 when excluded.
    public var rank: Int
    /// Each top-level component's own score on 0…100, in scheme order; `nil` when it has no figure.
    public var components: [(name: String, score: Double?)]
    /// Share of the scheme's weight carried by figures the region has (0…1).
    public var coverage: Double
    public var excludedReason: String?
    public var contributions: [ScoreContribution]

    public var excluded: Bool { excludedReason != nil }

    public static func == (a: RegionScoreResult, b: RegionScoreResult) -> Bool {
        a.region == b.region && a.total == b.total && a.rank == b.rank && a.coverage == b.coverage
            && a.excludedReason == b.excludedReason && a.contributions == b.contributions
            && a.components.map(\.name) == b.components.map(\.name) && a.components.map(\.score) == b.components.map(\.score)
    }

    public func hash(into h: inout Hasher) {
        h.combine(region)
        h.combine(total)
        h.combine(rank)
    }
}

/// A scheme applied to a peer group.
public struct ScoreResult: Hashable, Sendable {
    public var scheme: AssessmentScheme
    public var data: PeerData
    /// Ranked regions best first (ties by code), then the excluded ones by code.
    public var scores: [RegionScoreResult]

    public func score(of region: String) -> RegionScoreResult? { scores.first { $0.region.code == region } }
}

/// Scores regions under an assessment scheme.
///
/// ## The arithmetic
/// Each indicator is normalised to 0…1 over the regions with a figure.
/// A group's score is the weighted mean of its children's; the total is
/// 100 × the weighted mean of the components. Equivalently each indicator
/// carries an *effective weight*, the product of the (re-normalised)
/// weights on its path, and contributes 100 × effective weight × score.
/// The total is computed as the sum of those contributions, so an
/// explanation adds up to the total exactly; only display rounds.
///
/// ## Missing figures
/// - `reweight`: a group's weights are re-normalised over the children
///   that have a figure (a group with none is itself missing); coverage is
///   the scheme weight of the present figures; below `min_coverage` the
///   region is left out.
/// - `zero`: a missing figure scores 0 and keeps its weight.
/// - `exclude`: a region missing any figure is left out.
///
/// Under every rule a region with no figure at all is left out: there is nothing to score.
public enum Scorer {
    public static func score(_ scheme: AssessmentScheme, _ data: PeerData) -> ScoreResult {
        // Normalise each indicator over the regions with a figure.
        var norm: [String: [String: Double]] = [:]
        for spec in scheme.indicators {
            let code = spec.indicator.code
            let col = (data.values[code] ?? [:]).sorted { $0.key < $1.key }
            let scores = Normaliser.normalise(col.map(\.value.value), method: spec.normalisation, polarity: spec.polarity,
                                              target: spec.target, cap: spec.cap)
            var m: [String: Double] = [:]
            for (i, (r, _)) in col.enumerated() { m[r] = scores[i] }
            norm[code] = m
        }
        var results: [RegionScoreResult] = []
        for region in data.regions {
            results.append(scoreRegion(region, scheme, data, norm))
        }
        let ranked = results.filter { !$0.excluded }
        let ranks = Ranking.competition(ranked.map(\.total), higherFirst: true)
        var out: [RegionScoreResult] = []
        for (i, var r) in ranked.enumerated() {
            r.rank = ranks[i]
            out.append(r)
        }
        out.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.region.code < $1.region.code }
        out += results.filter(\.excluded)
        return ScoreResult(scheme: scheme, data: data, scores: out)
    }

    private static func scoreRegion(_ region: Region, _ scheme: AssessmentScheme, _ data: PeerData,
                                    _ norm: [String: [String: Double]]) -> RegionScoreResult {
        let code = region.code
        let missingCodes = scheme.indicators.filter { norm[$0.indicator.code]?[code] == nil }.map(\.indicator.code)
        let zeroRule: Bool
        switch scheme.missing {
        case .zero: zeroRule = true
        case .exclude, .reweight: zeroRule = false
        }
        func present(_ n: SchemeNode) -> Bool {
            switch n.kind {
            case .indicator(let s): return zeroRule || norm[s.indicator.code]?[code] != nil
            case .group(let c): return c.contains(where: present)
            }
        }
        var contributions: [ScoreContribution] = []
        var coverage = 0.0
        // Walks the tree with the effective weight of the node (re-normalised) and its nominal weight.
        func walk(_ nodes: [SchemeNode], effective: Double, nominal: Double, path: String) {
            let all = nodes.reduce(0) { $0 + $1.weight }
            let here = nodes.filter(present).reduce(0) { $0 + $1.weight }
            for n in nodes {
                let isPresent = present(n)
                let eff = isPresent && here > 0 ? effective * n.weight / here : 0
                let nom = nominal * n.weight / all
                switch n.kind {
                case .group(let c):
                    walk(c, effective: eff, nominal: nom, path: path.isEmpty ? n.name : "\(path)/\(n.name)")
                case .indicator(let s):
                    let fig = data.figure(s.indicator.code, code)
                    let v = norm[s.indicator.code]?[code]
                    if v != nil { coverage += nom }
                    let nv = v ?? (zeroRule ? 0 : nil)
                    contributions.append(ScoreContribution(indicator: s.indicator, component: path, figure: fig, normalised: nv,
                                                           weight: eff, contribution: 100 * eff * (nv ?? 0)))
                }
            }
        }
        walk(scheme.components, effective: 1, nominal: 1, path: "")
        let total = contributions.reduce(0) { $0 + $1.contribution }
        var components: [(name: String, score: Double?)] = []
        for c in scheme.components {
            let parts = contributions.filter { $0.component == c.name || $0.component.hasPrefix(c.name + "/") }
            let w = parts.reduce(0) { $0 + $1.weight }
            components.append((c.name, w > 0 ? parts.reduce(0) { $0 + $1.contribution } / w : nil))
        }
        var reason: String?
        let anyFigure = scheme.indicators.contains { norm[$0.indicator.code]?[code] != nil }
        switch scheme.missing {
        case _ where !anyFigure:
            reason = "no figures for \(data.year)"
        case .exclude where !missingCodes.isEmpty:
            reason = "missing \(missingCodes.joined(separator: ", ")) (rule exclude)"
        case .reweight(let minCoverage):
            if coverage + 1e-12 < minCoverage {
                reason = "coverage \(percent(coverage)) is below the minimum \(percent(minCoverage)); missing \(missingCodes.joined(separator: ", "))"
            }
        default: break
        }
        return RegionScoreResult(region: region, total: total, rank: 0, components: components,
                                 coverage: coverage, excludedReason: reason, contributions: contributions)
    }

    static func percent(_ x: Double) -> String {
        let p = (x * 1000).rounded() / 10
        return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
    }
}
