import Foundation

/// Renders a ``Bulletin`` as one self-contained HTML page (inline CSS and SVG,
/// nothing fetched from the network) or as Markdown.
public enum BulletinRenderer {
    /// A self-contained HTML page.
    public static func html(_ b: Bulletin) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(b.title))</title>
            <style>
            body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 24px auto; max-width: 960px; color: #222; }
            h1 { font-size: 24px; margin-bottom: 4px; }
            h2 { font-size: 18px; border-left: 4px solid #b71c1c; padding-left: 8px; margin-top: 28px; }
            h3 { font-size: 15px; margin: 18px 0 6px; }
            .meta { color: #666; font-size: 13px; }
            table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; }
            th { background: #f3f3f3; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .up { color: #2e7d32; } .down { color: #c62828; }
            .note { color: #666; font-size: 12px; }
            ul.findings li { margin: 4px 0; font-size: 13px; }
            .rule { font-family: monospace; background: #fbe9e7; padding: 0 4px; }
            </style>
            </head>
            <body>
            <h1>\(esc(b.title))</h1>
            <p class="meta">期间 \(esc(b.period)) · 范围 \(esc(b.scope)) · 数据来源：Lexstat 已入库数据，每项数字可追溯至原始报告</p>

            """
        // Overall index.
        h += "<h2 id=\"index\">综合指数排名</h2>\n"
        if b.index.isEmpty {
            h += "<p class=\"note\">本期数据不足，未计算综合指数。</p>\n"
        } else {
            h += svgBars(id: "chart-index", rows: b.index.map { (String($0.rank), $0.region, $0.overall, fmt($0.overall, places: 1)) },
                         maxValue: 100)
            h += "<table id=\"index-table\"><tr><th>排名</th><th>地区</th><th>指数</th><th>较上期</th><th>上期排名</th></tr>\n"
            for r in b.index {
                h += "<tr><td class=\"num\">\(r.rank)</td><td>\(esc(r.region))</td><td class=\"num\">\(fmt(r.overall, places: 1))</td>"
                h += "<td class=\"num\">\(r.change.map { changeHTML($0) } ?? "—")</td><td class=\"num\">\(r.previousRank.map(String.init) ?? "—")</td></tr>\n"
            }
            h += "</table>\n"
        }
        // Movers.
        h += "<h2 id=\"movers\">排名变动</h2>\n"
        let movers = b.movers
        if movers.isEmpty {
            h += "<p class=\"note\">与上期相比排名无变化，或上期无数据。</p>\n"
        } else {
            h += "<ul>\n"
            for m in movers {
                let d = m.previousRank! - m.rank
                h += "<li>\(esc(m.region))：第 \(m.previousRank!) 名 → 第 \(m.rank) 名 "
                h += d > 0 ? "<span class=\"up\">▲ 上升 \(d) 位</span>" : "<span class=\"down\">▼ 下降 \(-d) 位</span>"
                h += "</li>\n"
            }
            h += "</ul>\n"
        }
        // Key indicators.
        h += "<h2 id=\"indicators\">重点指标排名</h2>\n"
        for (k, ind) in b.indicators.enumerated() {
            h += "<h3>\(esc(ind.name))（\(esc(ind.unit))）<span class=\"note\">\(ind.lowerIsBetter ? " 越低越好" : " 越高越好")</span></h3>\n"
            let maxValue = ind.rows.map(\.value).max() ?? 0
            h += svgBars(id: "chart-\(k)", rows: ind.rows.map { (String($0.rank), $0.region, $0.value, valueText($0.value, $0.bound)) },
                         maxValue: maxValue)
            if !ind.missing.isEmpty {
                h += "<p class=\"note\">未报送：\(esc(ind.missing.joined(separator: "、")))</p>\n"
            }
        }
        // Targets missed.
        h += "<h2 id=\"targets\">未完成目标</h2>\n"
        if b.targetsMissed.isEmpty {
            h += "<p class=\"note\">本期无未完成的目标。</p>\n"
        } else {
            h += "<table id=\"targets-table\"><tr><th>地区</th><th>指标</th><th>目标</th><th>实际</th></tr>\n"
            for t in b.targetsMissed {
                h += "<tr><td>\(esc(t.region))</td><td>\(esc(t.indicator))</td><td class=\"num\">\(fmt(t.target))\(esc(t.unit))</td><td class=\"num\">\(fmt(t.actual))\(esc(t.unit))</td></tr>\n"
            }
            h += "</table>\n"
        }
        // Findings.
        h += "<h2 id=\"findings\">数据一致性核查</h2>\n"
        if b.findings.isEmpty {
            h += "<p class=\"note\">未发现不一致。</p>\n"
        } else {
            h += "<ul class=\"findings\">\n"
            for f in b.findings { h += "<li><span class=\"rule\">\(esc(f.rule))</span> \(esc(f.message))</li>\n" }
            h += "</ul>\n"
        }
        h += "</body>\n</html>\n"
        return h
    }

    /// A horizontal bar chart: one bar per row, length proportional to the value (0 at the left).
    static func svgBars(id: String, rows: [(rank: String, region: String, value: Double, label: String)], maxValue: Double) -> String {
        let rowH = 24, labelW = 200, barW = 480, valueW = 110
        let width = labelW + barW + valueW
        let height = max(rows.count, 1) * rowH + 8
        var s = "<svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">\n"
        for (i, r) in rows.enumerated() {
            let y = 4 + i * rowH
            let len = maxValue > 0 ? max(0, r.value) / maxValue * Double(barW) : 0
            let color = i == 0 ? "#2e7d32" : (i == rows.count - 1 && rows.count > 1 ? "#c62828" : "#1565c0")
            s += "<g class=\"bar\" data-rank=\"\(esc(r.rank))\" data-region=\"\(esc(r.region))\" data-value=\"\(r.value)\">"
            s += "<title>\(esc(r.rank)). \(esc(r.region)) \(esc(r.label))</title>"
            s += "<text x=\"\(labelW - 6)\" y=\"\(y + 16)\" text-anchor=\"end\" font-size=\"13\">\(esc(r.rank)). \(esc(r.region))</text>"
            s += "<rect x=\"\(labelW)\" y=\"\(y + 3)\" width=\"\(String(format: "%.1f", len))\" height=\"\(rowH - 8)\" fill=\"\(color)\"/>"
            s += "<text x=\"\(labelW + Int(len.rounded()) + 6)\" y=\"\(y + 16)\" font-size=\"12\">\(esc(r.label))</text>"
            s += "</g>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// Markdown: tables with text bars. Every datum goes through ``md(_:)``.
    public static func markdown(_ b: Bulletin) -> String {
        var m = "# \(md(b.title))\n\n期间 \(md(b.period)) · 范围 \(md(b.scope))\n\n## 综合指数排名\n\n"
        if b.index.isEmpty {
            m += "本期数据不足，未计算综合指数。\n\n"
        } else {
            m += "| 排名 | 地区 | 指数 | 较上期 | 上期排名 | |\n|---:|---|---:|---:|---:|---|\n"
            for r in b.index {
                m += "| \(r.rank) | \(md(r.region)) | \(fmt(r.overall, places: 1)) | \(r.change.map { signed($0) } ?? "—") | \(r.previousRank.map(String.init) ?? "—") | \(bar(r.overall, 100)) |\n"
            }
            m += "\n"
        }
        m += "## 排名变动\n\n"
        let movers = b.movers
        if movers.isEmpty { m += "与上期相比排名无变化，或上期无数据。\n\n" }
        for x in movers {
            let d = x.previousRank! - x.rank
            m += "- \(md(x.region))：第 \(x.previousRank!) 名 → 第 \(x.rank) 名 \(d > 0 ? "▲ 上升 \(d) 位" : "▼ 下降 \(-d) 位")\n"
        }
        if !movers.isEmpty { m += "\n" }
        m += "## 重点指标排名\n\n"
        for ind in b.indicators {
            m += "### \(md(ind.name))（\(md(ind.unit))）\(ind.lowerIsBetter ? "越低越好" : "越高越好")\n\n"
            let maxValue = ind.rows.map(\.value).max() ?? 0
            m += "| 排名 | 地区 | 数值 | |\n|---:|---|---:|---|\n"
            for r in ind.rows { m += "| \(r.rank) | \(md(r.region)) | \(valueText(r.value, r.bound)) | \(bar(r.value, maxValue)) |\n" }
            if !ind.missing.isEmpty { m += "\n未报送：\(md(ind.missing.joined(separator: "、")))\n" }
            m += "\n"
        }
        m += "## 未完成目标\n\n"
        if b.targetsMissed.isEmpty {
            m += "本期无未完成的目标。\n\n"
        } else {
            m += "| 地区 | 指标 | 目标 | 实际 |\n|---|---|---:|---:|\n"
            for t in b.targetsMissed { m += "| \(md(t.region)) | \(md(t.indicator)) | \(fmt(t.target))\(md(t.unit)) | \(fmt(t.actual))\(md(t.unit)) |\n" }
            m += "\n"
        }
        m += "## 数据一致性核查\n\n"
        if b.findings.isEmpty { m += "未发现不一致。\n" }
        for f in b.findings { m += "- `\(f.rule.filter { $0.isLetter || $0.isNumber || $0 == "_" })` \(md(f.message))\n" }
        return m
    }

    static func bar(_ v: Double, _ maxValue: Double) -> String {
        guard maxValue > 0 else { return "" }
        let n = Int((max(0, v) / maxValue * 20).rounded())
        return String(repeating: "█", count: n)
    }

    static func valueText(_ v: Double, _ bound: Bound) -> String {
        switch bound {
        case .exact: return fmt(v)
        case .approx: return "约" + fmt(v)
        case .atLeast: return fmt(v) + "以上"
        case .atMost: return fmt(v) + "以内"
        }
    }

    static func changeHTML(_ c: Double) -> String {
        c > 0 ? "<span class=\"up\">\(signed(c))</span>" : (c < 0 ? "<span class=\"down\">\(signed(c))</span>" : signed(c))
    }

    static func signed(_ c: Double) -> String {
        let s = fmt(c, places: 1)
        return c > 0 && s != "0" && s != "0.0" ? "+" + s : s
    }

    /// A value with at most `places` decimals, trailing zeros dropped unless `places` is fixed.
    static func fmt(_ v: Double, places: Int? = nil) -> String {
        if let places {
            // Half away from zero, as Apportion rounds totals (printf would give 81.2 for 81.25).
            return Apportion.format(units: Int((Apportion.denoised(v) * pow(10, Double(places))).rounded()), places: places)
        }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func esc(_ s: String) -> String {
        var o = ""
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&#39;"
            default: o.append(c)
            }
        }
        return o
    }

    /// A datum (a region, an indicator, a source named in a finding…) as inert Markdown text.
    ///
    /// Imported sources are not trusted: `<script>` or `<img src=…>` in one
    /// must not reach a renderer as HTML, nor `[x](javascript:…)` or
    /// `![x](https://…)` as a link or an image that is followed or fetched.
    /// HTML-significant characters become entities (`&lt;`, which Markdown
    /// shows as `<`); the characters of Markdown syntax that can change
    /// what text means (link and image brackets, emphasis, code spans,
    /// strike-through, table cells, the backslash itself) are escaped with
    /// a backslash; a line break becomes a space, so a datum cannot start a
    /// block of its own. Parentheses, dots and the like stay as they are:
    /// without a `[…]` before them they are plain text.
    static func md(_ s: String) -> String {
        var o = ""
        for c in esc(s) {
            switch c {
            case "\\", "`", "*", "_", "~", "|", "[", "]": o += "\\" + String(c)
            case "\n", "\r", "\r\n", "\u{2028}", "\u{2029}": o += " "
            default: o.append(c)
            }
        }
        return o
    }
}
