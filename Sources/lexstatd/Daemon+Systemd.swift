import Foundation
import LexstatService
import Synchronization

/// When the event loop last ran its tick: `/healthz` reports a loop that
/// stopped ticking, and systemd's watchdog stops getting pings.
final class Liveness: Sendable {
    private let lastTickNanos = Atomic<UInt64>(0)

    func tick() { lastTickNanos.store(Liveness.now(), ordering: .relaxed) }

    /// Seconds since the last tick, or nil before the first.
    var secondsSinceTick: Double? {
        let t = lastTickNanos.load(ordering: .relaxed)
        return t == 0 ? nil : Double(Liveness.now() &- t) / 1e9
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

extension Daemon {
    /// Ticks on the event loop: liveness every second, and `WATCHDOG=1` at
    /// half of `WATCHDOG_USEC` when systemd asks for it. Sent from the loop
    /// thread, so a hung loop stops the pings and systemd restarts the service.
    func startTick(_ server: RPCServer) {
        let half = notifier.watchdogMicroseconds.map { max(1, $0 / 2000) } // ms
        let period = UInt32(min(1000, half ?? 1000))
        let notifier = self.notifier
        let liveness = self.liveness
        let lastPing = Atomic<UInt64>(0)
        liveness.tick()
        if let half {
            logger.info("systemd watchdog: pinging every \(half) ms from the event loop")
            notifier.watchdog()
        }
        // Every 10 s, what `systemctl status` shows: connections and the call rate.
        let statusEvery = UInt64(10_000 / period)
        let ticks = Atomic<UInt64>(0)
        let callsAtLastStatus = Atomic<UInt64>(0)
        let listening = self.listening.joined(separator: ", ")
        server.every(milliseconds: period) { [weak server] in
            liveness.tick()
            let n = ticks.add(1, ordering: .relaxed).newValue
            if notifier.isEnabled, n % statusEvery == 0, let s = server?.stats(), !(server?.isDraining ?? true) {
                let calls = s.calls_started &- callsAtLastStatus.exchange(s.calls_started, ordering: .relaxed)
                notifier.status("serving on \(listening); \(s.connections_open) connections, \(calls) calls in the last 10 s")
            }
            guard let half else { return }
            let now = Liveness.now()
            // Ping when the next tick would be past half the interval.
            if (now &- lastPing.load(ordering: .relaxed)) / 1_000_000 + UInt64(period) > half {
                notifier.watchdog()
                lastPing.store(now, ordering: .relaxed)
            }
        }
    }

    /// `/healthz`: ok while serving with a live loop.
    func health() -> (ok: Bool, text: String) {
        if server?.isDraining ?? false { return (false, "draining") }
        if let age = liveness.secondsSinceTick, age > 5 {
            return (false, "event loop stalled for \(Int(age)) s")
        }
        return (true, "ok")
    }
}
