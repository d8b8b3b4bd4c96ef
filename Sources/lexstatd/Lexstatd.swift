import ArgumentParser
import Foundation
import LexstatCore
import LexstatRPC
import LexstatService
import Logging

@main
struct Lexstatd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexstatd",
        abstract: "The Lexstat daemon: reports and indicators of judicial-administration bureaus over a binary RPC.",
        discussion: """
            Listens on TCP and/or a Unix socket and answers the methods of lexstat.v1.Lexstat \
            (see Proto/PROTOCOL.md). SIGTERM or SIGINT drains: new connections are refused, \
            calls in flight finish, then the daemon exits 0.
            """,
        version: LexstatVersion.string)

    @Option(name: .customLong("listen"), help: ArgumentHelp("Listen on HOST:PORT; repeatable.", valueName: "host:port"))
    var listen: [String] = []

    @Option(name: .customLong("unix"), help: ArgumentHelp("Listen on a Unix socket at PATH (mode 0660).", valueName: "path"))
    var unix: String?

    @Option(help: ArgumentHelp("The SQLite database file.", valueName: "path"))
    var db: String = "var/lexstat.db"

    @Flag(help: "Load the demo data set into an empty database.")
    var demo = false

    @Option(name: .customLong("log-level"), help: "Least level logged: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Largest frame payload a client may send, in bytes.")
    var maxFrameBytes: UInt32 = 4 * 1024 * 1024

    @Option(help: "Time to receive a whole frame once begun, in milliseconds.")
    var frameTimeoutMs: UInt32 = 10_000

    @Option(help: "Close a connection with no call and no frame for this long, in milliseconds.")
    var idleTimeoutMs: UInt32 = 300_000

    @Option(help: "Most connections served at once; more are refused with RESOURCE_EXHAUSTED.")
    var maxConnections: UInt32 = 1024

    @Option(help: "Most calls in flight on one connection; more are refused with RESOURCE_EXHAUSTED.")
    var maxCallsPerConnection: UInt32 = 100

    @Option(help: "Unsent answer bytes per connection before the server stops reading from it.")
    var maxOutputBytes: UInt32 = 4 * 1024 * 1024

    @Option(help: "Close a connection whose answers stay unread for this long, in milliseconds.")
    var stallTimeoutMs: UInt32 = 30_000

    @Option(help: "Longest graceful drain on shutdown, in milliseconds.")
    var drainTimeoutMs: UInt32 = 30_000

    @Option(help: ArgumentHelp("Bearer tokens for writes (lines `write|read TOKEN [NAME]`; mode o-rwx).", valueName: "path"))
    var tokensFile: String?

    @Flag(help: "Require a token for methods that only read, too.")
    var readNeedsToken = false

    @Option(help: "Largest report text Extract and Ingest accept, in bytes.")
    var maxReportBytes: Int = 8 << 20

    @Option(help: "Worker threads for long calls (default: one per core, at least 2).")
    var workers: Int?

    @Flag(help: .hidden)
    var testMethods = false

    @Option(help: ArgumentHelp("Fill an empty database with synthetic national figures made from SEED (benchmarks).", valueName: "seed"))
    var synthetic: UInt64?

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        for l in listen where ListenAddress(parsing: l) == nil {
            throw ValidationError("--listen \(l): expected HOST:PORT, e.g. 127.0.0.1:7433")
        }
        guard maxFrameBytes >= 1024 else { throw ValidationError("--max-frame-bytes must be at least 1024") }
        guard frameTimeoutMs > 0, idleTimeoutMs > 0 else { throw ValidationError("timeouts must be positive") }
        if let w = workers, !(1...256).contains(w) { throw ValidationError("--workers must be 1…256") }
        guard maxReportBytes >= 1 else { throw ValidationError("--max-report-bytes must be positive") }
        if readNeedsToken && tokensFile == nil { throw ValidationError("--read-needs-token needs --tokens-file") }
    }

    var limits: ServerLimits {
        var l = ServerLimits()
        l.maxFrameBytes = maxFrameBytes
        l.frameTimeoutMs = frameTimeoutMs
        l.idleTimeoutMs = idleTimeoutMs
        l.maxConnections = maxConnections
        l.maxCallsPerConnection = maxCallsPerConnection
        l.maxOutputBytes = maxOutputBytes
        l.stallTimeoutMs = stallTimeoutMs
        l.drainTimeoutMs = drainTimeoutMs
        return l
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN) // a file-size limit fails the write (EFBIG) instead of killing us
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { LineLogHandler(label: $0, logLevel: level) }
        let logger = Logger(label: "lexstatd")

        let daemon = Daemon(logger: logger)
        do {
            if let seed = synthetic {
                let s = try SyntheticNation.fill(path: db, seed: seed)
                logger.info(s.filled ? "--synthetic \(seed): wrote \(s.observations) figures (\(s.regions) regions × \(s.indicators) indicators × \(s.years) years) in \(Int(s.seconds * 1000)) ms"
                                     : "--synthetic: the database already holds figures; not adding any")
            }
            try daemon.start(listen: listen.isEmpty && unix == nil ? ["127.0.0.1:7433"] : listen, unix: unix,
                             db: db, demo: demo, limits: limits, workers: workers, testMethods: testMethods,
                             maxReportBytes: maxReportBytes, tokensFile: tokensFile, readNeedsToken: readNeedsToken)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }
        daemon.run()
    }
}
