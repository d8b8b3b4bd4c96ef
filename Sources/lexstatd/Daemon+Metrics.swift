import Foundation
import LexstatRPC
import LexstatService
import LexstatCore
import Synchronization

extension Daemon {
    /// Registers what the daemon knows with the metrics and, with
    /// `metrics_listen`, serves them over HTTP.
    func startMetrics(_ server: RPCServer, _ store: LexstatStore) throws {
        server.addMetrics(to: metrics)
        let state = self.state
        let accessLog = self.accessLog
        let reloads = self.reloads
        metrics.addCollector { t in
            let (reports, observations) = state.counts()
            t.single("lexstat_reports_stored", "gauge", "Reports in the store.", reports)
            t.single("lexstat_observations_stored", "gauge", "Observations in the store.", observations)
            t.single("lexstat_access_log_dropped_total", "counter",
                     "Access-log lines dropped because stderr was too slow.", accessLog.dropped)
            t.family("lexstat_config_reloads_total", "counter", "SIGHUP reloads, by result.")
            t.sample("lexstat_config_reloads_total", [("result", "ok")], reloads.ok.load(ordering: .relaxed))
            t.sample("lexstat_config_reloads_total", [("result", "error")], reloads.failed.load(ordering: .relaxed))
            t.family("lexstat_build_info", "gauge", "The version of lexstatd.")
            t.sample("lexstat_build_info", [("version", LexstatVersion.string)], UInt64(1))
        }
        guard let address = settings.metricsListen else { return }
        guard case .tcp(let host, let port)? = ListenAddress(parsing: address) else {
            throw ConfigError(source: "metrics_listen", reason: "\(address) is not HOST:PORT")
        }
        let metrics = self.metrics
        let m = try MetricsServer(host: host, port: port, metrics: { metrics.render() },
                                  health: { [weak self] in self?.health() ?? (false, "stopping") })
        metricsServer = m
        logger.info("metrics on http://\(m.address)/metrics")
    }
}

/// Counts of SIGHUP reloads.
final class ReloadCounters: Sendable {
    let ok = Atomic<UInt64>(0)
    let failed = Atomic<UInt64>(0)
}
