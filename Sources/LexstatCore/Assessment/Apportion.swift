import Foundation

/// Rounds parts for display so that the rounded parts add up to the rounded total.
///
/// Rounding each contribution on its own can leave the shown parts a
/// hundredth off the shown total (3 × 33.333… shows as 99.99 beside 100.00).
/// This rounds the total, then hands out its units by the largest-remainder
/// method (Hamilton): each part gets its floor, and the units left over go to
/// the parts with the largest remainders (ties to the earlier part).
public enum Apportion {
    /// The parts and their total in units of 10^-places.
    ///
    /// - Parameters:
    ///   - parts: the exact parts; their sum is the total.
    ///   - places: decimal places shown.
    /// - Returns: integers, one per part, and the total; the integers add up to the total.
    public static func units(_ parts: [Double], places: Int) -> (parts: [Int], total: Int) {
        let scale = pow(10, Double(places))
        let exactTotal = parts.reduce(0, +)
        let total = Int((denoised(exactTotal) * scale).rounded())
        let scaled = parts.map { denoised($0) * scale }
        var floors = scaled.map { Int($0.rounded(.down)) }
        var left = total - floors.reduce(0, +)
        let order = scaled.indices.sorted { a, b in
            let ra = scaled[a] - Double(floors[a]), rb = scaled[b] - Double(floors[b])
            return ra != rb ? (left >= 0 ? ra > rb : ra < rb) : a < b
        }
        var i = 0
        while left != 0, !order.isEmpty {
            let k = order[i % order.count]
            floors[k] += left > 0 ? 1 : -1
            left += left > 0 ? -1 : 1
            i += 1
        }
        return (floors, total)
    }

    /// A value rounded to 9 decimals, so that floating-point noise does not decide a display
    /// rounding: (0.3125 + 0.5 + 0.5) / 3 × 100 comes out as 43.749999…, which is 43.75 and shows as 43.8.
    public static func denoised(_ v: Double) -> Double {
        guard abs(v) < 1e6 else { return v }
        return (v * 1e9).rounded() / 1e9
    }

    /// The parts and the total as decimal strings with `places` places; the shown parts add up to the shown total.
    public static func strings(_ parts: [Double], places: Int = 2) -> (parts: [String], total: String) {
        let (u, t) = units(parts, places: places)
        return (u.map { format(units: $0, places: places) }, format(units: t, places: places))
    }

    /// Units of 10^-places written as a decimal, e.g. 3333 with 2 places → `33.33`.
    public static func format(units: Int, places: Int) -> String {
        guard places > 0 else { return String(units) }
        let neg = units < 0
        let a = abs(units)
        var p = 1
        for _ in 0..<places { p *= 10 }
        let frac = String(a % p)
        return (neg ? "-" : "") + "\(a / p)." + String(repeating: "0", count: places - frac.count) + frac
    }
}
