import ArgumentParser
import LexstatRPC
import LexstatWire

struct RollupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup",
        abstract: "Add up an additive indicator over a region's children, beside the region's own figure.",
        discussion: """
            Prints each child with its value, the sum, the coverage (children that reported of all \
            children; a partial sum is a lower bound), the region's own reported figure and the \
            difference own − sum. Rates and shares do not add up: the server refuses them with \
            FAILED_PRECONDITION. In CSV the first column says what a row is: child, sum, own or difference.
            """)

    @Argument(help: ArgumentHelp("The indicator: a catalog code or its Chinese name.", valueName: "indicator"))
    var indicator: String

    @Option(help: ArgumentHelp("The region whose children are added up: a code or name, e.g. 重庆市.", valueName: "region"))
    var region: String

    @Option(help: "The year.")
    var year: Int

    @OptionGroup var global: GlobalOptions

    func validate() throws { try checkYear(year) }

    func run() async throws {
        let arena = WireArena()
        var r = Lexstat__V1__RollupRequest.make()
        r.indicator = arena.string(indicator)
        r.region = arena.string(region)
        r.period = arena.string(String(year))
        let answer = try await global.call("Rollup", r, returning: Lexstat__V1__RollupResponse.self)
        withExtendedLifetime(arena) {}
        if global.format == .json {
            Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
            return
        }
        answer.read { m in
            let children = wireList(m.n_children, m.children).compactMap { $0?.pointee }
            let unit = wireString(m.indicator?.pointee.unit)
            let code = wireString(m.region?.pointee.code), name = regionName(m.region)
            if global.format == .csv {
                var t = Table(["row", "region", "region_name", "value", "reported", "total"])
                for c in children {
                    t.add(["child", wireString(c.region?.pointee.code), regionName(c.region),
                           c.has_value != 0 ? NumberFormat.raw(c.value) : "", "", ""])
                }
                t.add(["sum", code, name, NumberFormat.raw(m.sum), String(m.children_reported), String(m.children_total)])
                t.add(["own", code, name, m.has_own != 0 ? NumberFormat.raw(m.own) : "", "", ""])
                t.add(["difference", code, name, m.has_own != 0 ? NumberFormat.raw(m.difference) : "", "", ""])
                Printer.write(t.csv())
                return
            }
            let top = children.filter { $0.has_value != 0 }.map { abs($0.value) }.max() ?? 0
            var t = Table(["region", "value", ""], numeric: [1])
            for c in children {
                t.add([regionName(c.region), c.has_value != 0 ? NumberFormat.plain(c.value) : "—",
                       c.has_value != 0 ? Bars.bar(abs(c.value), max: top, width: 20) : ""])
            }
            var out = "\(indicatorLabel(m.indicator)) · \(regionLabel(m.region)) · \(year)\(unit.isEmpty ? "" : " · \(unit)")\n\n"
            out += t.text() + "\n"
            let partial = m.children_reported < m.children_total
            let lines: [(String, String, String)] = [
                ("sum of children", NumberFormat.plain(m.sum),
                 "\(m.children_reported) of \(m.children_total) children reported" + (partial ? " (a lower bound)" : "")),
                ("\(name) own figure", m.has_own != 0 ? NumberFormat.plain(m.own) : "—", m.has_own != 0 ? "" : "not reported"),
                ("difference", m.has_own != 0 ? NumberFormat.signed(m.difference) : "—", m.has_own != 0 ? "own − sum" : ""),
            ]
            let w0 = lines.map { displayWidth($0.0) }.max() ?? 0, w1 = lines.map { displayWidth($0.1) }.max() ?? 0
            for (k, v, n) in lines {
                out += pad(k, w0) + "  " + pad(v, w1, right: true) + (n.isEmpty ? "" : "  " + n) + "\n"
            }
            Printer.write(out)
        }
    }
}
