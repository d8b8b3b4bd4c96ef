import Foundation

/// Charts written as standalone SVG documents (pure functions: data in, text out).
///
/// Every element that carries data has a class (`point`, `bar`, `value`,
/// `x-tick`, `y-tick`) so tests and style sheets can find it. Text uses a
/// font list that covers Chinese on common systems.
enum SVGChart {
    static let fontFamily = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
    static let ink = "#1f6fb2"

    /// One period of a line chart; `value` nil leaves a gap.
    struct Point {
        var label: String
        var value: Double?
        /// Written before the value label: ≈ ≥ ≤ or nothing.
        var marker: String = ""
    }

    /// One bar of a bar chart.
    struct Bar {
        var label: String
        var value: Double
        /// The value as shown beside the bar, e.g. `≥1200`.
        var text: String
    }

    /// A line chart of a series: y axis with grid and unit, a tick per period
    /// (thinned to about a dozen labels), a dot and a value label per known value.
    static func line(title: String, subtitle: String, unit: String, points: [Point]) -> String {
        let width = 760.0, height = 400.0
        let left = 72.0, right = 28.0, top = 88.0, bottom = 56.0
        let plotW = width - left - right, plotH = height - top - bottom
        let known = points.compactMap(\.value).filter(\.isFinite)
        let ticks = niceTicks(lo: min(0, known.min() ?? 0), hi: max(0, known.max() ?? 1))
        let lo = ticks.first ?? 0, hi = ticks.last ?? 1
        let n = points.count
        func x(_ i: Int) -> Double { left + (Double(i) + 0.5) * plotW / Double(max(n, 1)) }
        func y(_ v: Double) -> Double { top + plotH - (v - lo) / (hi - lo) * plotH }

        var svg = header(width: width, height: height, title: title, subtitle: subtitle)
        svg += gridY(ticks: ticks, y: y, x1: left, x2: width - right)
        svg += "  <text class=\"unit\" x=\"\(f(left - 8))\" y=\"\(f(top - 12))\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">\(escape(unit))</text>\n"
        svg += "  <line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(width - right))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
        svg += "  <line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
        let every = max(1, Int((Double(n) / 12).rounded(.up)))
        for (i, p) in points.enumerated() where i % every == 0 || i == n - 1 {
            svg += "  <line class=\"tick\" x1=\"\(f(x(i)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(x(i)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#333\"/>\n"
            svg += "  <text class=\"x-tick\" x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"middle\" font-size=\"11\">\(escape(p.label))</text>\n"
        }
        // The line, broken where a period has no value.
        var d = ""
        var pen = false
        for (i, p) in points.enumerated() {
            guard let v = p.value, v.isFinite else { pen = false; continue }
            d += (pen ? " L" : (d.isEmpty ? "M" : " M")) + "\(f(x(i))) \(f(y(v)))"
            pen = true
        }
        if !d.isEmpty {
            svg += "  <path class=\"line\" d=\"\(d)\" fill=\"none\" stroke=\"\(ink)\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n"
        }
        let labelValues = n <= 24
        for (i, p) in points.enumerated() {
            guard let v = p.value, v.isFinite else { continue }
            let text = p.marker + NumberFormat.plain(v)
            svg += "  <circle class=\"point\" cx=\"\(f(x(i)))\" cy=\"\(f(y(v)))\" r=\"3.5\" fill=\"\(ink)\"><title>\(escape(p.label)): \(escape(text)) \(escape(unit))</title></circle>\n"
            if labelValues {
                svg += "  <text class=\"value\" x=\"\(f(x(i)))\" y=\"\(f(y(v) - 9))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#222\">\(escape(text))</text>\n"
            }
        }
        if known.isEmpty {
            svg += "  <text class=\"empty\" x=\"\(f(width / 2))\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" font-size=\"14\" fill=\"#888\">no data</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A horizontal bar chart, first bar on top, with the values beside the
    /// bars, a value axis with grid, and an optional note under it (e.g. the
    /// regions without data).
    static func bars(title: String, subtitle: String, unit: String, bars: [Bar], note: String = "") -> String {
        let width = 760.0, right = 80.0, top = 72.0, rowH = 26.0, barH = 18.0
        let labelCols = bars.map { displayWidth($0.label) }.max() ?? 4
        let labelW = min(260, max(60, Double(labelCols) * 7 + 12))
        let left = 16 + labelW
        let plotW = width - left - right
        let plotH = Double(max(bars.count, 1)) * rowH
        let noteLines = wrap(note, columns: 96)
        let height = top + plotH + 44 + Double(noteLines.count) * 18 + 8
        let values = bars.map(\.value).filter(\.isFinite)
        let ticks = niceTicks(lo: min(0, values.min() ?? 0), hi: max(0, values.max() ?? 1))
        let lo = ticks.first ?? 0, hi = ticks.last ?? 1
        func x(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * plotW }

        var svg = header(width: width, height: height, title: title, subtitle: subtitle)
        for t in ticks {
            svg += "  <line class=\"grid\" x1=\"\(f(x(t)))\" y1=\"\(f(top))\" x2=\"\(f(x(t)))\" y2=\"\(f(top + plotH))\" stroke=\"#e3e3e3\"/>\n"
            svg += "  <text class=\"x-tick\" x=\"\(f(x(t)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">\(escape(NumberFormat.plain(t)))</text>\n"
        }
        svg += "  <text class=\"unit\" x=\"\(f(width - right + 30))\" y=\"\(f(top + plotH + 16))\" font-size=\"11\" fill=\"#555\">\(escape(unit))</text>\n"
        for (i, b) in bars.enumerated() {
            let rowY = top + Double(i) * rowH
            let v = b.value.isFinite ? b.value : 0
            let x0 = x(min(0, v)), x1 = x(max(0, v))
            svg += "  <text class=\"label\" x=\"\(f(left - 8))\" y=\"\(f(rowY + rowH / 2 + 4))\" text-anchor=\"end\" font-size=\"12\">\(escape(b.label))</text>\n"
            svg += "  <rect class=\"bar\" x=\"\(f(x0))\" y=\"\(f(rowY + (rowH - barH) / 2))\" width=\"\(f(max(x1 - x0, 0.5)))\" height=\"\(f(barH))\" fill=\"\(ink)\"><title>\(escape(b.label)): \(escape(b.text)) \(escape(unit))</title></rect>\n"
            svg += "  <text class=\"value\" x=\"\(f(x1 + 5))\" y=\"\(f(rowY + rowH / 2 + 4))\" font-size=\"11\" fill=\"#222\">\(escape(b.text))</text>\n"
        }
        svg += "  <line class=\"axis\" x1=\"\(f(x(0)))\" y1=\"\(f(top))\" x2=\"\(f(x(0)))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
        for (i, l) in noteLines.enumerated() {
            svg += "  <text class=\"note\" x=\"16\" y=\"\(f(top + plotH + 44 + Double(i) * 18))\" font-size=\"12\" fill=\"#555\">\(escape(l))</text>\n"
        }
        return svg + "</svg>\n"
    }

    // MARK: - Pieces

    static func header(width: Double, height: Double, title: String, subtitle: String) -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"\(fontFamily)\">\n"
        s += "  <title>\(escape(title))</title>\n"
        s += "  <rect class=\"background\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        s += "  <text class=\"title\" x=\"16\" y=\"28\" font-size=\"18\" font-weight=\"bold\">\(escape(title))</text>\n"
        if !subtitle.isEmpty {
            s += "  <text class=\"subtitle\" x=\"16\" y=\"50\" font-size=\"12\" fill=\"#555\">\(escape(subtitle))</text>\n"
        }
        return s
    }

    static func gridY(ticks: [Double], y: (Double) -> Double, x1: Double, x2: Double) -> String {
        var s = ""
        for t in ticks {
            s += "  <line class=\"grid\" x1=\"\(f(x1))\" y1=\"\(f(y(t)))\" x2=\"\(f(x2))\" y2=\"\(f(y(t)))\" stroke=\"#e3e3e3\"/>\n"
            s += "  <text class=\"y-tick\" x=\"\(f(x1 - 8))\" y=\"\(f(y(t) + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">\(escape(NumberFormat.plain(t)))</text>\n"
        }
        return s
    }

    /// Round tick values covering `lo…hi`: steps of 1, 2 or 5 × 10ⁿ, about `count` of them.
    static func niceTicks(lo: Double, hi: Double, count: Int = 5) -> [Double] {
        var lo = lo, hi = hi
        if !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
        if hi == lo { hi = lo == 0 ? 1 : lo + abs(lo) }
        let raw = (hi - lo) / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// A coordinate with one decimal.
    static func f(_ v: Double) -> String {
        let s = String(format: "%.1f", v)
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    /// Text escaped for XML content and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case _ where c.value < 0x20 && c != "\t" && c != "\n": continue  // not allowed in XML 1.0
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Splits text into lines of at most `columns` display columns, at spaces where possible.
    static func wrap(_ text: String, columns: Int) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if displayWidth(candidate) <= columns || line.isEmpty {
                line = candidate
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
