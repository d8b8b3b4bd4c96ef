import ArgumentParser
import LexstatRPC
import LexstatWire

struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Print whether the server is SERVING or NOT_SERVING.",
        discussion: """
            Prints SERVING and exits 0 when the server answers that it is serving. \
            Prints NOT_SERVING and exits 1 when it says it is not, when it answers UNAVAILABLE \
            (it is draining: shutting down after SIGTERM), when it cannot be reached, or when \
            it does not answer within --timeout; the reason goes to standard error. \
            For scripts and probes.
            """)

    @OptionGroup var global: GlobalOptions

    /// Errors that mean the server is not serving, rather than that this command went wrong.
    static func meansNotServing(_ code: StatusCode) -> Bool {
        code == .unavailable || code == .deadlineExceeded
    }

    func run() async throws {
        let answer: Decoded<Lexstat__V1__HealthResponse>
        do {
            answer = try await global.withClient { (c) throws(RPCError) in try await c.health() }
        } catch let e as CLIError where Self.meansNotServing(e.rpc.code) {
            note(e.description)
            switch global.format {
            case .table: Printer.write("NOT_SERVING\n")
            case .csv:
                var t = Table(["status", "version", "uptime_ms", "reports", "observations"])
                t.add(["NOT_SERVING", "", "", "", ""])
                Printer.write(t.csv())
            case .json: Printer.write("{\n  \"status\": \"not_serving\",\n  \"reason\": \(ProtoJSON.quote(e.description))\n}\n")
            }
            throw ExitCode.failure
        }
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
