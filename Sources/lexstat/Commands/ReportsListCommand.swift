import ArgumentParser
import LexstatRPC
import LexstatWire

struct ReportsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List stored reports in the order they were stored, oldest first.",
        discussion: "Fetches every page of the listing.")

    @Option(help: ArgumentHelp("Only reports of this region: a code or name.", valueName: "region"))
    var region: String?

    @Option(help: "Only reports about this year.")
    var year: Int?

    @Option(help: "Only reports of this kind.")
    var kind: ReportKindOption?

    @OptionGroup var global: GlobalOptions

    func validate() throws { try checkYear(year) }

    func run() async throws {
        let arena = WireArena()
        var pages: [Decoded<Lexstat__V1__ListReportsResponse>] = []
        var token = ""
        repeat {
            var r = Lexstat__V1__ListReportsRequest.make()
            r.region = arena.string(region ?? "")
            r.year = Int32(year ?? 0)
            if let kind { r.kind = kind.wire }
            r.page_token = arena.string(token)
            let page = try await global.call("ListReports", r, returning: Lexstat__V1__ListReportsResponse.self)
            pages.append(page)
            token = page.read { wireString($0.next_page_token) }
        } while !token.isEmpty
        withExtendedLifetime(arena) {}

        if global.format == .json {
            let items = pages.flatMap { p in
                p.read { m in wireList(m.n_reports, m.reports).compactMap { $0.map { JSONDocument.render($0) } } }
            }
            Printer.write(JSONDocument.list("reports", items, scalars: [("next_page_token", "\"\"")]))
            return
        }
        let csv = global.format == .csv
        var t = csv
            ? Table(["id", "period", "kind", "region", "region_name", "published", "publisher", "title", "observations", "length", "source"])
            : Table(["id", "period", "kind", "region", "published", "figures", "title"], numeric: [0, 5])
        for p in pages {
            p.read { m in
                for r in wireList(m.n_reports, m.reports) {
                    guard let r = r?.pointee else { continue }
                    let name = wireString(r.region_name)
                    if csv {
                        t.add([String(r.id), wireString(r.period), r.kind.name, wireString(r.region), name,
                               wireString(r.published), wireString(r.publisher), wireString(r.title),
                               String(r.observation_count), String(r.length), wireString(r.source)])
                    } else {
                        t.add([String(r.id), wireString(r.period), r.kind.name, name.isEmpty ? wireString(r.region) : name,
                               wireString(r.published), String(r.observation_count), wireString(r.title)])
                    }
                }
            }
        }
        Printer.write(csv ? t.csv() : t.text())
    }
}
