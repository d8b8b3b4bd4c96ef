import ArgumentParser
import Foundation
import LexstatClient
import LexstatRPC

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Options every command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The server: HOST:PORT or unix:PATH (default: LEXSTAT_SERVER, else the local daemon).",
                               valueName: "address"))
    var server: String?

    @Option(help: "Output format.")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("Seconds to wait for an answer.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(help: ArgumentHelp("A file holding the bearer token for writes (default: LEXSTAT_TOKEN_FILE).", valueName: "path"))
    var tokenFile: String?

    func validate() throws {
        if let server, ServerAddress(parsing: server) == nil {
            throw ValidationError("--server \(server): expected HOST:PORT or unix:PATH")
        }
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be greater than 0 and at most 86400 seconds") }
        if ProcessInfo.processInfo.environment["LEXSTAT_SERVER"].map({ !$0.isEmpty && ServerAddress(parsing: $0) == nil }) == true {
            throw ValidationError("LEXSTAT_SERVER: expected HOST:PORT or unix:PATH")
        }
    }

    var address: ServerAddress {
        if let server, let a = ServerAddress(parsing: server) { return a }
        return ServerAddress.fromEnvironment ?? .local
    }

    /// The token from --token-file or LEXSTAT_TOKEN_FILE: the first word of the
    /// first line that is not a comment (a `write TOKEN` line of a server's tokens file works too).
    func token() throws -> String? {
        guard let path = tokenFile ?? ProcessInfo.processInfo.environment["LEXSTAT_TOKEN_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable as UTF-8 text (or permission denied)" : "no such file"
            throw LocalError("\(path): cannot read the token file: \(reason)")
        }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = words.first else { continue }
            if (first == "write" || first == "read"), words.count > 1 { return String(words[1]) }
            return String(first)
        }
        throw LocalError("\(path): no token in the file")
    }

    /// Connects, runs `body` with a client, and turns RPC errors into a message and an exit code.
    func withClient<T>(_ body: (LexstatClient) async throws(RPCError) -> T) async throws -> T {
        var metadata = Metadata()
        if let t = try token() { metadata["authorization"] = "Bearer \(t)" }
        do {
            let client = try LexstatClient(address: address, timeout: .milliseconds(Int(timeout * 1000)), metadata: metadata)
            defer { client.connection.close() }
            return try await body(client)
        } catch {
            throw CLIError(error)
        }
    }
}

/// An RPC error as the CLI reports it: `NAME: message` on stderr, exit 1.
struct CLIError: Error, CustomStringConvertible {
    let rpc: RPCError
    init(_ e: RPCError) { rpc = e }
    var description: String { rpc.description }
}

extension CLIError: LocalizedError {
    var errorDescription: String? { description }
}
