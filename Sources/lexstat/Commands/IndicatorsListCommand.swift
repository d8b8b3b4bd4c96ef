import ArgumentParser
import LexstatRPC
import LexstatWire

struct IndicatorsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the indicators of the catalog (the default of `lexstat indicators`).")

    @Option(help: ArgumentHelp("Only this function area, e.g. review or service.", valueName: "area"))
    var area: String?

    @Option(help: ArgumentHelp("Only this indicator system, e.g. 法治政府建设指标体系.", valueName: "system"))
    var system: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let arena = WireArena()
        var r = Lexstat__V1__ListIndicatorsRequest.make()
        r.area = arena.string(area ?? "")
        r.system = arena.string(system ?? "")
        let answer = try await global.call("ListIndicators", r, returning: Lexstat__V1__ListIndicatorsResponse.self)
        withExtendedLifetime(arena) {}
        Printer.emit(global.format, table: {
            answer.read { m in
                var t = global.format == .csv
                    ? Table(["code", "name", "area", "area_name", "unit", "polarity", "aggregation", "system", "aliases"])
                    : Table(["code", "name", "area", "unit", "polarity", "aggregation"])
                for i in wireList(m.n_indicators, m.indicators) {
                    guard let i = i?.pointee else { continue }
                    if global.format == .csv {
                        t.add([wireString(i.code), wireString(i.name), wireString(i.area), wireString(i.area_name),
                               wireString(i.unit), i.polarity.name, i.aggregation.name,
                               wireStrings(i.n_systems, i.systems).joined(separator: "|"),
                               wireStrings(i.n_aliases, i.aliases).joined(separator: "|")])
                    } else {
                        let areaName = wireString(i.area_name)
                        t.add([wireString(i.code), wireString(i.name),
                               areaName.isEmpty ? wireString(i.area) : areaName,
                               wireString(i.unit), i.polarity.phrase, i.aggregation.name])
                    }
                }
                return t
            }
        }, json: answer)
    }
}
