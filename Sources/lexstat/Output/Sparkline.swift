/// A one-line chart of a series: one block character per value.
enum Sparkline {
    static let ticks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per value, scaled from the lowest (▁) to the highest (█);
    /// a missing value is a space, and a flat series sits at ▄.
    static func render(_ values: [Double?]) -> String {
        let known = values.compactMap { $0 }.filter(\.isFinite)
        guard let lo = known.min(), let hi = known.max() else { return String(repeating: " ", count: values.count) }
        var out = ""
        for v in values {
            guard let v, v.isFinite else { out.append(" "); continue }
            if hi == lo { out.append(ticks[3]); continue }
            let i = Int(((v - lo) / (hi - lo) * Double(ticks.count - 1)).rounded())
            out.append(ticks[min(max(i, 0), ticks.count - 1)])
        }
        return out
    }
}
