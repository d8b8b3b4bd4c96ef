import ArgumentParser
import LexstatRPC
import LexstatWire

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import figures from a CSV file, all or nothing.",
        discussion: """
            The header is region,indicator,period,value,unit,bound,kind,source (any order; an optional \
            subject column names a figure no indicator fits). region is a code or name, indicator a code \
            or Chinese name, period 2024, 2024Q2, 2024-05 or cumulative; bound is exact, approx, at_least \
            or at_most (default exact), kind actual, target or change (default actual), and an empty \
            source becomes the file name. A bad row stops the import with its line number and nothing \
            of the file is stored. A row whose figure is already stored from the same source (the same \
            file imported again) is skipped and counted. `lexstat export` writes the same layout.
            """)

    @Argument(help: ArgumentHelp("The CSV file (UTF-8), or - for standard input.", valueName: "file.csv"))
    var file: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (text, name) = try readTextFile(file)
        let arena = WireArena()
        var r = Lexstat__V1__ImportObservationsRequest.make()
        r.csv = arena.string(text)
        r.source = arena.string(name)
        let answer = try await global.call("ImportObservations", r, returning: Lexstat__V1__ImportObservationsResponse.self)
        withExtendedLifetime(arena) {}
        let (n, already) = answer.read { ($0.imported, $0.already_stored) }
        switch global.format {
        case .table:
            var line = "imported \(n) figure\(n == 1 ? "" : "s") from \(name)"
            if already > 0 { line += "; \(already) already stored from the same source, skipped" }
            Printer.write(line + "\n")
        case .csv:
            var t = Table(["source", "imported", "already_stored"])
            t.add([name, String(n), String(already)])
            Printer.write(t.csv())
        case .json: Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
        }
    }
}
