import ArgumentParser
import LexstatRPC
import LexstatWire

struct ReportsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one report: its metadata, and on request its sections and text.")

    @Argument(help: ArgumentHelp("The report's id, as `reports list` prints it.", valueName: "id"))
    var id: Int64

    @Flag(help: "Print the outline of sections (一、 (一) 一是 …) with their class.")
    var sections = false

    @Flag(help: "Print the full text.")
    var text = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard id > 0 else { throw ValidationError("the report id must be a positive number") }
    }

    func run() async throws {
        var r = Lexstat__V1__GetReportRequest.make()
        r.id = id
        r.with_text = text ? 1 : 0
        r.with_sections = sections ? 1 : 0
        let answer = try await global.call("GetReport", r, returning: Lexstat__V1__Report.self)
        if global.format == .json {
            Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
            return
        }
        answer.read { m in
            let regionName = wireString(m.region_name)
            let fields: [(String, String)] = [
                ("id", String(m.id)),
                ("title", wireString(m.title)),
                ("publisher", wireString(m.publisher)),
                ("region", regionName.isEmpty ? wireString(m.region) : "\(regionName) (\(wireString(m.region)))"),
                ("period", wireString(m.period)),
                ("kind", m.kind.name),
                ("published", wireString(m.published)),
                ("source", wireString(m.source)),
                ("length", m.length > 0 ? "\(m.length) characters" : ""),
                ("figures", String(m.observation_count)),
                ("content_hash", wireString(m.content_hash)),
            ]
            let list = wireList(m.n_sections, m.sections).compactMap { $0?.pointee }
            if global.format == .csv {
                var t = Table(["field", "value"])
                for (k, v) in fields { t.add([k, v]) }
                if sections {
                    for s in list { t.add(["section", "\(s.depth)|\(s.class_.name)|\(s.start)-\(s.end)|\(wireString(s.heading))"]) }
                }
                if text { t.add(["text", wireString(m.text)]) }
                Printer.write(t.csv())
                return
            }
            let keyWidth = fields.map { displayWidth($0.0) }.max() ?? 0
            var out = ""
            for (k, v) in fields where !v.isEmpty { out += pad(k, keyWidth) + "  " + v + "\n" }
            if sections {
                out += "\nsections (\(list.count))\n"
                var t = Table(["outline", "class", "chars"])
                for s in list {
                    let indent = String(repeating: "  ", count: Int(max(s.depth, 1)) - 1)
                    t.add([indent + wireString(s.heading), s.class_.name, "\(s.start)–\(s.end)"])
                }
                if !list.isEmpty { out += t.text() }
            }
            if text {
                let body = wireString(m.text)
                out += "\n" + body + (body.hasSuffix("\n") ? "" : "\n")
            }
            Printer.write(out)
        }
    }
}
