import ArgumentParser
import LexstatRPC
import LexstatWire

struct SeriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series",
        abstract: "Print an indicator's values in one region period by period, with changes and a sparkline.",
        discussion: """
            Each period shows its value (≥ at least, ≤ at most, ≈ approximately), the change against \
            the period before and, for quarters and months, against the same period a year earlier. \
            Where an additive indicator's year (or quarter) was not reported itself, the server adds \
            up its quarters or months and the table says how many of them it found, e.g. \
            `sum of 3/4 quarters`.
            """)

    @Argument(help: ArgumentHelp("The indicator: a catalog code or its Chinese name.", valueName: "indicator"))
    var indicator: String

    @Option(help: ArgumentHelp("The region: a code or name, e.g. 重庆市江北区.", valueName: "region"))
    var region: String

    @Option(help: ArgumentHelp("First period, inclusive (default: the first with data).", valueName: "period"))
    var from: String?

    @Option(help: ArgumentHelp("Last period, inclusive (default: the last with data).", valueName: "period"))
    var to: String?

    @Option(help: "The step of the series.")
    var by: GranularityOption = .year

    @Option(help: ArgumentHelp("Also write the series as a line chart to this SVG file.", valueName: "file.svg"))
    var svg: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let arena = WireArena()
        var r = Lexstat__V1__GetSeriesRequest.make()
        r.indicator = arena.string(indicator)
        r.region = arena.string(region)
        r.from = arena.string(from ?? "")
        r.to = arena.string(to ?? "")
        r.by = by.wire
        let answer = try await global.call("GetSeries", r, returning: Lexstat__V1__GetSeriesResponse.self)
        withExtendedLifetime(arena) {}

        let (title, code, unit, name, place, points) = answer.read { m in
            (indicatorLabel(m.indicator), wireString(m.indicator?.pointee.code), wireString(m.indicator?.pointee.unit),
             wireString(m.indicator?.pointee.name),
             regionLabel(m.region), wireList(m.n_points, m.points).compactMap { $0?.pointee })
        }
        // A sum of some of a period's parts is a lower bound: listed, but left out of the
        // trend, the chart and the low and high, which it would drag down.
        let values: [Double?] = points.map { $0.has_value != 0 && !isPartial($0) ? $0.value : nil }
        if let svg {
            let chart = SVGChart.line(
                title: "\(name.isEmpty ? indicator : name) · \(place)",
                subtitle: ([code, "by \(by.rawValue)", unit] + legend(points)).filter { !$0.isEmpty }.joined(separator: " · "),
                unit: unit,
                points: zip(points, values).map { p, v in
                    SVGChart.Point(label: wireString(p.period), value: v,
                                   marker: (p.derived != 0 ? "∑" : "") + p.bound.marker)
                })
            try writeTextFile(svg, chart)
        }

        switch global.format {
        case .json:
            Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
        case .csv:
            var t = Table(["period", "value", "bound", "change", "change_pct", "yoy_change", "yoy_pct",
                           "derived", "parts", "parts_expected", "source"])
            for p in points {
                let has = p.has_value != 0, ch = p.has_change != 0, yoy = p.has_yoy != 0
                t.add([wireString(p.period), has ? NumberFormat.raw(p.value) : "", has ? p.bound.name : "",
                       ch ? NumberFormat.raw(p.change) : "", ch ? NumberFormat.raw(p.change_pct) : "",
                       yoy ? NumberFormat.raw(p.yoy_change) : "", yoy ? NumberFormat.raw(p.yoy_pct) : "",
                       p.derived != 0 ? "true" : "false", String(p.parts), String(p.parts_expected),
                       provenanceText(p.provenance)])
            }
            Printer.write(t.csv())
        case .table:
            let withYoY = by != .year
            var t = withYoY
                ? Table(["period", "value", "change", "change %", "yoy", "yoy %", "source"], numeric: [1, 2, 3, 4, 5])
                : Table(["period", "value", "change", "change %", "source"], numeric: [1, 2, 3])
            // The change of a rate is in percentage points, not per cent.
            let pp = unit == "%" ? " pp" : ""
            for p in points {
                let has = p.has_value != 0, ch = p.has_change != 0, yoy = p.has_yoy != 0
                var row = [wireString(p.period), has ? boundedValue(p.value, p.bound) : "—",
                           ch ? NumberFormat.signed(p.change) + pp : "", ch ? NumberFormat.percent(p.change_pct) : ""]
                if withYoY {
                    row += [yoy ? NumberFormat.signed(p.yoy_change) + pp : "", yoy ? NumberFormat.percent(p.yoy_pct) : ""]
                }
                row.append(p.derived != 0 ? "sum of \(coverage(p))\(isPartial(p) ? ", partial: not compared" : "")"
                                          : (has ? provenanceText(p.provenance) : "no data"))
                t.add(row)
            }
            var out = "\(title) · \(place) · by \(by.rawValue)\(unit.isEmpty ? "" : " · \(unit)")\n\n"
            if points.isEmpty {
                out += by == .year || from != nil || to != nil
                    ? "no figures\n"
                    : "no figures by \(by.rawValue): none were reported \(by == .quarter ? "by quarter or month" : "by month"); try --by year\n"
            } else {
                out += t.text()
                let span = "\(wireString(points.first?.period))–\(wireString(points.last?.period))"
                let known = zip(points, values).compactMap { p, v in v.map { (wireString(p.period), $0) } }
                out += known.isEmpty ? "\nno figures in \(span)" : "\ntrend  \(Sparkline.render(values))  \(span)"
                if let lo = known.min(by: { $0.1 < $1.1 }), let hi = known.max(by: { $0.1 < $1.1 }), known.count > 1 {
                    out += "  (low \(NumberFormat.plain(lo.1)) in \(lo.0), high \(NumberFormat.plain(hi.1)) in \(hi.0))"
                }
                out += "\n"
            }
            if let svg { out += "chart written to \(svg)\n" }
            Printer.write(out)
        }
        if let svg, global.format != .table { note("chart written to \(svg)") }
    }

    /// What the markers on the chart's values mean, for those that occur.
    func legend(_ points: [Lexstat__V1__SeriesPoint]) -> [String] {
        let bounds = Set(points.filter { $0.has_value != 0 && !isPartial($0) }.map(\.bound.marker))
        var out: [String] = []
        if bounds.contains("≥") { out.append("≥ at least") }
        if bounds.contains("≤") { out.append("≤ at most") }
        if bounds.contains("≈") { out.append("≈ approximately") }
        if points.contains(where: { $0.derived != 0 && !isPartial($0) }) { out.append("∑ summed from quarters or months") }
        if points.contains(where: isPartial) { out.append("partial sums left out") }
        return out
    }

    /// Summed from some of the period's parts only.
    func isPartial(_ p: Lexstat__V1__SeriesPoint) -> Bool {
        p.derived != 0 && p.parts < p.parts_expected
    }

    /// `3/4 quarters`, `2/12 months`.
    func coverage(_ p: Lexstat__V1__SeriesPoint) -> String {
        let what = p.parts_expected == 4 ? "quarters" : "months"
        return "\(p.parts)/\(p.parts_expected) \(what)"
    }
}
