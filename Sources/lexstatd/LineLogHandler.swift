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
/// Under systemd (`JOURNAL_STREAM` set) each line starts with its syslog
/// priority, `<6>` for info, which journald strips and keeps as the entry's
/// priority, so `journalctl -p warning` filters. A line break in a message or
/// value (a path, something a client sent) is written as `\n`: one event is
/// always one line.
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

    /// Whether stderr goes to journald (systemd sets `JOURNAL_STREAM` for
    /// a unit whose output it reads).
    let journal: Bool

    init(label: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.label = label
        self.journal = !(environment["JOURNAL_STREAM"] ?? "").isEmpty
    }

    /// The syslog priority journald reads from a `<N>` prefix.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// Control characters written so that they cannot break the line.
    static func escape(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where c.value < 0x20 || c.value == 0x7F: out += String(format: "\\x%02X", c.value)
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// The line written for an event, with its line break.
    func format(_ event: LogEvent) -> String {
        var line = journal ? "<\(LineLogHandler.priority(event.level))>" : ""
        line += timestamp()
        line += " \(event.level) \(label): \(LineLogHandler.escape("\(event.message)"))"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (k, v) in merged.sorted(by: { $0.key < $1.key }) {
            let s = LineLogHandler.escape("\(v)")
            line += s.contains(" ") || s.isEmpty ? " \(k)=\"\(s)\"" : " \(k)=\(s)"
        }
        return line + "\n"
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        FileHandle.standardError.write(Data(format(event).utf8))
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
