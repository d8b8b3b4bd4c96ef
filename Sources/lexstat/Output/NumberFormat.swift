import Foundation

/// How numbers are written in tables and CSV.
enum NumberFormat {
    /// For tables: integers as integers, other values with at most two decimals
    /// (four below 0.1, so small rates do not print as 0).
    static func plain(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: abs(v) < 0.1 ? "%.4f" : "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// For CSV: integers without a decimal point, others at full precision (the import layout).
    static func raw(_ v: Double) -> String {
        guard v.isFinite else { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    /// A signed difference: `+30`, `-5.2`, `0`.
    static func signed(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        let s = plain(v)
        return v > 0 && s != "0" ? "+" + s : s
    }

    /// A signed percentage with one decimal: `+25.0%`.
    static func percent(_ v: Double) -> String {
        guard v.isFinite else { return "—" }
        let s = String(format: "%.1f", v)
        if s == "-0.0" || s == "0.0" { return "0.0%" }
        return (v > 0 ? "+" : "") + s + "%"
    }
}
