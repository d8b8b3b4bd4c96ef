import ArgumentParser
import LexstatRPC
import LexstatWire

struct ReportsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a stored report and every figure taken from it.")

    @Argument(help: ArgumentHelp("The report's id, as `reports list` prints it.", valueName: "id"))
    var id: Int64

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard id > 0 else { throw ValidationError("the report id must be a positive number") }
    }

    func run() async throws {
        var r = Lexstat__V1__DeleteReportRequest.make()
        r.id = id
        let answer = try await global.call("DeleteReport", r, returning: Lexstat__V1__DeleteReportResponse.self)
        let n = answer.read { $0.observations_deleted }
        switch global.format {
        case .table: Printer.write("deleted report \(id) and its \(n) figure\(n == 1 ? "" : "s")\n")
        case .csv:
            var t = Table(["report", "observations_deleted"])
            t.add([String(id), String(n)])
            Printer.write(t.csv())
        case .json: Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
        }
    }
}
