import ArgumentParser
import Foundation
import LexstatRPC
import LexstatWire

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List inconsistencies among stored figures, each with the figures and their sources.",
        discussion: """
            Rules: rate_range (a rate outside 0–100 %), change_mismatch (a stated change against last year \
            that last year's stored figure does not bear out, beyond rounding), parent_below_children \
            (a region's figure below the sum of its children's, for an indicator that adds up), \
            sources_disagree (two sources giving incompatible values for the same figure).
            """)

    @Option(help: "Only this region and the regions under it, a code or name.")
    var region: String?

    @Option(help: "Only findings about this year's figures.")
    var year: Int?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let year, !(1949...2100).contains(year) { throw ValidationError("--year must be 1949–2100") }
    }

    func run() async throws {
        let answer = try await global.withClient { (c) throws(RPCError) in
            let arena = WireArena()
            defer { withExtendedLifetime(arena) {} }
            var req = Lexstat__V1__CheckRequest.make()
            req.region = arena.string(region ?? "")
            req.year = Int32(year ?? 0)
            return try await c.call("Check", req, returning: Lexstat__V1__CheckResponse.self)
        }
        Printer.emit(global.format, table: {
            answer.read { m in
                var t = Table(["rule", "finding"])
                for f in wireList(m.n_findings, m.findings).compactMap({ $0?.pointee }) {
                    t.add([wireString(f.rule), wireString(f.message)])
                }
                return t
            }
        }, json: answer)
        if global.format == .table {
            let n = answer.read { $0.n_findings }
            FileHandle.standardError.write(Data("\(n) finding\(n == 1 ? "" : "s")\n".utf8))
        }
    }
}
