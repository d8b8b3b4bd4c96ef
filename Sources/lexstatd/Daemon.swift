import Foundation
import LexstatCore
import LexstatRPC
import LexstatService
import Logging

/// The running daemon: the server, its state, its signal handling.
final class Daemon: @unchecked Sendable {
    // Set up once in start() on the main thread, read afterwards.
    let logger: Logger
    let state = ServingState()
    var server: RPCServer?
    var signalSources: [any DispatchSourceSignal] = []

    init(logger: Logger) { self.logger = logger }

    func start(listen: [String], unix: String?, db: String, demo: Bool, limits: ServerLimits,
               workers: Int?, testMethods: Bool, maxReportBytes: Int, tokensFile: String?, readNeedsToken: Bool,
               schemesDir: String? = nil) throws {
        var tokens: TokenStore?
        if let tokensFile {
            tokens = try TokenStore(path: tokensFile, readsNeedToken: readNeedsToken)
            logger.info("writes need a token from \(tokensFile)\(readNeedsToken ? "; reads too" : "")")
        } else {
            logger.warning("no --tokens-file: any client may write")
        }
        let dbURL = URL(fileURLWithPath: db)
        try FileManager.default.createDirectory(at: dbURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let opened = ContinuousClock.now
        let store = try LexstatStore(path: db)
        let (reports, observations) = try store.counts()
        logger.info("opened \(db): \(reports) reports, \(observations) observations, \(store.regions.count) regions",
                    metadata: ["ms": "\((ContinuousClock.now - opened).components.attoseconds / 1_000_000_000_000_000 + (ContinuousClock.now - opened).components.seconds * 1000)"])
        if demo {
            try loadDemo(into: store)
        }
        state.store = store

        var builder = MethodTableBuilder()
        let holder = TableHolder()
        builder.addHealth(state) { holder.table }
        builder.addCatalog(store)
        builder.addReports(store)
        builder.addObservations(store)
        builder.addExtraction(store, maxBytes: maxReportBytes)
        builder.addAssessment(store, schemesDir: schemesDir.map { URL(fileURLWithPath: $0, isDirectory: true) })
        if testMethods { builder.addTesting() }
        let table = builder.build()
        holder.table = table

        let server = try RPCServer(table: table, limits: limits,
                                   workers: workers ?? ProcessInfo.processInfo.activeProcessorCount, tokens: tokens, logger: logger)
        for l in listen {
            guard let addr = ListenAddress(parsing: l) else { throw RPCError(.invalidArgument, "--listen \(l)") }
            let bound = try server.listen(addr)
            logger.info("listening on \(bound)")
        }
        if let unix {
            try FileManager.default.createDirectory(atPath: (unix as NSString).deletingLastPathComponent.isEmpty
                                                    ? "." : (unix as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            let bound = try server.listen(.unix(path: unix))
            logger.info("listening on \(bound)")
        }
        self.server = server
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue(label: "lexstatd.signals"))
            src.setEventHandler { [weak self] in self?.drain(signal: sig) }
            src.resume()
            signalSources.append(src)
        }
    }

    func drain(signal sig: Int32) {
        guard let server, !server.isDraining else { return }
        logger.info("received \(sig == SIGTERM ? "SIGTERM" : "SIGINT"): draining")
        state.serving.store(false)
        server.drain()
    }

    func run() {
        guard let server else { return }
        logger.info("serving", metadata: ["version": "\(LexstatVersion.string)"])
        server.run()
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
