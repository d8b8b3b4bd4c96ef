import ArgumentParser
import LexstatRPC
import LexstatWire

struct TargetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "List targets with the actual figure of their period and whether each was met.",
        discussion: """
            Status is met, missed, or no data when the period's actual figure is not (yet) stored. \
            For an additive indicator a year not reported whole is held against the sum of its \
            quarters or months (marked Σ, with the parts found); a partial sum decides only where \
            the missing parts cannot change the outcome. \
            A target stated as at least (…以上, 不少于) is met by an actual at or above it, one \
            stated as at most (不超过, 以内) by one at or below it; otherwise the indicator's polarity decides.
            """)

    @Option(help: ArgumentHelp("Only targets of this region: a code or name.", valueName: "region"))
    var region: String?

    @Flag(help: "With --region, the targets of its cities, districts and counties too.")
    var descendants = false

    @Option(help: "Only targets for this year.")
    var year: Int?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        try checkYear(year)
        if descendants && region == nil { throw ValidationError("--descendants needs --region") }
    }

    func run() async throws {
        let arena = WireArena()
        var r = Lexstat__V1__ListTargetsRequest.make()
        r.region = arena.string(region ?? "")
        r.year = Int32(year ?? 0)
        r.descendants = descendants ? 1 : 0
        let answer = try await global.call("ListTargets", r, returning: Lexstat__V1__ListTargetsResponse.self)
        withExtendedLifetime(arena) {}
        if global.format == .json {
            Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
            return
        }
        answer.read { m in
            let list = wireList(m.n_targets, m.targets).compactMap { $0?.pointee }
            let csv = global.format == .csv
            var t = csv
                ? Table(["region", "region_name", "indicator", "subject", "period", "target", "target_bound", "unit",
                         "actual", "actual_bound", "status", "source", "actual_parts", "actual_parts_expected"])
                : Table(["region", "indicator", "period", "target", "actual", "status"], numeric: [3, 4])
            var counts: [String: Int] = [:]
            for a in list {
                let tg = a.target?.pointee ?? Lexstat__V1__Observation.make()
                let ac = a.has_actual != 0 ? a.actual?.pointee : nil
                let status = a.status.name
                counts[status, default: 0] += 1
                let name = wireString(tg.region_name).isEmpty ? wireString(tg.region) : wireString(tg.region_name)
                let code = wireString(tg.indicator), unit = wireString(tg.unit)
                if csv {
                    t.add([wireString(tg.region), wireString(tg.region_name), code, wireString(tg.subject), wireString(tg.period),
                           NumberFormat.raw(tg.value), tg.bound.name, unit,
                           ac.map { NumberFormat.raw($0.value) } ?? "", ac.map { $0.bound.name } ?? "", status,
                           provenanceText(tg.provenance), String(a.actual_parts), String(a.actual_parts_expected)])
                } else {
                    let sum = a.actual_parts_expected > 0 ? " (Σ \(a.actual_parts)/\(a.actual_parts_expected))" : ""
                    let u = unit.isEmpty ? "" : " " + unit
                    t.add([name, code.isEmpty ? "「\(wireString(tg.subject))」" : code, wireString(tg.period),
                           boundedValue(tg.value, tg.bound) + u,
                           ac.map { boundedValue($0.value, $0.bound) + (wireString($0.unit).isEmpty ? "" : " " + wireString($0.unit)) + sum } ?? "—",
                           status.replacingOccurrences(of: "_", with: " ")])
                }
            }
            if csv {
                Printer.write(t.csv())
            } else if list.isEmpty {
                Printer.write("no targets\n")
            } else {
                let summary = ["met", "missed", "no_data"].compactMap { k in
                    counts[k].map { "\($0) \(k.replacingOccurrences(of: "_", with: " "))" }
                }.joined(separator: ", ")
                Printer.write(t.text() + "\n\(list.count) target\(list.count == 1 ? "" : "s"): \(summary)\n")
            }
        }
    }
}
