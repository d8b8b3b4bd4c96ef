import ArgumentParser
import LexstatRPC
import LexstatWire

struct ReportsSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the text of the stored reports; prints the best hits with the match highlighted.",
        discussion: """
            Matches are shown in bold red on a terminal, else between 【 and 】 \
            (set NO_COLOR to always use the brackets).
            """)

    @Argument(help: ArgumentHelp("The words to look for, e.g. 法律援助.", valueName: "text"))
    var query: String

    @Option(help: "Most hits to print (1–1000; default: the server's).")
    var limit: Int?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the search text is empty") }
        if let limit, !(1...1000).contains(limit) { throw ValidationError("--limit must be between 1 and 1000") }
    }

    func run() async throws {
        let arena = WireArena()
        var r = Lexstat__V1__SearchReportsRequest.make()
        r.query = arena.string(query)
        r.limit = UInt32(limit ?? 0)
        let answer = try await global.call("SearchReports", r, returning: Lexstat__V1__SearchReportsResponse.self)
        withExtendedLifetime(arena) {}
        if global.format == .json {
            Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
            return
        }
        let mark = global.format == .csv ? Highlight.brackets : Highlight.forStandardOutput
        answer.read { m in
            let hits = wireList(m.n_hits, m.hits).compactMap { $0?.pointee }
            var t = Table(["id", "title", "region", "period", "kind", "score", "snippet"])
            var out = ""
            for h in hits {
                let rep = h.report?.pointee ?? Lexstat__V1__Report.make()
                let snippet = mark.apply(wireString(h.snippet), open: wireString(h.mark_open), close: wireString(h.mark_close))
                let region = wireString(rep.region_name).isEmpty ? wireString(rep.region) : wireString(rep.region_name)
                t.add([String(rep.id), wireString(rep.title), region, wireString(rep.period), rep.kind.name,
                       String(format: "%.3f", h.score), snippet])
                let meta = [region, wireString(rep.period), rep.kind.name].filter { !$0.isEmpty }.joined(separator: " · ")
                out += "#\(rep.id)  \(wireString(rep.title))" + (meta.isEmpty ? "" : "  (\(meta))") + "\n"
                out += "    " + snippet + "\n"
            }
            if global.format == .csv {
                Printer.write(t.csv())
            } else {
                out += "\(hits.count) hit\(hits.count == 1 ? "" : "s") for \"\(query)\"\n"
                Printer.write(out)
            }
        }
    }
}
