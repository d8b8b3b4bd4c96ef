import Foundation

/// Turns the raw figures of one indicator in a peer group into scores on 0…1, 1 the best.
///
/// Only regions with a figure take part. When every figure is the same
/// (no spread), every region scores 1: nobody is behind anybody. Polarity
/// is applied here: for a lower-is-better indicator the lowest figure is best.
public enum Normaliser {
    /// Normalises figures.
    ///
    /// - Parameters:
    ///   - values: raw figures, one per region (the order is kept).
    ///   - method: the normalisation.
    ///   - polarity: `.lowerIsBetter` inverts; anything else counts higher as better.
    ///   - target: for `.target`, the value earning full marks.
    ///   - cap: figures beyond the cap in the good direction count as the cap.
    /// - Returns: one score on 0…1 per value, in the same order.
    public static func normalise(_ values: [Double], method: NormalisationMethod, polarity: Indicator.Polarity,
                                 target: Double? = nil, cap: Double? = nil) -> [Double] {
        guard !values.isEmpty else { return [] }
        let lower = polarity == .lowerIsBetter
        let x = values.map { v -> Double in
            guard let cap else { return v }
            return lower ? max(v, cap) : min(v, cap)
        }
        switch method {
        case .minmax:
            let lo = x.min()!, hi = x.max()!
            guard hi > lo else { return x.map { _ in 1 } }
            return x.map { lower ? (hi - $0) / (hi - lo) : ($0 - lo) / (hi - lo) }
        case .zscore:
            let n = Double(x.count)
            let mean = x.reduce(0, +) / n
            let sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            guard sd > 0 else { return x.map { _ in 1 } }
            return x.map { v in
                let z = (lower ? mean - v : v - mean) / sd
                return min(max(0.5 + z / 6, 0), 1)
            }
        case .rank:
            let ranks = Ranking.competition(x, higherFirst: !lower)
            let n = x.count
            guard n > 1 else { return [1] }
            return ranks.map { Double(n - $0) / Double(n - 1) }
        case .target:
            let t = target ?? 0
            return x.map { v in
                if lower {
                    if v <= t { return 1 }
                    return v > 0 ? min(max(t / v, 0), 1) : 0
                }
                guard t > 0 else { return 1 }
                return min(max(v / t, 0), 1)
            }
        }
    }
}

/// Ranks, medians and percentiles as the assessment reports them.
public enum Ranking {
    /// Competition ranks (1, 2, 2, 4): equal values share the better rank.
    ///
    /// Values closer than 1e-9 (relative) count as equal, so sums that differ
    /// only by floating-point noise tie.
    public static func competition(_ values: [Double], higherFirst: Bool) -> [Int] {
        let order = values.indices.sorted { a, b in
            let va = values[a], vb = values[b]
            if !same(va, vb) { return higherFirst ? va > vb : va < vb }
            return a < b
        }
        var ranks = [Int](repeating: 0, count: values.count)
        for (pos, i) in order.enumerated() {
            if pos > 0, same(values[order[pos - 1]], values[i]) {
                ranks[i] = ranks[order[pos - 1]]
            } else {
                ranks[i] = pos + 1
            }
        }
        return ranks
    }

    /// Whether two scores count as equal for ranking.
    public static func same(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }

    /// The median: the middle value, or the mean of the two middle values.
    public static func median(_ sorted: [Int]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let n = sorted.count
        return n % 2 == 1 ? Double(sorted[n / 2]) : Double(sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// The nearest-rank percentile (`p` in 0…100) of sorted values: the ⌈p·n/100⌉-th smallest.
    public static func percentile(_ sorted: [Int], _ p: Double) -> Int {
        guard !sorted.isEmpty else { return 0 }
        let k = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(k, 1), sorted.count) - 1]
    }
}
