/// Horizontal bars of block characters, in eighths of a column.
enum Bars {
    static let partials: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar for `value` on a scale where `max` fills `width` columns.
    ///
    /// Whole columns are █, the remainder one of ▏▎▍▌▋▊▉; a positive value too
    /// small for an eighth still shows ▏. Zero, negative or non-finite values
    /// (or a non-positive `max`) give an empty bar.
    static func bar(_ value: Double, max: Double, width: Int = 30) -> String {
        guard value.isFinite, max.isFinite, value > 0, max > 0, width > 0 else { return "" }
        var eighths = Int((min(value / max, 1) * Double(width * 8)).rounded())
        if eighths == 0 { eighths = 1 }
        return String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
    }
}
