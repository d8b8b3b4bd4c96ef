import Foundation
import XCTest
@testable import LexstatCore

/// The composite index of the fixture, by hand. A, B and C sit in three
/// areas (service, litig, mediation), one indicator each, equal area weights;
/// a region's areas are re-weighted over those it has figures in.
final class AssessmentIndexTests: XCTestCase {
    typealias F = AssessmentFixture

    func index(_ options: IndexOptions = IndexOptions(), best: Bool = false, previous: PeerData? = nil) -> CompositeIndexResult {
        let d = F.data(best: best)
        return CompositeIndex.compute(d, indicators: CompositeIndex.select(d, minCoverage: 0.5), options: options, previous: previous)
    }

    func overall(_ r: CompositeIndexResult) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: r.entries.map { ($0.region.code, $0.overall) })
    }

    func testSelectsIndicatorsWithAPolarityInAreaOrder() {
        var d = F.data()
        d.indicators[F.neutral.code] = F.neutral
        d.values[F.neutral.code] = d.values[F.a.code]
        // Areas in catalog order: litig (行政应诉) before service (公共法律服务) before mediation (人民调解); neutral stays out.
        XCTAssertEqual(CompositeIndex.select(d, minCoverage: 0.5).map(\.code), [F.b.code, F.a.code, F.c.code])
        // With 4 of 4 required, only A (reported by all four) enters.
        XCTAssertEqual(CompositeIndex.select(d, minCoverage: 1).map(\.code), [F.a.code])
    }

    /// Arithmetic, min–max:
    /// - R1: (A 0 + B 1 + C 0)/3 = 33.33
    /// - R2: (A 1 + B 0)/2 = 50 (no C: re-weighted over two areas)
    /// - R3: (0.5 + 0.5 + 0.5)/3 = 50 → ties with R2 at rank 2
    /// - R4: (A 1 + C 1)/2 = 100
    func testArithmeticByHandWithATie() {
        let r = index()
        let o = overall(r)
        XCTAssertEqual(o[F.r1]!, 100.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(o[F.r2]!, 50, accuracy: 1e-9)
        XCTAssertEqual(o[F.r3]!, 50, accuracy: 1e-9)
        XCTAssertEqual(o[F.r4]!, 100, accuracy: 1e-9)
        XCTAssertEqual(r.entries.map(\.rank), [1, 2, 2, 4])
        XCTAssertEqual(r.entries.map(\.region.code), [F.r4, F.r2, F.r3, F.r1])
        XCTAssertEqual(r.areas, ["litig", "service", "mediation"])
        XCTAssertEqual(r.entries[1].subIndices, ["service": 100, "litig": 0])
        XCTAssertEqual(r.entries[1].coverage, 2.0 / 3, accuracy: 1e-12)
    }

    /// Geometric with a zero: scores are floored at 0.01 first.
    /// - R1: (0.01 · 1 · 0.01)^(1/3) = 0.01^(2/3) = 0.046416 → 4.6416
    /// - R2: (1 · 0.01)^(1/2) = 0.1 → 10
    /// - R3: 0.5 → 50;  R4: 1 → 100
    /// Without the floor R1 and R2 would both be 0 (and log 0 undefined); with it they still differ.
    func testGeometricWithAZeroIsFloored() {
        let r = index(IndexOptions(aggregation: .geometric))
        let o = overall(r)
        XCTAssertEqual(o[F.r1]!, 100 * pow(0.01, 2.0 / 3), accuracy: 1e-9)
        XCTAssertEqual(o[F.r1]!, 4.6416, accuracy: 1e-4)
        XCTAssertEqual(o[F.r2]!, 10, accuracy: 1e-9)
        XCTAssertEqual(o[F.r3]!, 50, accuracy: 1e-9)
        XCTAssertEqual(o[F.r4]!, 100, accuracy: 1e-9)
        XCTAssertEqual(r.entries.map(\.region.code), [F.r4, F.r3, F.r2, F.r1])
        XCTAssertEqual(r.entries.map(\.rank), [1, 2, 3, 4])
        // Sub-index of an area whose only score is 0: floored to 0.01 → 1.
        XCTAssertEqual(r.entries.last!.subIndices["service"]!, 1, accuracy: 1e-9)
        // Explanation of R2 by shares of wᵢ·log(sᵢ/0.01): A (score 1) lifts it all, B (at the floor) nothing.
        let c2 = r.contributions[F.r2]!
        XCTAssertEqual(c2.map(\.indicator.code), [F.b.code, F.a.code, F.c.code])
        XCTAssertEqual(c2[0].contribution, 0, accuracy: 1e-12)
        XCTAssertEqual(c2[1].contribution, 10, accuracy: 1e-9)
        XCTAssertEqual(c2[2].weight, 0)
        // R1: B scores 1 → all of 4.6416; A and C, at the floor, nothing.
        let c1 = r.contributions[F.r1]!
        XCTAssertEqual(c1[0].contribution, 100 * pow(0.01, 2.0 / 3), accuracy: 1e-9)
        XCTAssertEqual(c1[1].contribution, 0, accuracy: 1e-12)
        XCTAssertEqual(c1[2].contribution, 0, accuracy: 1e-12)
        // R3: three equal scores share equally.
        let c3 = r.contributions[F.r3]!
        for c in c3 { XCTAssertEqual(c.contribution, 50.0 / 3, accuracy: 1e-9) }
    }

    /// Geometric explanation by hand, three regions with a figure for all three indicators (weights ⅓):
    /// ```
    ///        A (higher)   B (lower)   C (higher)      min–max scores
    /// R1        300           4           50          A 1,   B 0.5, C 0
    /// R2        100           6           50          A 0,   B 0,   C 0
    /// R3        200           2          250          A 0.5, B 1,   C 1
    /// ```
    /// R1 = 100·(1 · 0.5 · 0.01)^⅓ = 100·0.005^⅓ = 17.0998. log(R1/1) = ⅓·(log 100 + log 50 + log 1)
    /// = ⅓·log 5000, so A gets log 100 / log 5000 = 54.07 % (9.2457), B log 50 / log 5000 = 45.93 % (7.8541),
    /// C (at the floor) 0: the best indicator gets the largest share, the worst none.
    /// R2: every score at the floor → 1, split by weight (⅓ each).
    func testGeometricExplanationCreditsTheBestIndicatorMost() {
        let figures: [String: [String: Double]] = [
            F.a.code: [F.r1: 300, F.r2: 100, F.r3: 200],
            F.b.code: [F.r1: 4, F.r2: 6, F.r3: 2],
            F.c.code: [F.r1: 50, F.r2: 50, F.r3: 250],
        ]
        let d = F.data(figures: figures)
        let r = CompositeIndex.compute(d, indicators: CompositeIndex.select(d, minCoverage: 0.5),
                                       options: IndexOptions(aggregation: .geometric))
        let o = overall(r)
        let r1 = 100 * pow(0.005, 1.0 / 3)
        XCTAssertEqual(o[F.r1]!, r1, accuracy: 1e-9)
        XCTAssertEqual(o[F.r1]!, 17.0998, accuracy: 1e-4)
        let c1 = Dictionary(uniqueKeysWithValues: r.contributions[F.r1]!.map { ($0.indicator.code, $0) })
        XCTAssertEqual(c1[F.a.code]!.normalised, 1)
        XCTAssertEqual(c1[F.a.code]!.contribution, r1 * log(100) / log(5000), accuracy: 1e-9)
        XCTAssertEqual(c1[F.a.code]!.contribution, 9.2457, accuracy: 1e-4)
        XCTAssertEqual(c1[F.b.code]!.contribution, r1 * log(50) / log(5000), accuracy: 1e-9)
        XCTAssertEqual(c1[F.b.code]!.contribution, 7.8541, accuracy: 1e-4)
        XCTAssertEqual(c1[F.c.code]!.normalised, 0)
        XCTAssertEqual(c1[F.c.code]!.contribution, 0, accuracy: 1e-12)
        XCTAssertGreaterThan(c1[F.a.code]!.contribution, c1[F.b.code]!.contribution)
        for c in c1.values { XCTAssertGreaterThanOrEqual(c.contribution, 0) }
        XCTAssertEqual(r.contributions[F.r1]!.map(\.contribution).reduce(0, +), o[F.r1]!)
        // All at the floor: 1, a third each.
        XCTAssertEqual(o[F.r2]!, 1, accuracy: 1e-9)
        for c in r.contributions[F.r2]! { XCTAssertEqual(c.contribution, 1.0 / 3, accuracy: 1e-12) }
        XCTAssertEqual(r.contributions[F.r2]!.map(\.contribution).reduce(0, +), o[F.r2]!)
    }

    func testIndexExplainSumsExactlyUnderEveryMethod() {
        for n in [NormalisationMethod.minmax, .zscore, .rank] {
            for a in IndexAggregation.allCases {
                let r = index(IndexOptions(normalisation: n, aggregation: a), best: true)
                for e in r.entries {
                    let parts = r.contributions[e.region.code]!.map(\.contribution)
                    XCTAssertEqual(parts.reduce(0, +), e.overall, "\(n) \(a) \(e.region.name)")
                    let (u, t) = Apportion.units(parts, places: 2)
                    XCTAssertEqual(u.reduce(0, +), t)
                }
            }
        }
    }

    /// Configured weights: service (A) 2, others 1. R1: (2·0 + 1 + 0)/4 = 25; R2: (2·1 + 0)/3 = 66.67; R3 50; R4 (2 + 1)/3 = 100.
    func testConfiguredAreaWeights() {
        let o = overall(index(IndexOptions(areaWeights: ["service": 2])))
        XCTAssertEqual(o[F.r1]!, 25, accuracy: 1e-9)
        XCTAssertEqual(o[F.r2]!, 200.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(o[F.r3]!, 50, accuracy: 1e-9)
    }

    /// Change against the previous year: the same indicators, computed the same way on last year's figures.
    /// Last year R1 and R4 had other A figures (R1 300, R4 100): R4's A scored 0 → (0 + 1)/2 = 50.
    func testChangeAgainstThePreviousYear() {
        var figures: [String: [String: Double]] = [
            F.a.code: [F.r1: 300, F.r2: 300, F.r3: 200, F.r4: 100],
            F.b.code: [F.r1: 2, F.r2: 6, F.r3: 4],
            F.c.code: [F.r1: 50, F.r3: 150, F.r4: 250],
        ]
        let before = F.data(year: 2022, figures: figures)
        let r = index(previous: before)
        let e4 = r.entries.first { $0.region.code == F.r4 }!
        // Last year: R1 (1 + 1 + 0)/3 = 66.67 rank 1; R2 50, R3 50, R4 50 share rank 2.
        XCTAssertEqual(e4.previous!.overall, 50, accuracy: 1e-9)
        XCTAssertEqual(e4.previous!.rank, 2)
        XCTAssertEqual(e4.change!, 50, accuracy: 1e-9)
        let e1 = r.entries.first { $0.region.code == F.r1 }!
        XCTAssertEqual(e1.previous!.rank, 1)
        XCTAssertEqual(e1.change!, 100.0 / 3 - 200.0 / 3, accuracy: 1e-9)
        // A region absent last year has no change.
        figures[F.a.code]![F.r3] = nil
        figures[F.b.code]![F.r3] = nil
        figures[F.c.code]![F.r3] = nil
        let r2 = index(previous: F.data(year: 2022, figures: figures))
        XCTAssertNil(r2.entries.first { $0.region.code == F.r3 }!.previous)
    }

    /// R5 best on every indicator: first under every normalisation and aggregation, and in every robustness run.
    func testBestEverywhereRanksFirstUnderEveryMethod() {
        for n in [NormalisationMethod.minmax, .zscore, .rank] {
            for a in IndexAggregation.allCases {
                for w in [[:], ["service": 3.0], ["litig": 0.2, "mediation": 5]] {
                    let r = index(IndexOptions(normalisation: n, aggregation: a, areaWeights: w), best: true)
                    XCTAssertEqual(r.entries.first?.region.code, F.r5, "\(n) \(a) \(w)")
                    XCTAssertEqual(r.entries.first?.rank, 1)
                    XCTAssertEqual(r.entries.dropFirst().map(\.rank).min(), 2, "R5 is first alone, \(n) \(a) \(w)")
                }
            }
        }
        let d = F.data(best: true)
        let bands = Robustness.run(d, indicators: CompositeIndex.select(d, minCoverage: 0.5), options: IndexOptions(),
                                   runs: 500, seed: 1)
        let r5 = bands.first { $0.region.code == F.r5 }!
        XCTAssertEqual(r5.median, 1)
        XCTAssertEqual(r5.p05, 1)
        XCTAssertEqual(r5.p95, 1)
    }

    /// A robustness run with a fixed seed.
    ///
    /// R4 scores 1 on both its indicators under min–max and rank (→ 100 whatever
    /// the weights, either aggregation) and 0.65/0.70 under z-score, where the
    /// others stay below 0.49 even with ±20 % weights: it ranks 1 in every run.
    /// R1 is last with equal weights under every method, and can only pass R2
    /// when B's weight is near +20 % and A's near −20 % (arithmetic, min–max:
    /// 1.2/2.8 = 0.43 against 0.8/2.0 = 0.40): its median is 4.
    func testRobustnessWithAFixedSeed() {
        let d = F.data()
        let ind = CompositeIndex.select(d, minCoverage: 0.5)
        var seen: [(Int, Int)] = []
        let bands = Robustness.run(d, indicators: ind, options: IndexOptions(), runs: 1000, seed: 42) { done, total in
            seen.append((done, total))
            return true
        }
        XCTAssertEqual(bands.map(\.region.code), [F.r1, F.r2, F.r3, F.r4])
        let by = Dictionary(uniqueKeysWithValues: bands.map { ($0.region.code, $0) })
        XCTAssertEqual(by[F.r4]!.median, 1)
        XCTAssertEqual(by[F.r4]!.p05, 1)
        XCTAssertEqual(by[F.r4]!.p95, 1)
        XCTAssertEqual(by[F.r1]!.median, 4)
        XCTAssertEqual(by[F.r1]!.p95, 4)
        XCTAssertGreaterThanOrEqual(by[F.r1]!.p05, 3)
        // R2 and R3 trade places 2 and 3.
        XCTAssertEqual(by[F.r2]!.p05, 2)
        XCTAssertLessThanOrEqual(by[F.r3]!.p95, 4)
        // Progress every 1 % of the runs, ending at (1000, 1000).
        XCTAssertEqual(seen.count, 100)
        XCTAssertEqual(seen.last!.0, 1000)
        XCTAssertEqual(seen.last!.1, 1000)
        // The same seed gives the same bands; stopping early gives none.
        let again = Robustness.run(d, indicators: ind, options: IndexOptions(), runs: 1000, seed: 42)
        XCTAssertEqual(again, bands)
        let stopped = Robustness.run(d, indicators: ind, options: IndexOptions(), runs: 1000, seed: 42) { done, _ in done < 300 }
        XCTAssertEqual(stopped, [])
    }

    /// The robustness run's fast arithmetic gives the index the explanation gives, under every method.
    func testRobustnessArithmeticMatchesTheIndex() {
        let d = F.data(best: true)
        let ind = CompositeIndex.select(d, minCoverage: 0.5)
        for n in [NormalisationMethod.minmax, .zscore, .rank] {
            for a in IndexAggregation.allCases {
                for w in [[:], ["service": 1.2, "litig": 0.8]] {
                    let options = IndexOptions(normalisation: n, aggregation: a, areaWeights: w)
                    let model = IndexModel(d, indicators: ind, options: options)
                    let fast = RegionTerms.all(model, model.normalised(n)).map { $0.overall(model.baseAreaWeights, geometric: a == .geometric) }
                    let full = CompositeIndex.compute(d, indicators: ind, options: options)
                    for (r, region) in model.regions.enumerated() {
                        let e = full.entries.first { $0.region == region }!
                        XCTAssertEqual(fast[r], e.overall, accuracy: 1e-9, "\(n) \(a) \(w) \(region.name)")
                    }
                }
            }
        }
    }

    /// SplitMix64's published first outputs for seed 0.
    func testSplitMix64KnownOutputs() {
        var g = SplitMix64(seed: 0)
        XCTAssertEqual(g.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(g.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(g.next(), 0x06C4_5D18_8009_454F)
        var h = SplitMix64(seed: 9)
        for _ in 0..<1000 {
            let u = h.unit()
            XCTAssert(u >= 0 && u < 1)
            XCTAssert((0..<3).contains(h.below(3)))
        }
    }

    /// Median of an even count is the mean of the middle two; percentiles are nearest-rank.
    func testMedianAndPercentiles() {
        XCTAssertEqual(Ranking.median([1, 1, 2, 3, 10]), 2)
        XCTAssertEqual(Ranking.median([1, 2, 3, 4]), 2.5)
        XCTAssertEqual(Ranking.percentile([1, 1, 2, 3, 10], 5), 1)   // ⌈0.25⌉ = 1st
        XCTAssertEqual(Ranking.percentile([1, 1, 2, 3, 10], 95), 10) // ⌈4.75⌉ = 5th
        let twenty = Array(1...20)
        XCTAssertEqual(Ranking.percentile(twenty, 5), 1)   // ⌈1⌉
        XCTAssertEqual(Ranking.percentile(twenty, 95), 19) // ⌈19⌉
        XCTAssertEqual(Ranking.competition([3, 5, 5, 1], higherFirst: true), [3, 1, 1, 4])
        XCTAssertEqual(Ranking.competition([0.1 + 0.2, 0.3], higherFirst: true), [1, 1], "floating noise ties")
    }
}
