import ArgumentParser
import LexstatRPC
import LexstatWire

struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Print whether the server is SERVING or NOT_SERVING.",
        discussion: "Exits 0 when the server is SERVING and 1 otherwise, for scripts and probes.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let answer = try await global.withClient { (c) throws(RPCError) in try await c.health() }
        let (status, version, uptime, reports, observations) = answer.read { m in
            (m.status, wireString(m.version), m.uptime_ms, m.reports, m.observations)
        }
        let name: String
        switch status {
        case LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVING: name = "SERVING"
        case LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__NOT_SERVING: name = "NOT_SERVING"
        case LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVICE_UNKNOWN: name = "SERVICE_UNKNOWN"
        default: name = "UNKNOWN"
        }
        switch global.format {
        case .table: Printer.write(name + "\n")
        case .csv:
            var t = Table(["status", "version", "uptime_ms", "reports", "observations"])
            t.add([name, version, String(uptime), String(reports), String(observations)])
            Printer.write(t.csv())
        case .json: Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
        }
        if name != "SERVING" { throw ExitCode.failure }
    }
}
