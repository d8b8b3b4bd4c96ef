import ArgumentParser
import LexstatRPC
import LexstatWire

struct ObservationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observations",
        abstract: "List stored figures (observations) with where each came from, one page at a time.",
        discussion: """
            Prints one page (the server's default size unless --page-size) and, when there is more, \
            the token of the next page; pass it back with --page-token and the same filters, \
            or use --all to fetch every page.
            """)

    @OptionGroup var filter: ObservationFilterOptions

    @Option(help: ArgumentHelp("Figures per page, 1–10000 (default: the server's, 100).", valueName: "n"))
    var pageSize: Int?

    @Option(help: ArgumentHelp("Continue after the page that printed this token.", valueName: "token"))
    var pageToken: String?

    @Flag(help: "Fetch every page, not just one.")
    var all = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let pageSize, !(1...10_000).contains(pageSize) {
            throw ValidationError("--page-size must be between 1 and 10000")
        }
    }

    func run() async throws {
        let arena = WireArena()
        var pages: [Decoded<Lexstat__V1__QueryObservationsResponse>] = []
        var token = pageToken ?? ""
        repeat {
            var r = filter.request(arena)
            r.page_size = UInt32(pageSize ?? 0)
            r.page_token = arena.string(token)
            let page = try await global.call("QueryObservations", r, returning: Lexstat__V1__QueryObservationsResponse.self)
            pages.append(page)
            token = page.read { wireString($0.next_page_token) }
        } while all && !token.isEmpty
        withExtendedLifetime(arena) {}
        let total = pages.last?.read { $0.total } ?? 0
        let shown = pages.reduce(0) { n, p in n + p.read { $0.n_observations } }

        if global.format == .json {
            if pages.count == 1, let only = pages.first {
                Printer.write(ProtoJSON.render(only, pretty: true) + "\n")
            } else {
                let items = pages.flatMap { p in
                    p.read { m in wireList(m.n_observations, m.observations).compactMap { $0.map { JSONDocument.render($0) } } }
                }
                Printer.write(JSONDocument.list("observations", items,
                                                scalars: [("next_page_token", ProtoJSON.quote(token)), ("total", String(total))]))
            }
            return
        }
        let csv = global.format == .csv
        var t = csv
            ? Table(["id", "region", "region_name", "indicator", "subject", "period", "value", "unit", "bound", "kind",
                     "report_id", "source", "quote"])
            : Table(["id", "region", "indicator", "period", "value", "unit", "kind", "source"], numeric: [0, 4])
        for p in pages {
            p.read { m in
                for o in wireList(m.n_observations, m.observations) {
                    guard let o = o?.pointee else { continue }
                    let code = wireString(o.indicator), subject = wireString(o.subject)
                    if csv {
                        let prov = o.provenance?.pointee
                        t.add([String(o.id), wireString(o.region), wireString(o.region_name), code, subject,
                               wireString(o.period), NumberFormat.raw(o.value), wireString(o.unit), o.bound.name, o.kind.name,
                               prov.map { $0.report_id != 0 ? String($0.report_id) : "" } ?? "",
                               prov.map { wireString($0.source) } ?? "", prov.map { wireString($0.quote) } ?? ""])
                    } else {
                        let name = wireString(o.region_name)
                        t.add([String(o.id), name.isEmpty ? wireString(o.region) : name,
                               code.isEmpty ? "「\(subject)」" : code, wireString(o.period),
                               boundedValue(o.value, o.bound), wireString(o.unit), o.kind.name,
                               provenanceText(o.provenance)])
                    }
                }
            }
        }
        let more = token.isEmpty ? "" : "; next page: --page-token \(token)"
        if csv {
            Printer.write(t.csv())
            if !token.isEmpty { note("\(shown) of \(total) figures\(more)") }
        } else {
            Printer.write(t.text() + "\(shown) of \(total) figure\(total == 1 ? "" : "s")\(more)\n")
        }
    }
}
