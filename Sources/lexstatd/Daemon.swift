import Foundation
import LexstatCore
import LexstatRPC
import LexstatService
import Logging
import Synchronization

/// The running daemon: the server, its state, its signal handling.
///
/// `start` opens the store, builds the method table (`methodTable`: add a
/// handler group there, one line each), listens (inherited sockets first),
/// starts the metrics endpoint and the loop's tick, and installs the signal
/// handlers. `run` tells systemd it is ready and serves until drained.
/// Operations (systemd, reload, metrics) are in `Daemon+*.swift`.
final class Daemon: @unchecked Sendable {
    // Set up once in start() on the main thread, read afterwards; `settings`
    // is replaced only on `signalQueue` (reload).
    let logger: Logger
    let sources: SettingsSources
    var settings: Settings
    let state = ServingState()
    let notifier = SystemdNotifier()
    let metrics = Metrics.shared
    let accessLog: AccessLog
    let liveness = Liveness()
    let signalQueue = DispatchQueue(label: "lexstatd.signals")
    var server: RPCServer?
    var metricsServer: MetricsServer?
    var signalSources: [any DispatchSourceSignal] = []
    var reloadHooks: [ReloadHook] = []
    var tokens: TokenStore?
    let reloads = ReloadCounters()
    var listening: [String] = []
    /// The scheme folder Score reads, read by workers and changed on reload.
    let schemesDir = Mutex<String?>(nil)

    init(settings: Settings, sources: SettingsSources, logger: Logger) {
        self.settings = settings
        self.sources = sources
        self.logger = logger
        accessLog = AccessLog(enabled: settings.accessLog,
                              journal: !(ProcessInfo.processInfo.environment["JOURNAL_STREAM"] ?? "").isEmpty)
        schemesDir.withLock { $0 = settings.schemesDir }
    }

    func start(demo: Bool, testMethods: Bool) throws {
        if let path = sources.configPath { logger.info("configuration: \(path)") }
        let tokens = try openTokens()
        notifier.status("opening \(settings.db)")
        let store = try openStore(demo: demo)
        state.store = store
        checkSchemes(store, dir: settings.schemesDir)

        let (connections, warning) = Daemon.fitConnections(settings.limits.maxConnections)
        if let warning { logger.warning("\(warning)") }
        settings.limits.maxConnections = connections

        let table = methodTable(store, testMethods: testMethods)
        let workers = settings.workers > 0 ? settings.workers : ProcessInfo.processInfo.activeProcessorCount
        let server = try RPCServer(table: table, limits: settings.limits, workers: workers, tokens: tokens,
                                   writesWithoutToken: settings.tcpWritesWithoutToken ? .anyClient : .unixSocketOnly,
                                   logger: logger, metrics: metrics, accessLog: accessLog, cacheBytes: settings.cacheBytes)
        self.server = server
        try listen(server)
        try startMetrics(server, store)
        startTick(server)
        installSignals()
        registerReloadHooks()
    }

    /// The methods served. A new group of handlers is one line here.
    func methodTable(_ store: LexstatStore, testMethods: Bool) -> MethodTable {
        var builder = MethodTableBuilder()
        let holder = TableHolder()
        builder.addHealth(state) { holder.table }
        builder.addCatalog(store)
        builder.addReports(store)
        builder.addObservations(store)
        builder.addExtraction(store, maxBytes: settings.maxReportBytes, onIngest: { [metrics] _ in metrics.ingested() })
        builder.addAssessment(store, schemesDir: { [self] in
            self.schemesDir.withLock { $0 }.map { URL(fileURLWithPath: $0, isDirectory: true) }
        })
        if testMethods { builder.addTesting() }
        let table = builder.build()
        holder.table = table
        return table
    }

    func openStore(demo: Bool) throws -> LexstatStore {
        let db = settings.db
        let dbURL = URL(fileURLWithPath: db)
        try FileManager.default.createDirectory(at: dbURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let opened = ContinuousClock.now
        let store = try LexstatStore(path: db)
        let (reports, observations) = try store.counts()
        let ms = (ContinuousClock.now - opened) / .milliseconds(1)
        logger.info("opened \(db): \(reports) reports, \(observations) observations, \(store.regions.count) regions",
                    metadata: ["ms": "\(Int(ms))"])
        if demo { try loadDemo(into: store) }
        return store
    }

    /// The tokens of `tokens_file`, if set: then writes need a token (reads
    /// too with `read_needs_token`). SIGHUP re-reads the file.
    func openTokens() throws -> TokenStore? {
        guard let path = settings.tokensFile else {
            if settings.tcpWritesWithoutToken {
                logger.warning("no tokens_file and tcp_writes_without_token: any client may write")
            } else {
                logger.notice("no tokens_file: writes are taken only on the Unix socket\(settings.unix == nil ? ", and none is configured (unix)" : "")")
            }
            return nil
        }
        let store = try TokenStore(path: path, readsNeedToken: settings.readNeedsToken)
        logger.info("writes need a token from \(path)\(settings.readNeedsToken ? "; reads too" : "")")
        tokens = store
        return store
    }

    /// Listens on the sockets systemd passed (socket activation) or else on
    /// the configured addresses.
    func listen(_ server: RPCServer) throws {
        let inherited = SocketActivation.inheritedSockets()
        if !inherited.isEmpty {
            // Said once, so that an operator who set an address does not wonder why it is unused.
            let configured = (settings.listen == Settings().listen ? [] : settings.listen) + (settings.unix.map { ["unix:\($0)"] } ?? [])
            if !configured.isEmpty {
                let ignored = configured.joined(separator: ", ")
                logger.notice("socket activation: listening only on the \(inherited.count) socket(s) systemd passed; ignoring the configured \(ignored) (listen, unix)")
            }
            for fd in inherited {
                let address = SocketActivation.describe(fd: fd)
                try server.adopt(fd: fd)
                listening.append(address)
                logger.info("listening on \(address): inherited socket fd \(fd) (socket activation)")
            }
            return
        }
        for l in settings.listen {
            guard let addr = ListenAddress(parsing: l) else { throw RPCError(.invalidArgument, "listen \(l)") }
            let bound = try server.listen(addr)
            listening.append("\(bound)")
            logger.info("listening on \(bound)")
        }
        if let unix = settings.unix {
            let dir = (unix as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: dir.isEmpty ? "." : dir, withIntermediateDirectories: true)
            let bound = try server.listen(.unix(path: unix))
            listening.append("\(bound)")
            logger.info("listening on \(bound)")
        }
        if listening.isEmpty { throw RPCError(.invalidArgument, "nothing to listen on: set listen or unix") }
    }

    func installSignals() {
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: signalQueue)
            src.setEventHandler { [weak self] in
                if sig == SIGHUP { self?.reload() } else { self?.drain(signal: sig) }
            }
            src.resume()
            signalSources.append(src)
        }
    }

    func drain(signal sig: Int32) {
        guard let server, !server.isDraining else { return }
        let stats = server.stats()
        logger.info("received \(sig == SIGTERM ? "SIGTERM" : "SIGINT"): draining")
        notifier.stopping(status: "draining: \(stats.connections_open) connections, \(stats.calls_in_flight) calls in flight")
        state.serving.store(false)
        server.drain()
    }

    func run() {
        guard let server else { return }
        let (reports, observations) = state.counts()
        logger.info("serving", metadata: ["version": "\(LexstatVersion.string)"])
        notifier.ready(status: "serving on \(listening.joined(separator: ", ")); \(reports) reports, \(observations) observations")
        server.run()
        metricsServer?.stop()
        accessLog.flush()
        logger.info("stopped")
    }
}

/// Breaks the cycle between the method table and ListMethods, which lists it.
final class TableHolder: @unchecked Sendable {
    // Written once before the server starts; read-only afterwards.
    var table = MethodTableBuilder().build()
}

/// Serving state for Health.
final class ServingState: HealthSource, @unchecked Sendable {
    // `serving` is thread-safe; `store` is set once before serving starts.
    let serving = AtomicBool(true)
    let startedAt = ContinuousClock.now
    var store: LexstatStore?
    var isServing: Bool { serving.load() }
    var version: String { LexstatVersion.string }

    func counts() -> (reports: UInt64, observations: UInt64) {
        guard let c = try? store?.counts() else { return (0, 0) }
        return (UInt64(c.reports), UInt64(c.observations))
    }
}

extension Daemon {
    /// Validates every scheme of the folder Score offers (`dir`, else the
    /// shipped examples) and logs each invalid one with its error, so a
    /// broken file is noticed at start or reload, not when someone scores it.
    /// Nothing is refused here: Score answers FAILED_PRECONDITION for such a scheme.
    func checkSchemes(_ store: LexstatStore, dir: String?) {
        let library: SchemeLibrary
        if let dir {
            library = SchemeLibrary(directory: URL(fileURLWithPath: dir, isDirectory: true))
        } else {
            do {
                library = try SchemeLibrary.bundled()
            } catch {
                logger.error("schemes: \(error)")
                return
            }
        }
        let check = library.check(catalog: store.indicators())
        if let why = check.unreadable {
            logger.error("schemes: \(why)")
            return
        }
        for (_, error) in check.invalid {
            logger.error("invalid scheme, Score refuses it until fixed: \(error.message)")
        }
        let bad = check.invalid.map(\.name)
        let summary = "schemes in \(library.directory.path): \(check.valid.count) valid"
            + (check.valid.isEmpty ? "" : " (\(check.valid.joined(separator: ", ")))")
            + (bad.isEmpty ? "" : "; \(bad.count) invalid (\(bad.joined(separator: ", ")))")
        logger.info("\(summary)")
    }

    /// Loads the demo set into an empty database; a database with data is left alone.
    func loadDemo(into store: LexstatStore) throws {
        let (reports, observations) = try store.counts()
        guard reports == 0 && observations == 0 else {
            logger.info("--demo: the database already holds data; not loading the demo set")
            return
        }
        let summary = try Demo.load(into: store)
        logger.info("--demo: loaded \(summary.reports) reports and \(summary.observations) observations")
    }
}
