import Foundation

/// A region's rank across the runs of a robustness analysis.
public struct RankBand: Hashable, Sendable {
    public var region: Region
    public var median: Double
    /// 5th and 95th percentile ranks (nearest rank).
    public var p05: Int
    public var p95: Int
}

/// A Monte Carlo uncertainty analysis of the index, as the JRC audits composite indicators.
///
/// Each run draws, independently and uniformly:
/// - each area weight, as the configured weight × a factor in [0.8, 1.2) (±20 %);
/// - the normalisation: min–max, z-score or rank;
/// - the aggregation: arithmetic or geometric;
///
/// then ranks the regions. Each region's ranks over the runs give its
/// median rank and its 5th–95th percentile band. The generator is
/// ``SplitMix64`` with the given seed, so a seed always gives the same bands.
public enum Robustness {
    /// The seed used when none is given (0 on the wire).
    public static let defaultSeed: UInt64 = 0x1E85_7A75_2024_0001
    /// Most runs one request may ask for.
    public static let maxRuns = 100_000

    /// Runs the analysis.
    ///
    /// - Parameters:
    ///   - data: the peer group's figures.
    ///   - indicators: the indicators of the index.
    ///   - options: the base options (their area weights are the centre of the ±20 %).
    ///   - runs: how many draws.
    ///   - seed: the generator's seed.
    ///   - progress: called with (runs done, runs in all) every so often and at the end;
    ///     return false to stop early.
    /// - Returns: one band per region that entered the index, in the order of
    ///   the index's regions (by code); empty when stopped early.
    public static func run(_ data: PeerData, indicators: [Indicator], options: IndexOptions, runs: Int, seed: UInt64,
                           progress: (Int, Int) -> Bool = { _, _ in true }) -> [RankBand] {
        let model = IndexModel(data, indicators: indicators, options: options)
        let methods: [NormalisationMethod] = [.minmax, .zscore, .rank]
        let terms = methods.map { RegionTerms.all(model, model.normalised($0)) }
        var rng = SplitMix64(seed: seed)
        var ranks = [[Int]](repeating: [], count: model.regions.count)
        for r in ranks.indices { ranks[r].reserveCapacity(runs) }
        let step = max(1, runs / 100)
        for i in 0..<runs {
            let weights = model.baseAreaWeights.map { $0 * (0.8 + 0.4 * rng.unit()) }
            let m = rng.below(methods.count)
            let aggregation: IndexAggregation = rng.below(2) == 0 ? .arithmetic : .geometric
            let scores = terms[m].map { $0.overall(weights, geometric: aggregation == .geometric) }
            let rk = Ranking.competition(scores, higherFirst: true)
            for r in rk.indices { ranks[r].append(rk[r]) }
            if (i + 1) % step == 0 || i + 1 == runs {
                if !progress(i + 1, runs) { return [] }
            }
        }
        return model.regions.enumerated().map { r, region in
            let s = ranks[r].sorted()
            return RankBand(region: region, median: Ranking.median(s), p05: Ranking.percentile(s, 5), p95: Ranking.percentile(s, 95))
        }
    }
}

/// One region's normalised scores laid out for the inner loop of a robustness run.
///
/// The index's arithmetic (``IndexModel/effectiveWeights(_:region:areaWeights:)``
/// times the scores, or their floored logs) without allocating per run: which
/// areas a region has figures in does not change between runs, only the weights do.
struct RegionTerms {
    var area: [Int] = []
    var value: [Double] = []
    var logValue: [Double] = []
    /// Areas with at least one figure, ascending, and the count of figures per area.
    var areasPresent: [Int] = []
    var countInArea: [Double] = []

    static func all(_ model: IndexModel, _ n: [[Double?]]) -> [RegionTerms] {
        model.regions.indices.map { r in
            var t = RegionTerms()
            t.countInArea = [Double](repeating: 0, count: model.areas.count)
            for j in model.indicators.indices {
                guard let v = n[j][r] else { continue }
                t.area.append(model.areaOf[j])
                t.value.append(v)
                t.logValue.append(log(max(v, IndexOptions.geometricFloor)))
                t.countInArea[model.areaOf[j]] += 1
            }
            t.areasPresent = model.areas.indices.filter { t.countInArea[$0] > 0 }
            return t
        }
    }

    func overall(_ weights: [Double], geometric: Bool) -> Double {
        var present = 0.0
        for a in areasPresent { present += weights[a] }
        guard present > 0 else { return geometric ? 100 : 0 }
        var s = 0.0
        for k in area.indices {
            let a = area[k]
            let w = weights[a] / present / countInArea[a]
            s += w * (geometric ? logValue[k] : value[k])
        }
        return geometric ? 100 * exp(s) : 100 * s
    }
}
