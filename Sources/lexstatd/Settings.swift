import Foundation
import LexstatService
import Logging

/// What the daemon runs with: built-in defaults, overridden by the
/// configuration file, then by `LEXSTAT_*` environment variables, then by flags.
///
/// Every key is described once in `SettingKey.all` (name, type, whether
/// SIGHUP changes it live); the file, the environment and the flags all go
/// through the same checks.
struct Settings: Equatable, Sendable {
    var listen: [String] = ["127.0.0.1:7433"]
    var unix: String?
    var db = "var/lexstat.db"
    var logLevel: Logger.Level = .info
    var accessLog = true
    var metricsListen: String?
    var workers = 0
    var schemesDir: String?
    var tokensFile: String?
    var readNeedsToken = false
    /// Without a tokens file, take writes over TCP as well as on the Unix socket.
    var tcpWritesWithoutToken = false
    /// 8 MiB: with the rest of the request it fits in the default request limit (16 MiB).
    var maxReportBytes = 8 << 20
    var cacheBytes = 64 << 20
    var limits = ServerLimits()

    /// The configuration file read when neither `--config` nor `LEXSTAT_CONFIG` names one.
    static let defaultConfigPath = "/etc/lexstat/lexstatd.toml"

    /// Bytes of a request kept for what comes with a report: the method name
    /// (≤ 255), the metadata (≤ 8192), the other fields of Ingest and the
    /// protobuf overhead. `limits.max_report_bytes` + this must not exceed
    /// `limits.max_request_bytes`.
    static let requestHeadroom = 64 << 10

    /// Why a report of `maxReportBytes` could not reach the server under a
    /// request limit of `maxRequestBytes`, or nil when it fits. (Frames do not
    /// bound it: a request larger than a frame travels in several.)
    static func reportFitProblem(maxReportBytes: Int, maxRequestBytes: UInt32) -> String? {
        let needed = maxReportBytes + requestHeadroom
        guard needed > Int(maxRequestBytes) else { return nil }
        return "limits.max_report_bytes = \(maxReportBytes) does not fit in limits.max_request_bytes = \(maxRequestBytes) "
            + "with \(requestHeadroom) bytes for the rest of the request: a report that size would be refused as a request "
            + "too large; raise limits.max_request_bytes to at least \(needed) or lower limits.max_report_bytes to at most "
            + "\(max(Int(maxRequestBytes) - requestHeadroom, 0))"
    }
}

/// Where settings come from, kept so that SIGHUP can read them again.
struct SettingsSources: Sendable {
    /// `--config` or `LEXSTAT_CONFIG`; nil: the default path, if that file exists.
    var explicitConfig: String?
    var environment: [String: String]
    /// Flags given on the command line, as (key, value, flag).
    var flags: [(key: String, value: ConfigValue, flag: String)]

    /// The file to read, if any.
    var configPath: String? {
        if let explicitConfig { return explicitConfig }
        return FileManager.default.fileExists(atPath: Settings.defaultConfigPath) ? Settings.defaultConfigPath : nil
    }

    /// Builds the settings.
    ///
    /// - Throws: `ConfigError`: `FILE:LINE: reason`, `LEXSTAT_X: reason` or `--flag: reason`.
    func load() throws(ConfigError) -> Settings {
        var s = Settings()
        // Where each key was last set, to name it when a later check fails.
        var origin: [String: SettingOrigin] = [:]
        if let path = configPath {
            let (entries, tables) = try TOMLSubset.parseDocument(contentsOf: path)
            for t in tables where !SettingKey.tables.contains(t.name) {
                throw ConfigError(source: path, line: t.line, reason: SettingKey.unknownTableReason(t.name))
            }
            for e in entries {
                guard let key = SettingKey.named[e.key] else {
                    throw ConfigError(source: path, line: e.line, reason: SettingKey.unknownKeyReason(e.key))
                }
                do { try key.apply(&s, e.value) } catch {
                    throw ConfigError(source: path, line: e.line, reason: "\(e.key): \(error.reason)")
                }
                origin[e.key] = SettingOrigin(source: path, line: e.line, key: e.key)
            }
        }
        for key in SettingKey.all {
            guard let text = environment[key.env] else { continue }
            do { try key.apply(&s, key.kind.parse(text)) } catch {
                throw ConfigError(source: key.env, reason: error.reason)
            }
            origin[key.name] = SettingOrigin(source: key.env, line: nil, key: nil)
        }
        for f in flags {
            guard let key = SettingKey.named[f.key] else { continue }
            do { try key.apply(&s, f.value) } catch { throw ConfigError(source: f.flag, reason: error.reason) }
            origin[f.key] = SettingOrigin(source: f.flag, line: nil, key: nil)
        }
        if s.readNeedsToken && s.tokensFile == nil {
            throw ConfigError(source: configPath ?? "read_needs_token", reason: "read_needs_token = true needs a tokens_file")
        }
        // Files and folders named must be there now: start-up would fail on them
        // with no place to point at, and under systemd be restarted in a loop.
        if let path = s.tokensFile, let problem = Self.tokensFileProblem(path) {
            throw (origin["tokens_file"] ?? SettingOrigin(source: "tokens_file", line: nil, key: nil)).error(problem)
        }
        if let path = s.schemesDir, let problem = Self.folderProblem(path) {
            throw (origin["schemes_dir"] ?? SettingOrigin(source: "schemes_dir", line: nil, key: nil)).error(problem)
        }
        if let problem = Settings.reportFitProblem(maxReportBytes: s.maxReportBytes, maxRequestBytes: s.limits.maxRequestBytes) {
            throw ConfigError(source: configPath ?? "limits.max_report_bytes", reason: problem)
        }
        return s
    }

    /// Why the tokens file cannot be used, or nil: missing, not a file, open to others, malformed.
    static func tokensFileProblem(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return "\(path): \(String(cString: strerror(errno)))" }
        guard st.st_mode & S_IFMT == S_IFREG else { return "\(path) is not a regular file" }
        do { try TokenStore.check(path: path) } catch { return error.message }
        return nil
    }

    /// Why a folder cannot be used, or nil.
    static func folderProblem(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return "\(path): \(String(cString: strerror(errno)))" }
        guard st.st_mode & S_IFMT == S_IFDIR else { return "\(path) is not a folder" }
        return nil
    }
}

/// Where a setting was given: a line of the file, a variable or a flag.
struct SettingOrigin {
    let source: String
    let line: Int?
    /// The key as the file names it (its errors read `FILE:LINE: key: reason`).
    let key: String?

    func error(_ reason: String) -> ConfigError {
        ConfigError(source: source, line: line, reason: key.map { "\($0): \(reason)" } ?? reason)
    }
}

/// A reason a value was refused.
struct SettingProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// One key of the configuration: its name in the file, its type, how it is
/// checked and stored, and whether SIGHUP applies it without a restart.
struct SettingKey: Sendable {
    enum Kind: Sendable {
        case string, integer, bool, strings

        var noun: String {
            switch self {
            case .string: return "a string"
            case .integer: return "an integer"
            case .bool: return "a boolean (true or false)"
            case .strings: return "an array of strings"
            }
        }

        /// Reads an environment variable's text as a value of this kind.
        func parse(_ text: String) throws(SettingProblem) -> ConfigValue {
            switch self {
            case .string: return .string(text)
            case .integer:
                guard let v = Int64(text.replacingOccurrences(of: "_", with: "")) else {
                    throw SettingProblem("expected an integer, found \"\(text)\"")
                }
                return .integer(v)
            case .bool:
                switch text.lowercased() {
                case "1", "true", "yes", "on": return .bool(true)
                case "0", "false", "no", "off": return .bool(false)
                default: throw SettingProblem("expected true or false, found \"\(text)\"")
                }
            case .strings:
                return .array(text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            }
        }
    }

    let name: String
    let kind: Kind
    /// Applied by SIGHUP without a restart.
    let live: Bool
    let store: @Sendable (inout Settings, ConfigValue) throws(SettingProblem) -> Void
    let show: @Sendable (Settings) -> String

    /// `limits.max_connections` → `LEXSTAT_LIMITS_MAX_CONNECTIONS`.
    var env: String { "LEXSTAT_" + name.uppercased().replacingOccurrences(of: ".", with: "_") }

    /// Checks the value's type, then stores it (which checks the value).
    func apply(_ s: inout Settings, _ value: ConfigValue) throws(SettingProblem) {
        switch (kind, value) {
        case (.string, .string), (.integer, .integer), (.bool, .bool): break
        case (.strings, .array(let items)):
            if let bad = items.first(where: { if case .string = $0 { return false } else { return true } }) {
                throw SettingProblem("expected an array of strings, found \(bad.typeName) in it")
            }
        case (.strings, .string): break // a single address is accepted for a list
        default:
            throw SettingProblem("expected \(kind.noun), found \(value.typeName)")
        }
        try store(&s, value)
    }

    static func string(_ v: ConfigValue) -> String { if case .string(let s) = v { return s }; return "" }
    static func integer(_ v: ConfigValue) -> Int64 { if case .integer(let n) = v { return n }; return 0 }
    static func strings(_ v: ConfigValue) -> [String] {
        switch v {
        case .string(let s): return [s]
        case .array(let items): return items.map { string($0) }
        default: return []
        }
    }

    static func text(_ s: String?) -> String { "\"\(s ?? "")\"" }

    static func limit(_ name: String, _ path: WritableKeyPath<ServerLimits, UInt32> & Sendable, min: Int64, max: Int64 = Int64(UInt32.max)) -> SettingKey {
        SettingKey(name: "limits." + name, kind: .integer, live: true, store: { (s, v) throws(SettingProblem) in
            let n = integer(v)
            guard n >= min else { throw SettingProblem("\(n) is below the minimum, \(min)") }
            guard n <= max else { throw SettingProblem("\(n) is above the maximum, \(max)") }
            s.limits[keyPath: path] = UInt32(n)
        }, show: { String($0.limits[keyPath: path]) })
    }

    /// Every key, in the order of the shipped `lexstatd.toml`.
    static let all: [SettingKey] = [
        SettingKey(name: "listen", kind: .strings, live: false, store: { (s, v) throws(SettingProblem) in
            let list = strings(v)
            for a in list {
                guard case .tcp? = ListenAddress(parsing: a) else {
                    throw SettingProblem("\"\(a)\" is not HOST:PORT (e.g. \"127.0.0.1:7433\"); Unix sockets go in unix")
                }
            }
            s.listen = list
        }, show: { "[" + $0.listen.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }),
        SettingKey(name: "unix", kind: .string, live: false, store: { (s, v) throws(SettingProblem) in
            let p = string(v)
            guard p.utf8.count < 100 else { throw SettingProblem("the socket path is longer than 100 bytes") }
            s.unix = p.isEmpty ? nil : p
        }, show: { text($0.unix) }),
        SettingKey(name: "db", kind: .string, live: false, store: { (s, v) throws(SettingProblem) in
            guard !string(v).isEmpty else { throw SettingProblem("the database path is empty") }
            s.db = string(v)
        }, show: { text($0.db) }),
        SettingKey(name: "log_level", kind: .string, live: true, store: { (s, v) throws(SettingProblem) in
            guard let level = Logger.Level(rawValue: string(v)) else {
                throw SettingProblem("\"\(string(v))\" is not a level: trace, debug, info, notice, warning, error or critical")
            }
            s.logLevel = level
        }, show: { text($0.logLevel.rawValue) }),
        SettingKey(name: "access_log", kind: .bool, live: true, store: { (s, v) throws(SettingProblem) in
            if case .bool(let b) = v { s.accessLog = b }
        }, show: { String($0.accessLog) }),
        SettingKey(name: "metrics_listen", kind: .string, live: false, store: { (s, v) throws(SettingProblem) in
            let a = string(v)
            if a.isEmpty { s.metricsListen = nil; return }
            guard case .tcp? = ListenAddress(parsing: a) else {
                throw SettingProblem("\"\(a)\" is not HOST:PORT (e.g. \"127.0.0.1:9433\"), nor \"\" for none")
            }
            s.metricsListen = a
        }, show: { text($0.metricsListen) }),
        SettingKey(name: "workers", kind: .integer, live: false, store: { (s, v) throws(SettingProblem) in
            let n = integer(v)
            guard (0...256).contains(n) else { throw SettingProblem("\(n) is not in 0…256 (0: one per core)") }
            s.workers = Int(n)
        }, show: { String($0.workers) }),
        SettingKey(name: "cache_bytes", kind: .integer, live: false, store: { (s, v) throws(SettingProblem) in
            let n = integer(v)
            guard n >= 0, n <= 1 << 36 else { throw SettingProblem("\(n) is not in 0…68719476736 (0: no response cache)") }
            s.cacheBytes = Int(n)
        }, show: { String($0.cacheBytes) }),
        SettingKey(name: "schemes_dir", kind: .string, live: true, store: { (s, v) throws(SettingProblem) in
            s.schemesDir = string(v).isEmpty ? nil : string(v)
        }, show: { text($0.schemesDir) }),
        // The file is re-read on SIGHUP; a different path needs a restart.
        SettingKey(name: "tokens_file", kind: .string, live: false, store: { (s, v) throws(SettingProblem) in
            s.tokensFile = string(v).isEmpty ? nil : string(v)
        }, show: { text($0.tokensFile) }),
        SettingKey(name: "read_needs_token", kind: .bool, live: true, store: { (s, v) throws(SettingProblem) in
            if case .bool(let b) = v { s.readNeedsToken = b }
        }, show: { String($0.readNeedsToken) }),
        SettingKey(name: "tcp_writes_without_token", kind: .bool, live: false, store: { (s, v) throws(SettingProblem) in
            if case .bool(let b) = v { s.tcpWritesWithoutToken = b }
        }, show: { String($0.tcpWritesWithoutToken) }),
        limit("max_frame_bytes", \.maxFrameBytes, min: 1024),
        limit("frame_timeout_ms", \.frameTimeoutMs, min: 1),
        limit("idle_timeout_ms", \.idleTimeoutMs, min: 1),
        limit("max_connections", \.maxConnections, min: 1),
        limit("max_calls_per_connection", \.maxCallsPerConnection, min: 1),
        limit("max_output_bytes", \.maxOutputBytes, min: 1024),
        limit("stall_timeout_ms", \.stallTimeoutMs, min: 1),
        limit("drain_timeout_ms", \.drainTimeoutMs, min: 1),
        limit("max_request_bytes", \.maxRequestBytes, min: 1024),
        SettingKey(name: "limits.max_report_bytes", kind: .integer, live: false, store: { (s, v) throws(SettingProblem) in
            let n = integer(v)
            guard n >= 1, n <= 1 << 30 else { throw SettingProblem("\(n) is not in 1…1073741824") }
            s.maxReportBytes = Int(n)
        }, show: { String($0.maxReportBytes) }),
    ]

    static let named: [String: SettingKey] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The `[table]`s keys live in: `limits`.
    static let tables: Set<String> = Set(all.compactMap { k in
        k.name.lastIndex(of: ".").map { String(k.name[..<$0]) }
    })

    /// "[name]: unknown table …", with the nearest known table when one is close.
    static func unknownTableReason(_ name: String) -> String {
        let known = tables.sorted()
        if let best = known.min(by: { editDistance($0, name) < editDistance($1, name) }), editDistance(best, name) <= 3 {
            return "[\(name)]: unknown table; did you mean [\(best)]?"
        }
        return "[\(name)]: unknown table; known tables: " + known.map { "[\($0)]" }.joined(separator: ", ")
    }

    /// "unknown key …", with the nearest known key when one is close.
    static func unknownKeyReason(_ key: String) -> String {
        let best = all.map { ($0.name, editDistance($0.name, key)) }.min { $0.1 < $1.1 }
        if let best, best.1 <= 3 { return "unknown key \(key); did you mean \(best.0)?" }
        if !key.contains("."), let k = all.first(where: { $0.name.hasSuffix("." + key) }) {
            return "unknown key \(key); did you mean \(k.name) (under [\(k.name.split(separator: ".")[0])])?"
        }
        return "unknown key \(key)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }

    /// Keys whose value differs, with both values as shown in logs.
    static func changes(from old: Settings, to new: Settings) -> [(key: SettingKey, old: String, new: String)] {
        all.compactMap { k in
            let (o, n) = (k.show(old), k.show(new))
            return o == n ? nil : (k, o, n)
        }
    }
}
