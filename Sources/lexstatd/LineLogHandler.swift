import Foundation
import Logging
import Synchronization

/// The least level logged, shared by every logger of the process so that
/// SIGHUP can change it for all of them at once.
final class LogLevelSwitch: Sendable {
    static let shared = LogLevelSwitch()
    private let raw = Atomic<UInt8>(UInt8(Logger.Level.allCases.firstIndex(of: .info)!))

    var level: Logger.Level {
        get { Logger.Level.allCases[Int(raw.load(ordering: .relaxed))] }
        set { raw.store(UInt8(Logger.Level.allCases.firstIndex(of: newValue)!), ordering: .relaxed) }
    }
}

/// One line per event on stderr, for journald:
/// `2026-11-22T05:50:00.123Z info lexstatd: listening on 127.0.0.1:7433 key=value`.
///
/// The level is the process-wide `LogLevelSwitch`: setting `logLevel` on any
/// logger changes it everywhere (that is what a reload wants).
struct LineLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]

    var logLevel: Logger.Level {
        get { LogLevelSwitch.shared.level }
        set { LogLevelSwitch.shared.level = newValue }
    }

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = timestamp()
        line += " \(event.level) \(label): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (k, v) in merged.sorted(by: { $0.key < $1.key }) {
            let s = "\(v)"
            line += s.contains(" ") || s.isEmpty ? " \(k)=\"\(s)\"" : " \(k)=\(s)"
        }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = time_t(tv.tv_sec)
        var tm = tm()
        gmtime_r(&t, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec, Int(tv.tv_usec / 1000))
    }
}
