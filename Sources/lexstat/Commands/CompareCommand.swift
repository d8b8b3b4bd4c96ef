import ArgumentParser
import LexstatRPC
import LexstatWire

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Rank regions on an indicator for one year, best first, with bars and the regions without data.",
        discussion: """
            Best first by the indicator's polarity: for a lower-is-better indicator such as \
            行政诉讼败诉率 the lowest value ranks first; a neutral indicator, neither better \
            higher nor lower, is listed highest first, and its header says neutral rather \
            than better. Equal values share a rank (1, 2, 2, 4). \
            Without --within the provinces are compared; with it, by default the level just \
            below that region. Bars are scaled to the largest value. In CSV the regions without \
            data follow the ranked ones with empty rank and value.
            """)

    @Argument(help: ArgumentHelp("The indicator: a catalog code or its Chinese name.", valueName: "indicator"))
    var indicator: String

    @Option(help: "The year compared.")
    var year: Int

    @Option(help: ArgumentHelp("Compare the regions under this one: a code or name, e.g. 重庆市.", valueName: "region"))
    var within: String?

    @Option(help: "The level of the regions compared.")
    var level: LevelOption?

    @Option(help: ArgumentHelp("Also write the ranking as a horizontal bar chart to this SVG file.", valueName: "file.svg"))
    var svg: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws { try checkYear(year) }

    func run() async throws {
        let arena = WireArena()
        var r = Lexstat__V1__CompareRequest.make()
        r.indicator = arena.string(indicator)
        r.period = arena.string(String(year))
        r.within = arena.string(within ?? "")
        if let level { r.level = level.wire }
        let answer = try await global.call("Compare", r, returning: Lexstat__V1__CompareResponse.self)
        withExtendedLifetime(arena) {}

        let (title, code, name, unit, polarity) = answer.read { m in
            (indicatorLabel(m.indicator), wireString(m.indicator?.pointee.code), wireString(m.indicator?.pointee.name),
             wireString(m.indicator?.pointee.unit), m.indicator?.pointee.polarity.phrase ?? "")
        }
        let entries = answer.read { m in wireList(m.n_entries, m.entries).compactMap { $0?.pointee } }
        let missing = answer.read { m in wireList(m.n_missing, m.missing).compactMap { $0 } }
        // The region as the server resolved it (成都 → 四川省成都市), not as typed.
        let withinName = answer.read { m in m.within.map { regionName($0) } } ?? within
        let scope = [String(year), withinName.map { "within \($0)" }, level.map { "\($0.rawValue) level" }, polarity]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
        let missingNames = missing.map { regionName($0) }

        if let svg {
            let chart = SVGChart.bars(
                title: "\(name.isEmpty ? indicator : name) · \(year)\(withinName.map { " · \($0)" } ?? "")",
                subtitle: [code, polarity, unit].filter { !$0.isEmpty }.joined(separator: " · "),
                unit: unit,
                bars: entries.map { e in
                    SVGChart.Bar(label: "\(e.rank). \(regionName(e.region))", value: e.value, text: boundedValue(e.value, e.bound))
                },
                note: missingNote(missingNames, limit: 120))
            try writeTextFile(svg, chart)
        }

        switch global.format {
        case .json:
            Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
        case .csv:
            var t = Table(["rank", "region", "region_name", "value", "bound", "source"])
            for e in entries {
                t.add([String(e.rank), wireString(e.region?.pointee.code), regionName(e.region), NumberFormat.raw(e.value),
                       e.bound.name, provenanceText(e.provenance)])
            }
            for m in missing { t.add(["", wireString(m.pointee.code), regionName(m), "", "", ""]) }
            Printer.write(t.csv())
        case .table:
            let top = entries.map { abs($0.value) }.max() ?? 0
            var t = Table(["rank", "region", "value", ""], numeric: [0, 2])
            var summed = false
            for e in entries {
                // A year ranked on the sum of its quarters or months says so.
                let sum = provenanceText(e.provenance).hasPrefix("sum of ")
                summed = summed || sum
                t.add([String(e.rank), regionName(e.region) + (sum ? " Σ" : ""), boundedValue(e.value, e.bound),
                       Bars.bar(abs(e.value), max: top)])
            }
            var out = "\(title) · \(scope)\(unit.isEmpty ? "" : " · \(unit)")\n\n"
            out += entries.isEmpty ? "no region has a figure\n" : t.text()
            if summed { out += "\nΣ  the sum of the period's quarters or months, every one reported\n" }
            if !missingNames.isEmpty {
                // A country-wide comparison can miss thousands of regions: name the first few dozen.
                let shown = missingNames.prefix(80)
                var list = "no data (\(missingNames.count)): " + shown.joined(separator: " ")
                if shown.count < missingNames.count { list += " … and \(missingNames.count - shown.count) more (--format csv lists all)" }
                out += "\n" + SVGChart.wrap(list, columns: 78).joined(separator: "\n    ") + "\n"
            }
            if let svg { out += "chart written to \(svg)\n" }
            Printer.write(out)
        }
        if let svg, global.format != .table { note("chart written to \(svg)") }
    }

    /// "No data (N): a b c", naming at most `limit` regions.
    func missingNote(_ names: [String], limit: Int) -> String {
        guard !names.isEmpty else { return "" }
        let shown = names.prefix(limit)
        return "No data (\(names.count)): " + shown.joined(separator: " ")
            + (shown.count < names.count ? " … and \(names.count - shown.count) more" : "")
    }
}
