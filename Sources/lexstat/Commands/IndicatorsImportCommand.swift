import ArgumentParser
import LexstatRPC
import LexstatWire

struct IndicatorsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add or update indicators from a TSV file; codes stay stable and every change is kept.",
        discussion: """
            The file has the header code, name, area, unit, polarity, aggregate, aliases \
            (tab-separated; aliases separated by |), like the shipped catalog. \
            Prints how many indicators were added, updated and left unchanged, and each change.
            """)

    @Argument(help: ArgumentHelp("The TSV file, or - for standard input.", valueName: "file.tsv"))
    var file: String

    @Option(help: ArgumentHelp("The indicator system the file's indicators join, e.g. 公民法治素养评估指标体系 (for rows without a system column; an indicator already in other systems stays in them too).", valueName: "system"))
    var system: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (text, name) = try readTextFile(file)
        let arena = WireArena()
        var r = Lexstat__V1__ImportIndicatorsRequest.make()
        r.tsv = arena.string(text)
        r.system = arena.string(system ?? "")
        r.source = arena.string(name)
        let answer = try await global.call("ImportIndicators", r, returning: Lexstat__V1__ImportIndicatorsResponse.self)
        withExtendedLifetime(arena) {}
        answer.read { m in
            var t = Table(["code", "field", "old", "new"])
            for c in wireList(m.n_changes, m.changes) {
                guard let c = c?.pointee else { continue }
                t.add([wireString(c.code), wireString(c.field), wireString(c.old_value), wireString(c.new_value)])
            }
            switch global.format {
            case .json: Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
            case .csv:
                Printer.write(t.csv())
                note("\(name): \(m.added) added, \(m.updated) updated, \(m.unchanged) unchanged")
            case .table:
                var out = "\(name): \(m.added) added, \(m.updated) updated, \(m.unchanged) unchanged\n"
                if !t.rows.isEmpty { out += "\n" + t.text() }
                Printer.write(out)
            }
        }
    }
}
