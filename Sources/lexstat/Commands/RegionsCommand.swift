import ArgumentParser
import LexstatRPC
import LexstatWire

struct RegionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regions",
        abstract: "List regions of China's administrative hierarchy (GB/T 2260).",
        discussion: """
            Without options, every region. --parent lists the regions under one region \
            (its children, or with --level all its descendants of that level). \
            Fetches every page of the listing.
            """)

    @Option(help: ArgumentHelp("Only regions under this region: a code or name, e.g. 500000 or 重庆市.", valueName: "region"))
    var parent: String?

    @Option(help: "Only regions of this level.")
    var level: LevelOption?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let arena = WireArena()
        var pages: [Decoded<Lexstat__V1__ListRegionsResponse>] = []
        var token = ""
        repeat {
            var r = Lexstat__V1__ListRegionsRequest.make()
            r.parent = arena.string(parent ?? "")
            if let level { r.level = level.wire }
            r.page_token = arena.string(token)
            let page = try await global.call("ListRegions", r, returning: Lexstat__V1__ListRegionsResponse.self)
            pages.append(page)
            token = page.read { wireString($0.next_page_token) }
        } while !token.isEmpty
        withExtendedLifetime(arena) {}

        if global.format == .json {
            let items = pages.flatMap { p in
                p.read { m in wireList(m.n_regions, m.regions).compactMap { $0.map { JSONDocument.render($0) } } }
            }
            Printer.write(JSONDocument.list("regions", items, scalars: [("next_page_token", "\"\"")]))
            return
        }
        var t = Table(["code", "name", "level", "parent", "full_name"])
        for p in pages {
            p.read { m in
                for r in wireList(m.n_regions, m.regions) {
                    guard let r = r?.pointee else { continue }
                    t.add([wireString(r.code), wireString(r.name), r.level.name, wireString(r.parent_code), wireString(r.full_name)])
                }
            }
        }
        Printer.write(global.format == .csv ? t.csv() : t.text())
    }
}
