import Foundation

/// How the normalised indicators are combined.
public enum IndexAggregation: String, Sendable, Codable, CaseIterable {
    /// Weighted arithmetic mean: full compensation between indicators.
    case arithmetic
    /// Weighted geometric mean: a weak indicator cannot be fully made up for.
    case geometric
}

/// The settings of one composite-index computation.
public struct IndexOptions: Hashable, Sendable {
    /// `minmax`, `zscore` or `rank` (`target` needs targets and is not used here).
    public var normalisation: NormalisationMethod
    public var aggregation: IndexAggregation
    /// Function area code → weight; areas not named weigh 1, so empty means equal weights.
    public var areaWeights: [String: Double]
    /// An indicator enters the index when at least this share of the peer group has a figure.
    public var minIndicatorCoverage: Double
    /// A region enters when it has figures for at least this share of the index's indicators.
    public var minRegionCoverage: Double

    public init(normalisation: NormalisationMethod = .minmax, aggregation: IndexAggregation = .arithmetic,
                areaWeights: [String: Double] = [:], minIndicatorCoverage: Double = 0.5, minRegionCoverage: Double = 0.5) {
        self.normalisation = normalisation
        self.aggregation = aggregation
        self.areaWeights = areaWeights
        self.minIndicatorCoverage = minIndicatorCoverage
        self.minRegionCoverage = minRegionCoverage
    }

    /// Floor applied to normalised scores (on 0…1) before a geometric mean, so a zero does not zero the index.
    public static let geometricFloor = 0.01
}

/// One region in the composite index.
public struct IndexEntryResult: Hashable, Sendable {
    public var region: Region
    /// 0…100; the exact sum of the region's contributions.
    public var overall: Double
    public var rank: Int
    /// Area code → sub-index on 0…100, for the areas the region has figures in.
    public var subIndices: [String: Double]
    /// Share of the index's indicators the region has figures for.
    public var coverage: Double
    /// The previous year's overall and rank, computed the same way, when the region had one.
    public var previous: (overall: Double, rank: Int)?
    /// From a robustness run: median rank and the 5th–95th percentile band.
    public var robustness: (median: Double, p05: Int, p95: Int)?

    public var change: Double? { previous.map { overall - $0.overall } }

    public static func == (a: IndexEntryResult, b: IndexEntryResult) -> Bool {
        a.region == b.region && a.overall == b.overall && a.rank == b.rank && a.subIndices == b.subIndices
            && a.coverage == b.coverage && a.previous?.overall == b.previous?.overall && a.previous?.rank == b.previous?.rank
            && a.robustness?.median == b.robustness?.median && a.robustness?.p05 == b.robustness?.p05
            && a.robustness?.p95 == b.robustness?.p95
    }

    public func hash(into h: inout Hasher) {
        h.combine(region)
        h.combine(overall)
    }
}

/// The composite index (法治政府建设指数) of a peer group for one year.
public struct CompositeIndexResult: Hashable, Sendable {
    public var year: Int
    public var options: IndexOptions
    /// Area codes with at least one indicator, in catalog order.
    public var areas: [String]
    /// The indicators that entered, by area then code.
    public var indicators: [Indicator]
    /// Ranked regions, best first (ties by code).
    public var entries: [IndexEntryResult]
    /// Regions left out for want of figures (below `minRegionCoverage`).
    public var leftOut: [Region]
    /// Region code → its contributions, one per indicator of the index.
    public var contributions: [String: [ScoreContribution]]
}

/// Builds composite indices in the manner of the OECD/JRC Handbook on Constructing Composite Indicators.
///
/// Indicators of the catalog with a polarity (neutral volume figures say
/// nothing good or bad and stay out) enter when enough of the peer group
/// reports them. Each is normalised over the regions with a figure; an
/// area's sub-index aggregates its indicators with equal weights; the
/// overall index aggregates the areas with the area weights. Both levels
/// use the chosen aggregation, over the figures a region has (re-weighted).
///
/// With geometric aggregation a normalised score of 0 (the worst region under
/// min–max) would make the mean 0 whatever else the region does, and log 0
/// is undefined; scores are floored at ``IndexOptions/geometricFloor`` (0.01)
/// first. So the worst value still pulls hard, but the rest still counts.
///
/// Explanations: with arithmetic aggregation a contribution is 100 × the
/// effective weight × the score. With geometric aggregation, with f the
/// floor and the effective weights adding up to 1, log(index/(100·f)) =
/// Σ wᵢ·log(sᵢ/f), every term ≥ 0; each indicator gets the share
/// wᵢ·log(sᵢ/f) / Σ of the index, so the best scores get the largest shares
/// and a score at the floor gets none. (Shares of wᵢ·log sᵢ would be all
/// negative and credit the worst scores most.) When every score is at the
/// floor the index (100·f) is split by weight. Either way the overall index
/// is computed as the sum of the contributions, so they add up to it exactly.
public enum CompositeIndex {
    /// The indicators of the catalog that may enter: higher or lower is better.
    public static func candidates(_ catalog: [Indicator]) -> [Indicator] {
        catalog.filter { $0.polarity != .neutral }
    }

    /// The indicators of `data` reported by enough of the peer group, by area (catalog order) then code.
    ///
    /// Coverage counts the *reporting* regions: those with at least one
    /// figure of a candidate indicator that year. A district that reported
    /// nothing at all would otherwise keep every indicator out.
    public static func select(_ data: PeerData, minCoverage: Double) -> [Indicator] {
        let order = Dictionary(uniqueKeysWithValues: FunctionArea.all.enumerated().map { ($1.code, $0) })
        let candidates = data.indicators.values.filter { $0.polarity != .neutral }
        var reporting = Set<String>()
        for c in candidates { reporting.formUnion(data.values[c.code]?.keys ?? [:].keys) }
        guard !reporting.isEmpty else { return [] }
        return candidates
            .filter { ind in
                let n = data.values[ind.code]?.count ?? 0
                return n >= 2 && Double(n) / Double(reporting.count) + 1e-12 >= minCoverage
            }
            .sorted { (order[$0.area] ?? 99, $0.area, $0.code) < (order[$1.area] ?? 99, $1.area, $1.code) }
    }

    /// Computes the index of one year.
    ///
    /// - Parameters:
    ///   - data: the peer group's figures.
    ///   - indicators: the indicators that enter (see ``select(_:minCoverage:)``).
    ///   - previous: the previous year's figures of the same peer group, for changes.
    public static func compute(_ data: PeerData, indicators: [Indicator], options: IndexOptions,
                               previous: PeerData? = nil) -> CompositeIndexResult {
        let model = IndexModel(data, indicators: indicators, options: options)
        var result = model.result(normalised: model.normalised(options.normalisation), options: options)
        if let previous {
            let before = IndexModel(previous, indicators: indicators, options: options)
            let prev = before.result(normalised: before.normalised(options.normalisation), options: options)
            let byCode = Dictionary(uniqueKeysWithValues: prev.entries.map { ($0.region.code, $0) })
            for i in result.entries.indices {
                if let p = byCode[result.entries[i].region.code] {
                    result.entries[i].previous = (p.overall, p.rank)
                }
            }
        }
        return result
    }
}

/// The figures of an index as a matrix, and the arithmetic on it.
struct IndexModel {
    let data: PeerData
    let indicators: [Indicator]
    /// Area codes in order; `areaOf[j]` is the area index of indicator j.
    let areas: [String]
    let areaOf: [Int]
    /// Regions that enter, and raw[j][r] the figure of indicator j for region r.
    let regions: [Region]
    let leftOut: [Region]
    let raw: [[Double?]]
    let baseAreaWeights: [Double]

    init(_ data: PeerData, indicators: [Indicator], options: IndexOptions) {
        self.data = data
        self.indicators = indicators
        var areas: [String] = []
        var areaOf: [Int] = []
        for ind in indicators {
            if let k = areas.firstIndex(of: ind.area) { areaOf.append(k) } else { areas.append(ind.area); areaOf.append(areas.count - 1) }
        }
        self.areas = areas
        self.areaOf = areaOf
        var regions: [Region] = []
        var leftOut: [Region] = []
        for r in data.regions {
            let have = indicators.filter { data.figure($0.code, r.code) != nil }.count
            if !indicators.isEmpty, have > 0, Double(have) / Double(indicators.count) + 1e-12 >= options.minRegionCoverage {
                regions.append(r)
            } else {
                leftOut.append(r)
            }
        }
        self.regions = regions
        self.leftOut = leftOut
        raw = indicators.map { ind in regions.map { data.figure(ind.code, $0.code)?.value } }
        baseAreaWeights = areas.map { options.areaWeights[$0] ?? 1 }
    }

    /// Normalised scores n[j][r] on 0…1, over the regions that entered.
    func normalised(_ method: NormalisationMethod) -> [[Double?]] {
        raw.enumerated().map { j, row in
            let present = row.indices.filter { row[$0] != nil }
            let scores = Normaliser.normalise(present.map { row[$0]! }, method: method, polarity: indicators[j].polarity)
            var out = [Double?](repeating: nil, count: row.count)
            for (k, r) in present.enumerated() { out[r] = scores[k] }
            return out
        }
    }

    /// Effective weight of each indicator for one region (0 when it has no figure), re-weighted over what it has.
    func effectiveWeights(_ n: [[Double?]], region r: Int, areaWeights: [Double]) -> [Double] {
        var countInArea = [Int](repeating: 0, count: areas.count)
        for j in indicators.indices where n[j][r] != nil { countInArea[areaOf[j]] += 1 }
        var presentAreaWeight = 0.0
        for a in areas.indices where countInArea[a] > 0 { presentAreaWeight += areaWeights[a] }
        guard presentAreaWeight > 0 else { return indicators.map { _ in 0 } }
        return indicators.indices.map { j in
            guard n[j][r] != nil else { return 0 }
            let a = areaOf[j]
            return areaWeights[a] / presentAreaWeight / Double(countInArea[a])
        }
    }

    func result(normalised n: [[Double?]], options: IndexOptions) -> CompositeIndexResult {
        var entries: [IndexEntryResult] = []
        var contributions: [String: [ScoreContribution]] = [:]
        for (r, region) in regions.enumerated() {
            let w = effectiveWeights(n, region: r, areaWeights: baseAreaWeights)
            var parts = [Double](repeating: 0, count: indicators.count)
            switch options.aggregation {
            case .arithmetic:
                for j in indicators.indices where w[j] > 0 { parts[j] = 100 * w[j] * n[j][r]! }
            case .geometric:
                // Shares of wᵢ·log(sᵢ/floor): each ≥ 0 (a score at the floor adds nothing),
                // adding up to log(index/floor) because the effective weights add up to 1.
                let floor = IndexOptions.geometricFloor
                var logs = [Double](repeating: 0, count: indicators.count)
                var lifts = [Double](repeating: 0, count: indicators.count)
                for j in indicators.indices where w[j] > 0 {
                    let s = max(n[j][r]!, floor)
                    logs[j] = w[j] * log(s)
                    lifts[j] = w[j] * log(s / floor)
                }
                let value = 100 * exp(logs.reduce(0, +))
                let sumLifts = lifts.reduce(0, +)
                let sumWeights = w.reduce(0, +)
                for j in indicators.indices where w[j] > 0 {
                    // Every score at the floor: nothing lifts the index above it, so it is split by weight.
                    parts[j] = sumLifts > 0 ? value * lifts[j] / sumLifts : value * w[j] / sumWeights
                }
            }
            let overall = parts.reduce(0, +)
            var sub: [String: Double] = [:]
            for (a, code) in areas.enumerated() {
                let js = indicators.indices.filter { areaOf[$0] == a && n[$0][r] != nil }
                guard !js.isEmpty else { continue }
                switch options.aggregation {
                case .arithmetic:
                    sub[code] = 100 * js.reduce(0) { $0 + n[$1][r]! } / Double(js.count)
                case .geometric:
                    sub[code] = 100 * exp(js.reduce(0) { $0 + log(max(n[$1][r]!, IndexOptions.geometricFloor)) } / Double(js.count))
                }
            }
            let have = indicators.indices.filter { n[$0][r] != nil }.count
            entries.append(IndexEntryResult(region: region, overall: overall, rank: 0, subIndices: sub,
                                            coverage: Double(have) / Double(max(indicators.count, 1))))
            contributions[region.code] = indicators.indices.map { j in
                ScoreContribution(indicator: indicators[j], component: FunctionArea.name(of: indicators[j].area),
                                  figure: data.figure(indicators[j].code, region.code), normalised: n[j][r],
                                  weight: w[j], contribution: parts[j])
            }
        }
        let ranks = Ranking.competition(entries.map(\.overall), higherFirst: true)
        for i in entries.indices { entries[i].rank = ranks[i] }
        entries.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.region.code < $1.region.code }
        return CompositeIndexResult(year: data.year, options: options, areas: areas, indicators: indicators,
                                    entries: entries, leftOut: leftOut, contributions: contributions)
    }
}
