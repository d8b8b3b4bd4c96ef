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
            (see Proto/PROTOCOL.md). Settings come from the configuration file \
            (\(Settings.defaultConfigPath) if it exists, or --config), then LEXSTAT_* environment \
            variables (LEXSTAT_LOG_LEVEL, LEXSTAT_LIMITS_MAX_CONNECTIONS…), then these flags. \
            Under systemd it speaks sd_notify (READY, STATUS, STOPPING, WATCHDOG) and adopts \
            sockets passed by socket activation. SIGHUP reloads the file: log level, access log, \
            limits, tokens file and schemes folder change live. SIGTERM or SIGINT drains: new \
            connections are refused, calls in flight finish, then the daemon exits 0.
            """,
        version: LexstatVersion.string)

    @Option(help: ArgumentHelp("The configuration file (default: \(Settings.defaultConfigPath) if it exists; LEXSTAT_CONFIG).",
                               valueName: "path"))
    var config: String?

    @Flag(help: "Check the configuration, print the settings in effect and exit.")
    var checkConfig = false

    @Option(name: .customLong("listen"), help: ArgumentHelp("Listen on HOST:PORT; repeatable (default 127.0.0.1:7433).", valueName: "host:port"))
    var listen: [String] = []

    @Option(name: .customLong("unix"), help: ArgumentHelp("Listen on a Unix socket at PATH (mode 0660).", valueName: "path"))
    var unix: String?

    @Option(help: ArgumentHelp("The SQLite database file (default var/lexstat.db).", valueName: "path"))
    var db: String?

    @Flag(help: "Load the demo data set into an empty database.")
    var demo = false

    @Option(name: .customLong("log-level"), help: "Least level logged: trace, debug, info, notice, warning, error, critical (default info).")
    var logLevel: String?

    @Flag(inversion: .prefixedNo, help: "Write one log line per call (default on).")
    var accessLog: Bool?

    @Option(help: ArgumentHelp("Serve Prometheus metrics at /metrics and liveness at /healthz on HOST:PORT.", valueName: "host:port"))
    var metricsListen: String?

    @Option(help: ArgumentHelp("The folder of assessment schemes.", valueName: "path"))
    var schemesDir: String?

    @Option(help: ArgumentHelp("Bearer tokens for writes (lines `write|read TOKEN [NAME]`; mode o-rwx).", valueName: "path"))
    var tokensFile: String?

    @Flag(inversion: .prefixedNo, help: "Require a token for methods that only read, too (default off).")
    var readNeedsToken: Bool?

    @Flag(help: "Without a tokens file, take writes over TCP too (default: only on the Unix socket, whose mode 0660 decides who may write). For development and tests.")
    var tcpWritesWithoutToken = false

    @Option(help: "Largest frame payload a client may send, in bytes (default 4 MiB).")
    var maxFrameBytes: UInt32?

    @Option(help: "Time to receive a whole frame once begun, in milliseconds (default 10000).")
    var frameTimeoutMs: UInt32?

    @Option(help: "Close a connection with no call and no frame for this long, in milliseconds (default 300000).")
    var idleTimeoutMs: UInt32?

    @Option(help: "Most connections served at once; more are refused with RESOURCE_EXHAUSTED (default 1024).")
    var maxConnections: UInt32?

    @Option(help: "Most calls in flight on one connection; more are refused with RESOURCE_EXHAUSTED (default 100).")
    var maxCallsPerConnection: UInt32?

    @Option(help: "Unsent answer bytes per connection before the server stops reading from it (default 4 MiB).")
    var maxOutputBytes: UInt32?

    @Option(help: "Close a connection whose answers stay unread for this long, in milliseconds (default 30000).")
    var stallTimeoutMs: UInt32?

    @Option(help: "Longest graceful drain on shutdown, in milliseconds (default 30000).")
    var drainTimeoutMs: UInt32?

    @Option(help: "Largest request, all its frames joined, in bytes (default 16 MiB); larger requests get RESOURCE_EXHAUSTED.")
    var maxRequestBytes: UInt32?

    @Option(help: "Largest report text Extract and Ingest accept, in bytes (default 8 MiB; with 64 KiB more it must fit in --max-request-bytes).")
    var maxReportBytes: Int?

    @Option(help: "Bytes of answers kept to serve repeated reads; 0 for none (default 64 MiB).")
    var cacheBytes: Int?

    @Option(help: "Worker threads for long calls (default: one per core, at least 2).")
    var workers: Int?

    @Flag(help: .hidden)
    var testMethods = false

    @Option(help: ArgumentHelp("Fill an empty database with synthetic national figures made from SEED (benchmarks).", valueName: "seed"))
    var synthetic: UInt64?

    /// The flags given, as settings keys: they override the file and the environment.
    var flagSettings: [(key: String, value: ConfigValue, flag: String)] {
        var out: [(key: String, value: ConfigValue, flag: String)] = []
        func add(_ key: String, _ flag: String, _ v: ConfigValue?) { if let v { out.append((key, v, flag)) } }
        if !listen.isEmpty { add("listen", "--listen", .array(listen.map { .string($0) })) }
        add("unix", "--unix", unix.map { .string($0) })
        add("db", "--db", db.map { .string($0) })
        add("log_level", "--log-level", logLevel.map { .string($0) })
        add("access_log", accessLog == true ? "--access-log" : "--no-access-log", accessLog.map { .bool($0) })
        add("metrics_listen", "--metrics-listen", metricsListen.map { .string($0) })
        add("schemes_dir", "--schemes-dir", schemesDir.map { .string($0) })
        add("tokens_file", "--tokens-file", tokensFile.map { .string($0) })
        add("read_needs_token", readNeedsToken == true ? "--read-needs-token" : "--no-read-needs-token",
            readNeedsToken.map { .bool($0) })
        add("tcp_writes_without_token", "--tcp-writes-without-token", tcpWritesWithoutToken ? .bool(true) : nil)
        add("workers", "--workers", workers.map { .integer(Int64($0)) })
        add("cache_bytes", "--cache-bytes", cacheBytes.map { .integer(Int64($0)) })
        add("limits.max_report_bytes", "--max-report-bytes", maxReportBytes.map { .integer(Int64($0)) })
        let limits: [(String, UInt32?)] = [
            ("max_frame_bytes", maxFrameBytes), ("frame_timeout_ms", frameTimeoutMs), ("idle_timeout_ms", idleTimeoutMs),
            ("max_connections", maxConnections), ("max_calls_per_connection", maxCallsPerConnection),
            ("max_output_bytes", maxOutputBytes), ("stall_timeout_ms", stallTimeoutMs), ("drain_timeout_ms", drainTimeoutMs),
            ("max_request_bytes", maxRequestBytes),
        ]
        for (k, v) in limits {
            add("limits." + k, "--" + k.replacingOccurrences(of: "_", with: "-"), v.map { .integer(Int64($0)) })
        }
        return out
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN) // a file-size limit fails the write (EFBIG) instead of killing us
        signal(SIGHUP, SIG_IGN) // a reload asked for during start-up is not a reason to die
        let env = ProcessInfo.processInfo.environment
        let sources = SettingsSources(explicitConfig: config ?? env["LEXSTAT_CONFIG"].flatMap { $0.isEmpty ? nil : $0 },
                                      environment: env, flags: flagSettings)
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        let logger = Logger(label: "lexstatd")

        let settings: Settings
        do {
            settings = try sources.load()
        } catch {
            logger.critical("invalid configuration: \(error)")
            throw ExitCode(78) // EX_CONFIG: systemd does not restart on it (RestartPreventExitStatus)
        }
        LogLevelSwitch.shared.level = settings.logLevel
        if checkConfig {
            print("# configuration: \(sources.configPath ?? "(none: built-in defaults)")")
            for key in SettingKey.all { print("\(key.name) = \(key.show(settings))") }
            return
        }

        let daemon = Daemon(settings: settings, sources: sources, logger: logger)
        do {
            if let seed = synthetic {
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: settings.db).deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                let s = try SyntheticNation.fill(path: settings.db, seed: seed)
                logger.info(s.filled ? "--synthetic \(seed): wrote \(s.observations) figures (\(s.regions) regions × \(s.indicators) indicators × \(s.years) years) in \(Int(s.seconds * 1000)) ms"
                                     : "--synthetic: the database already holds figures; not adding any")
            }
            try daemon.start(demo: demo, testMethods: testMethods)
        } catch {
            logger.critical("cannot start: \(error)")
            daemon.notifier.status("cannot start: \(error)")
            throw ExitCode.failure
        }
        daemon.run()
    }
}
