import ArgumentParser
import Foundation
import LexstatRPC
import LexstatWire

struct IndicatorsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one indicator: its fields, aliases, history of changes and how many figures it has.")

    @Argument(help: ArgumentHelp("The indicator's code, e.g. service.legal_aid_cases.", valueName: "code"))
    var code: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let arena = WireArena()
        var r = Lexstat__V1__GetIndicatorRequest.make()
        r.code = arena.string(code)
        let answer = try await global.call("GetIndicator", r, returning: Lexstat__V1__GetIndicatorResponse.self)
        withExtendedLifetime(arena) {}
        if global.format == .json {
            Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
            return
        }
        answer.read { m in
            let i = m.indicator?.pointee ?? Lexstat__V1__Indicator.make()
            let area = wireString(i.area), areaName = wireString(i.area_name)
            let fields: [(String, String)] = [
                ("code", wireString(i.code)),
                ("name", wireString(i.name)),
                ("area", areaName.isEmpty ? area : "\(area) (\(areaName))"),
                ("unit", wireString(i.unit)),
                ("polarity", global.format == .csv ? i.polarity.name : i.polarity.phrase),
                ("aggregation", i.aggregation.name),
                ("system", wireStrings(i.n_systems, i.systems).joined(separator: global.format == .csv ? "|" : ", ")),
                ("aliases", wireStrings(i.n_aliases, i.aliases).joined(separator: global.format == .csv ? "|" : ", ")),
                ("description", wireString(i.description)),
                ("observations", String(m.observation_count)),
            ]
            let history = wireList(m.n_history, m.history).compactMap { $0?.pointee }
            if global.format == .csv {
                var t = Table(["field", "value"])
                for (k, v) in fields { t.add([k, v]) }
                for h in history {
                    t.add(["history", "\(timestamp(h.changed_at_ms)) \(wireString(h.field)): \(wireString(h.old_value)) → \(wireString(h.new_value)) (\(wireString(h.source)))"])
                }
                Printer.write(t.csv())
                return
            }
            let keyWidth = fields.map { displayWidth($0.0) }.max() ?? 0
            var out = ""
            for (k, v) in fields where !v.isEmpty || k == "observations" { out += pad(k, keyWidth) + "  " + v + "\n" }
            out += "\nhistory (\(history.count) change\(history.count == 1 ? "" : "s"))\n"
            if !history.isEmpty {
                var t = Table(["when", "field", "old", "new", "source"])
                for h in history {
                    t.add([timestamp(h.changed_at_ms), wireString(h.field), wireString(h.old_value),
                           wireString(h.new_value), wireString(h.source)])
                }
                out += t.text()
            }
            Printer.write(out)
        }
    }
}

/// Milliseconds since 1970 as `2026-11-22 05:56 UTC`.
func timestamp(_ ms: Int64) -> String {
    guard ms > 0 else { return "" }
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
    return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
}
