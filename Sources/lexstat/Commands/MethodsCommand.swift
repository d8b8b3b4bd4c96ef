import ArgumentParser
import LexstatRPC
import LexstatWire

struct MethodsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methods",
        abstract: "List the methods the server answers.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let answer = try await global.withClient { (c) throws(RPCError) in try await c.methods() }
        Printer.emit(global.format, table: {
            answer.read { m in
                var t = Table(["method", "kind", "writes", "summary"])
                for d in wireList(m.n_methods, m.methods) {
                    guard let d else { continue }
                    let p = d.pointee
                    t.add([wireString(p.name), p.server_streaming != 0 ? "stream" : "unary",
                           p.writes != 0 ? "yes" : "no", wireString(p.summary)])
                }
                return t
            }
        }, json: answer)
    }
}
