import XCTest
@testable import LexstatCore

/// Scores of the fixture worked out by hand (see AssessmentFixture for the figures and their min–max scores).
final class AssessmentScoringTests: XCTestCase {
    typealias F = AssessmentFixture

    func totals(_ r: ScoreResult) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: r.scores.filter { !$0.excluded }.map { ($0.region.code, $0.total) })
    }

    func ranks(_ r: ScoreResult) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: r.scores.filter { !$0.excluded }.map { ($0.region.code, $0.rank) })
    }

    /// Re-weighting, level by level:
    /// - R1: 平时 A 0 → 0; 年度 (B 1 + C 0)/2 = 0.5 → 100 × (0.4·0 + 0.6·0.5) = 30
    /// - R2: 平时 A 1; 年度 has only B (0), re-weighted to 1 → 0 → 100 × 0.4 = 40; coverage 0.4 + 0.3 = 0.7
    /// - R3: A 0.5; 年度 (0.5 + 0.5)/2 → 100 × (0.2 + 0.3) = 50
    /// - R4: A 1; 年度 has only C (1) → 100 × (0.4 + 0.6) = 100; coverage 0.7
    func testReweightByHand() throws {
        let r = Scorer.score(try F.scheme(), F.data())
        let t = totals(r)
        XCTAssertEqual(t[F.r1]!, 30, accuracy: 1e-9)
        XCTAssertEqual(t[F.r2]!, 40, accuracy: 1e-9)
        XCTAssertEqual(t[F.r3]!, 50, accuracy: 1e-9)
        XCTAssertEqual(t[F.r4]!, 100, accuracy: 1e-9)
        XCTAssertEqual(r.scores.map(\.region.code), [F.r4, F.r3, F.r2, F.r1])
        XCTAssertEqual(r.scores.map(\.rank), [1, 2, 3, 4])
        XCTAssertEqual(r.score(of: F.r2)!.coverage, 0.7, accuracy: 1e-12)
        XCTAssertEqual(r.score(of: F.r1)!.coverage, 1, accuracy: 1e-12)
        // Component scores on 0–100: R2 平时 100, 年度 0; R4 年度 100 from C alone.
        XCTAssertEqual(r.score(of: F.r2)!.components.map(\.score), [100, 0])
        XCTAssertEqual(r.score(of: F.r4)!.components[1].score!, 100, accuracy: 1e-9)
        // R2's C is re-weighted away: weight 0, no normalised value; B carries all of 年度's 0.6.
        let c2 = r.score(of: F.r2)!.contributions
        XCTAssertEqual(c2.map(\.weight), [0.4, 0.6, 0])
        XCTAssertNil(c2[2].normalised)
        XCTAssertNil(c2[2].figure)
    }

    /// Zero rule: a missing figure scores 0 and keeps its weight.
    /// - R2: 40 + B 0 + C (missing) 0 = 40
    /// - R4: 40 + B (missing) 0 + 100 × 0.3 × 1 = 70
    func testZeroRuleByHand() throws {
        let r = Scorer.score(try F.scheme(F.schemeJSON(missing: #"{"rule": "zero"}"#)), F.data())
        let t = totals(r)
        XCTAssertEqual(t[F.r1]!, 30, accuracy: 1e-9)
        XCTAssertEqual(t[F.r2]!, 40, accuracy: 1e-9)
        XCTAssertEqual(t[F.r3]!, 50, accuracy: 1e-9)
        XCTAssertEqual(t[F.r4]!, 70, accuracy: 1e-9)
        XCTAssertEqual(r.scores.map(\.region.code), [F.r4, F.r3, F.r2, F.r1])
        XCTAssertEqual(r.score(of: F.r4)!.contributions.map(\.weight), [0.4, 0.3, 0.3])
        XCTAssertEqual(r.score(of: F.r4)!.contributions[1].normalised, 0)
        XCTAssertEqual(r.score(of: F.r4)!.coverage, 0.7, accuracy: 1e-12)
    }

    /// Exclude rule: R2 (no C) and R4 (no B) are left out; R3 50 first, R1 30 second.
    func testExcludeRuleByHand() throws {
        let r = Scorer.score(try F.scheme(F.schemeJSON(missing: #"{"rule": "exclude"}"#)), F.data())
        XCTAssertEqual(ranks(r), [F.r3: 1, F.r1: 2])
        XCTAssertEqual(r.scores.map(\.region.code), [F.r3, F.r1, F.r2, F.r4])
        XCTAssertEqual(r.score(of: F.r2)!.excludedReason, "missing mediation.disputes_resolved (rule exclude)")
        XCTAssertEqual(r.score(of: F.r4)!.excludedReason, "missing litig.loss_rate (rule exclude)")
        XCTAssertEqual(r.score(of: F.r2)!.rank, 0)
    }

    /// Minimum coverage 0.8: R2 and R4 (0.7 each) are left out with the reason.
    func testReweightBelowMinimumCoverageIsLeftOut() throws {
        let r = Scorer.score(try F.scheme(F.schemeJSON(missing: #"{"rule": "reweight", "min_coverage": 0.8}"#)), F.data())
        XCTAssertEqual(ranks(r), [F.r3: 1, F.r1: 2])
        XCTAssertEqual(r.score(of: F.r2)!.excludedReason,
                       "coverage 70% is below the minimum 80%; missing mediation.disputes_resolved")
    }

    /// A whole component missing: without A, 南岸区 (R3) has only 年度, re-weighted to all of the total:
    /// 100 × (0.5 × B 0.5 + 0.5 × C 0.5) = 50, coverage 0.6. A's minmax is now over R1, R2, R4 (100, 300, 300).
    /// Under the zero rule 平时 keeps its 0.4 and scores 0: 100 × 0.6 × 0.5 = 30.
    func testAMissingComponentIsReweightedAtTheTop() throws {
        var d = F.data()
        d.values[F.a.code]![F.r3] = nil
        let r = Scorer.score(try F.scheme(), d)
        let s3 = r.score(of: F.r3)!
        XCTAssertEqual(s3.total, 50, accuracy: 1e-9)
        XCTAssertEqual(s3.coverage, 0.6, accuracy: 1e-12)
        XCTAssertNil(s3.components[0].score)
        XCTAssertEqual(s3.contributions.map(\.weight), [0, 0.5, 0.5])
        let z = Scorer.score(try F.scheme(F.schemeJSON(missing: #"{"rule": "zero"}"#)), d).score(of: F.r3)!
        XCTAssertEqual(z.total, 30, accuracy: 1e-9)
        XCTAssertEqual(z.components[0].score, 0)
        // Left out at a 0.7 minimum, its total is still the sum of its contributions, unranked.
        let left = Scorer.score(try F.scheme(F.schemeJSON(missing: #"{"rule": "reweight", "min_coverage": 0.7}"#)), d).score(of: F.r3)!
        XCTAssertTrue(left.excluded)
        XCTAssertEqual(left.rank, 0)
        XCTAssertEqual(left.total, left.contributions.reduce(0) { $0 + $1.contribution })
    }

    /// A region with no figure at all is left out under every rule, even zero.
    func testNoFiguresAtAllIsLeftOut() throws {
        var d = F.data()
        d.regions.append(F.region(F.r5))
        for rule in [#"{"rule": "zero"}"#, #"{"rule": "reweight", "min_coverage": 0}"#] {
            let r = Scorer.score(try F.scheme(F.schemeJSON(missing: rule)), d)
            XCTAssertEqual(r.score(of: F.r5)!.excludedReason, "no figures for 2023", rule)
            XCTAssertEqual(r.scores.last?.region.code, F.r5)
        }
    }

    /// A scheme of A alone: R2 and R4 tie at 100 and share rank 1; R3 is 3rd (not 2nd), R1 4th.
    func testTiesShareARankAndTheNextSkips() throws {
        let json = #"{"components": [{"name": "only", "weight": 1, "indicators": [{"indicator": "service.legal_aid_cases", "weight": 1}]}]}"#
        let r = Scorer.score(try F.scheme(json), F.data())
        XCTAssertEqual(r.scores.map(\.rank), [1, 1, 3, 4])
        XCTAssertEqual(r.scores.map(\.region.code), [F.r2, F.r4, F.r3, F.r1], "ties listed by code")
    }

    /// Lower is better: R1 has the lowest loss rate (2 %) and gets B's full score; R2 (6 %) gets 0.
    func testLowerIsBetterIsInverted() throws {
        let r = Scorer.score(try F.scheme(), F.data())
        let b = { (code: String) in r.score(of: code)!.contributions[1] }
        XCTAssertEqual(b(F.r1).normalised, 1)
        XCTAssertEqual(b(F.r2).normalised, 0)
        XCTAssertEqual(b(F.r3).normalised, 0.5)
        XCTAssertEqual(b(F.r1).contribution, 30, accuracy: 1e-12)
    }

    /// Distance to a target of 3 % (lower is better): R1 2 ≤ 3 → 1; R3 4 → 3/4; R2 6 → 3/6.
    /// R1: 0 + 100·0.3·1 + 0 = 30; R3: 20 + 100·0.3·0.75 + 15 = 57.5; R2: 40 + 0.6 × 0.5 × 100 (B alone in 年度) = 70.
    func testTargetNormalisation() throws {
        let r = Scorer.score(try F.scheme(F.schemeJSON(extraB: #", "normalisation": "target", "target": 3"#)), F.data())
        XCTAssertEqual(r.score(of: F.r1)!.contributions[1].normalised, 1)
        XCTAssertEqual(r.score(of: F.r3)!.contributions[1].normalised!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(r.score(of: F.r2)!.contributions[1].normalised!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(totals(r)[F.r3]!, 57.5, accuracy: 1e-9)
        XCTAssertEqual(totals(r)[F.r2]!, 70, accuracy: 1e-9)
    }

    func testNormalisationsByHand() {
        // A = 100, 300, 200, 300.
        let x: [Double] = [100, 300, 200, 300]
        XCTAssertEqual(Normaliser.normalise(x, method: .minmax, polarity: .higherIsBetter), [0, 1, 0.5, 1])
        // Ranks 4, 1, 3, 1 of n = 4 → (4 − rank)/3.
        let rank = Normaliser.normalise(x, method: .rank, polarity: .higherIsBetter)
        XCTAssertEqual(rank[0], 0); XCTAssertEqual(rank[1], 1); XCTAssertEqual(rank[2], 1.0 / 3, accuracy: 1e-12); XCTAssertEqual(rank[3], 1)
        // Mean 225, variance (125² + 75² + 25² + 75²)/4 = 6875, sd 82.9156; R1: z = −1.50756 → 0.5 − z/6 = 0.24874.
        let z = Normaliser.normalise(x, method: .zscore, polarity: .higherIsBetter)
        XCTAssertEqual(z[0], 0.5 - 125 / 6875.0.squareRoot() / 6, accuracy: 1e-12)
        XCTAssertEqual(z[0], 0.24874, accuracy: 1e-5)
        XCTAssertEqual(z[1], z[3])
        // Lower is better mirrors z around 0.5.
        let zl = Normaliser.normalise(x, method: .zscore, polarity: .lowerIsBetter)
        XCTAssertEqual(zl[0] + z[0], 1, accuracy: 1e-12)
        // A cap of 200: 300 counts as 200, so R2, R3 and R4 all get 1.
        XCTAssertEqual(Normaliser.normalise(x, method: .minmax, polarity: .higherIsBetter, cap: 200), [0, 1, 1, 1])
        // No spread: everyone is best.
        XCTAssertEqual(Normaliser.normalise([5, 5], method: .minmax, polarity: .lowerIsBetter), [1, 1])
        XCTAssertEqual(Normaliser.normalise([5, 5], method: .zscore, polarity: .higherIsBetter), [1, 1])
        // Targets: higher 250 → x/250 capped at 1.
        XCTAssertEqual(Normaliser.normalise(x, method: .target, polarity: .higherIsBetter, target: 250), [0.4, 1, 0.8, 1])
    }

    /// Every region's contributions add up exactly (==, not approximately) to its total,
    /// and, rounded for display, to the total shown.
    func testExplainSumsExactly() throws {
        for missing in [#"{"rule": "reweight", "min_coverage": 0.5}"#, #"{"rule": "zero"}"#] {
            for method in ["minmax", "zscore", "rank"] {
                let r = Scorer.score(try F.scheme(F.schemeJSON(missing: missing, normalisation: method)), F.data(best: true))
                for s in r.scores where !s.excluded {
                    XCTAssertEqual(s.contributions.reduce(0) { $0 + $1.contribution }, s.total)
                    let (parts, total) = Apportion.units(s.contributions.map(\.contribution), places: 2)
                    XCTAssertEqual(parts.reduce(0, +), total)
                    XCTAssertEqual(total, Int((s.total * 100).rounded()))
                    XCTAssertEqual(s.contributions.reduce(0) { $0 + $1.weight }, 1, accuracy: 1e-12)
                }
            }
        }
    }

    /// Three equal thirds: rounded alone they show 33.33 × 3 = 99.99 beside 100.00; apportioned, 33.34 + 33.33 + 33.33.
    func testApportionHandsOutTheRoundingRemainder() {
        let third = 100.0 / 3
        let (parts, total) = Apportion.strings([third, third, third])
        XCTAssertEqual(parts, ["33.34", "33.33", "33.33"])
        XCTAssertEqual(total, "100.00")
        XCTAssertEqual(Apportion.strings([1.005, 2.004, -0.5]).total, "2.51")
        XCTAssertEqual(Apportion.format(units: -7, places: 2), "-0.07")
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let parts = (0..<(1 + rng.below(8))).map { _ in rng.unit() * 40 - 5 }
            let (u, t) = Apportion.units(parts, places: 2)
            XCTAssertEqual(u.reduce(0, +), t)
            for (p, x) in zip(u, parts) { XCTAssertLessThanOrEqual(abs(Double(p) - x * 100), 1.0 + 1e-9) }
        }
    }

    /// R5 is best on every indicator: it ranks first under every scheme, normalisation and missing-data rule.
    func testBestEverywhereRanksFirstUnderEveryScheme() throws {
        let schemes = [
            F.schemeJSON(),
            F.schemeJSON(missing: #"{"rule": "zero"}"#, normalisation: "zscore"),
            F.schemeJSON(missing: #"{"rule": "exclude"}"#, normalisation: "rank"),
            F.schemeJSON(extraB: #", "normalisation": "target", "target": 3"#),
            F.schemeJSON(extraB: #", "cap": 4"#),
            #"{"components": [{"name": "x", "weight": 0.1, "indicators": [{"indicator": "mediation.disputes_resolved", "weight": 1}]}, {"name": "y", "weight": 0.9, "indicators": [{"group": "g", "weight": 1, "indicators": [{"indicator": "litig.loss_rate", "weight": 0.2}, {"indicator": "service.legal_aid_cases", "weight": 0.8, "normalisation": "rank"}]}]}]}"#,
        ]
        for json in schemes {
            let r = Scorer.score(try F.scheme(json), F.data(best: true))
            XCTAssertEqual(r.score(of: F.r5)!.rank, 1, json)
            XCTAssertEqual(r.scores.first?.region.code, F.r5, json)
        }

        // Every shipped scheme (Sources/LexstatCore/Resources/schemes), on figures made for its indicators.
        let catalog = try IndicatorTSV.parse(ReferenceData.text(named: "indicators.tsv"))
        let library = try SchemeLibrary.bundled()
        XCTAssertGreaterThanOrEqual(library.names().count, 3)
        for name in library.names() {
            let scheme = try library.load(name, catalog: catalog)
            let r = Scorer.score(scheme, Self.bestEverywhere(scheme))
            XCTAssertEqual(r.score(of: F.r5)?.rank, 1, name)
            XCTAssertEqual(r.scores.first?.region.code, F.r5, name)
            XCTAssertEqual(r.scores.dropFirst().filter { !$0.excluded }.map(\.rank).min(), 2, "R5 is first alone under \(name)")
        }
    }

    /// Figures for every indicator of `scheme` on which R5 is strictly best, whatever its
    /// polarity, target or cap: R5 stays short of full marks (below a target or cap in the good
    /// direction), R1–R4 trail it in an order that turns with each indicator, and R2 lacks the
    /// first indicator (so the missing-figure rule is exercised too).
    static func bestEverywhere(_ scheme: AssessmentScheme) -> PeerData {
        let others = [F.r1, F.r2, F.r3, F.r4]
        var figures: [String: [String: Double]] = [:]
        for (j, spec) in scheme.indicators.enumerated() {
            let target = spec.normalisation == .target ? spec.target : nil
            var column: [String: Double] = [:]
            if spec.polarity == .lowerIsBetter {
                // Full marks at or below the target or cap: R5 sits just above it.
                let floor = [target, spec.cap].compactMap { $0 }.max() ?? 0
                let best = floor > 0 ? floor * 1.1 : 1
                column[F.r5] = best
                for (k, r) in others.enumerated() { column[r] = best * Double(2 + (k + j) % 4) }
            } else {
                // Full marks at or above the target or cap: R5 sits just below it.
                let ceiling = [target, spec.cap].compactMap { $0 }.min() ?? 400
                let best = ceiling * 0.9
                column[F.r5] = best
                for (k, r) in others.enumerated() { column[r] = best * Double(1 + (k + j) % 4) / 5 }
            }
            if j == 0 { column[F.r2] = nil }
            figures[spec.indicator.code] = column
        }
        return F.data(figures: figures, indicators: scheme.indicators.map(\.indicator))
    }
}
