import Foundation
import LexstatService
import Logging

/// Called on SIGHUP after the new settings were read, with the old and the
/// new; runs on the signal queue, so it may take its time (read a file)
/// without holding up calls.
typealias ReloadHook = @Sendable (_ old: Settings, _ new: Settings) -> Void

extension Daemon {
    /// Adds a hook run on every successful reload.
    func onReload(_ hook: @escaping ReloadHook) {
        reloadHooks.append(hook)
    }

    /// The reload hooks of what the daemon owns.
    func registerReloadHooks() {
        // Score reads its schemes from the folder on each call: a new folder
        // (or a scheme edited in place) is in force for the next call. Each
        // scheme is checked again, and an invalid one logged.
        onReload { [self] _, new in
            self.schemesDir.withLock { $0 = new.schemesDir }
            if let store = self.state.store { self.checkSchemes(store, dir: new.schemesDir) }
        }
        // The tokens file is read again on every reload: tokens added or
        // revoked take effect at once (its path needs a restart).
        if let tokens {
            onReload { [logger] _, new in
                do {
                    let n = try tokens.reload(readsNeedToken: new.readNeedsToken)
                    logger.info("tokens: \(n) in force from \(tokens.path)\(new.readNeedsToken ? "; reads need one too" : "")")
                } catch {
                    logger.error("tokens: not reloaded, keeping those in force: \(error)")
                }
            }
        }
    }

    /// SIGHUP: reads the configuration again and applies what can change
    /// live (log level, access log, limits, the tokens, schemes folder)
    /// without touching a connection; what needs a restart is logged and left
    /// as it is. An invalid file changes nothing. On `signalQueue`.
    func reload() {
        notifier.reloading()
        let file = sources.configPath ?? "(no file: built-in defaults)"
        let old = settings
        let new: Settings
        do {
            new = try sources.load()
        } catch {
            reloads.failed.wrappingAdd(1, ordering: .relaxed)
            logger.error("SIGHUP: not reloaded, keeping the running configuration: \(error)")
            notifier.ready(status: "serving; the last reload failed: \(error)")
            return
        }
        // limits.max_report_bytes waits for a restart, so the report limit in
        // force is the old one: a new request limit must still carry it.
        if let problem = Settings.reportFitProblem(maxReportBytes: old.maxReportBytes, maxRequestBytes: new.limits.maxRequestBytes) {
            reloads.failed.wrappingAdd(1, ordering: .relaxed)
            logger.error("SIGHUP: not reloaded, keeping the running configuration: \(file): the running \(problem)")
            notifier.ready(status: "serving; the last reload failed: the report limit does not fit in the new request limit")
            return
        }
        var applied = old
        var lines: [String] = []
        var restartOnly: [String] = []
        for change in SettingKey.changes(from: old, to: new) {
            if change.key.live {
                lines.append("\(change.key.name): \(change.old) → \(change.new)")
            } else {
                restartOnly.append("\(change.key.name): \(change.old) → \(change.new)")
            }
        }
        applied.logLevel = new.logLevel
        applied.accessLog = new.accessLog
        applied.limits = new.limits
        let (connections, warning) = Daemon.fitConnections(new.limits.maxConnections)
        if let warning { logger.warning("\(warning)") }
        applied.limits.maxConnections = connections
        applied.readNeedsToken = tokens == nil ? old.readNeedsToken : new.readNeedsToken
        applied.schemesDir = new.schemesDir

        // Say what changed at the more verbose of the two levels.
        let quieter = new.logLevel > old.logLevel
        if !quieter { LogLevelSwitch.shared.level = new.logLevel }
        logger.info("SIGHUP: reloaded \(file)\(lines.isEmpty ? "; nothing to change live" : "")")
        for l in lines { logger.info("changed \(l)") }
        for l in restartOnly { logger.warning("changed \(l); takes effect at the next restart") }
        if quieter { LogLevelSwitch.shared.level = new.logLevel }
        logger.debug("reload done", metadata: ["changes": "\(lines.count)"])

        accessLog.isEnabled = new.accessLog
        if applied.limits != old.limits { server?.setLimits(applied.limits) }
        settings = applied
        for hook in reloadHooks { hook(old, applied) }
        reloads.ok.wrappingAdd(1, ordering: .relaxed)
        notifier.ready(status: "serving on \(listening.joined(separator: ", ")); reloaded")
    }
}
