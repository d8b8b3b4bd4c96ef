import Foundation
import Synchronization

/// The daemon's counters, rendered as Prometheus text by `render()`.
///
/// A call costs a few relaxed atomic increments (`MethodMetrics.record`);
/// nothing is locked on the path of a call. Methods are registered once, when
/// a server is built from its method table, and looked up by the server
/// without a lock afterwards. Other parts of the daemon add what they know
/// (connections, store counts) as collectors that run at scrape time.
public final class Metrics: Sendable {
    /// The process-wide metrics: what `lexstatd` serves at `/metrics`.
    public static let shared = Metrics()

    /// Calls to a method the table does not have.
    public let unknownMethod = MethodMetrics(name: "unknown")

    private let methods = Mutex<[String: MethodMetrics]>([:])
    private let collectors = Mutex<[@Sendable (inout PrometheusText) -> Void]>([])
    private let lastIngestMs = Atomic<Int64>(0)
    private let startedMs = Atomic<Int64>(Metrics.nowMs())

    public init() {}

    /// The metrics of a method, created on first use.
    public func method(_ name: String) -> MethodMetrics {
        methods.withLock { m in
            if let existing = m[name] { return existing }
            let created = MethodMetrics(name: name)
            m[name] = created
            return created
        }
    }

    /// Records that a report was ingested now: `lexstat_last_ingest_timestamp_seconds`.
    ///
    /// Thread-safe; the ingest handler calls it after each stored report.
    public func ingested(at date: Date = Date()) {
        lastIngestMs.store(Int64(date.timeIntervalSince1970 * 1000), ordering: .relaxed)
    }

    /// When a report was last ingested, if ever since start.
    public var lastIngest: Date? {
        let ms = lastIngestMs.load(ordering: .relaxed)
        return ms == 0 ? nil : Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    /// Adds a collector: it runs at every scrape, on the scraping thread, and
    /// writes its families into the text. It must be thread-safe and quick.
    public func addCollector(_ collector: @escaping @Sendable (inout PrometheusText) -> Void) {
        collectors.withLock { $0.append(collector) }
    }

    /// Everything, in the Prometheus text exposition format (version 0.0.4).
    public func render() -> String {
        var t = PrometheusText()
        let all = methods.withLock { Array($0.values) }.sorted { $0.name < $1.name } + [unknownMethod]

        t.family("lexstat_calls_total", "counter", "Calls answered, by method and status.")
        for m in all {
            for (code, n) in m.statusCounts() where n > 0 {
                t.sample("lexstat_calls_total", [("method", m.name), ("status", MethodMetrics.statusName(code))], n)
            }
        }

        t.family("lexstat_call_duration_seconds", "histogram",
                 "Time from a request's arrival to its answer, by method.")
        for m in all {
            let counts = m.bucketCounts()
            let total = counts.reduce(0, +)
            guard total > 0 else { continue }
            var cumulative: UInt64 = 0
            for (i, bound) in MethodMetrics.bucketBounds.enumerated() {
                cumulative += counts[i]
                t.sample("lexstat_call_duration_seconds_bucket", [("method", m.name), ("le", bound.label)], cumulative)
            }
            t.sample("lexstat_call_duration_seconds_bucket", [("method", m.name), ("le", "+Inf")], total)
            t.sample("lexstat_call_duration_seconds_sum", [("method", m.name)], Double(m.sumNanos) / 1e9)
            t.sample("lexstat_call_duration_seconds_count", [("method", m.name)], total)
        }

        let ingest = lastIngestMs.load(ordering: .relaxed)
        t.family("lexstat_last_ingest_timestamp_seconds", "gauge",
                 "When a report was last ingested (Unix time); 0 if none since start.")
        t.sample("lexstat_last_ingest_timestamp_seconds", [], Double(ingest) / 1000)
        t.family("process_start_time_seconds", "gauge", "When the process started (Unix time).")
        t.sample("process_start_time_seconds", [], Double(startedMs.load(ordering: .relaxed)) / 1000)

        for c in collectors.withLock({ $0 }) { c(&t) }
        return t.text
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// The counters of one method: calls by status and a latency histogram.
// The pointers are allocated in init, freed in deinit and only ever reached
// through atomics, so the instance may be shared between threads.
public final class MethodMetrics: @unchecked Sendable {
    /// Upper bounds of the latency buckets, in nanoseconds, with their labels.
    static let bucketBounds: [(nanos: UInt64, label: String)] = [
        (50_000, "5e-05"), (100_000, "0.0001"), (250_000, "0.00025"), (500_000, "0.0005"),
        (1_000_000, "0.001"), (2_500_000, "0.0025"), (5_000_000, "0.005"), (10_000_000, "0.01"),
        (25_000_000, "0.025"), (50_000_000, "0.05"), (100_000_000, "0.1"), (250_000_000, "0.25"),
        (500_000_000, "0.5"), (1_000_000_000, "1"), (2_500_000_000, "2.5"), (5_000_000_000, "5"),
        (10_000_000_000, "10"),
    ]
    static let statusNames = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED",
    ]
    /// Status codes 0…16, then one slot for anything else (counted as UNKNOWN).
    static let statusSlots = 18

    public let name: String
    // Fixed-size arrays of atomics: a call touches three of them.
    private let byStatus: UnsafeMutablePointer<Atomic<UInt64>>
    private let buckets: UnsafeMutablePointer<Atomic<UInt64>>
    private let sum = Atomic<UInt64>(0)

    init(name: String) {
        self.name = name
        byStatus = .allocate(capacity: Self.statusSlots)
        for i in 0..<Self.statusSlots { (byStatus + i).initialize(to: Atomic(0)) }
        buckets = .allocate(capacity: Self.bucketBounds.count + 1)
        for i in 0...Self.bucketBounds.count { (buckets + i).initialize(to: Atomic(0)) }
    }

    deinit {
        byStatus.deinitialize(count: Self.statusSlots)
        byStatus.deallocate()
        buckets.deinitialize(count: Self.bucketBounds.count + 1)
        buckets.deallocate()
    }

    /// Counts one call. Thread-safe, lock-free.
    ///
    /// - Parameters:
    ///   - status: the gRPC status code answered.
    ///   - nanos: from the request's arrival to the answer.
    @inline(__always)
    public func record(status: Int, nanos: UInt64) {
        let slot = (0..<Self.statusSlots - 1).contains(status) ? status : Self.statusSlots - 1
        byStatus[slot].wrappingAdd(1, ordering: .relaxed)
        var b = 0
        let bounds = Self.bucketBounds
        while b < bounds.count && nanos > bounds[b].nanos { b += 1 }
        buckets[b].wrappingAdd(1, ordering: .relaxed)
        sum.wrappingAdd(nanos, ordering: .relaxed)
    }

    /// Calls answered with `status`.
    public func count(status: Int) -> UInt64 {
        let slot = (0..<Self.statusSlots - 1).contains(status) ? status : Self.statusSlots - 1
        return byStatus[slot].load(ordering: .relaxed)
    }

    func statusCounts() -> [(Int, UInt64)] {
        (0..<Self.statusSlots).map { ($0, byStatus[$0].load(ordering: .relaxed)) }
    }

    func bucketCounts() -> [UInt64] {
        (0...Self.bucketBounds.count).map { buckets[$0].load(ordering: .relaxed) }
    }

    var sumNanos: UInt64 { sum.load(ordering: .relaxed) }

    static func statusName(_ code: Int) -> String {
        statusNames.indices.contains(code) ? statusNames[code] : "UNKNOWN"
    }
}

/// Builds Prometheus text: `# HELP`/`# TYPE` lines, then samples.
public struct PrometheusText: Sendable {
    public private(set) var text = ""

    public init() {}

    /// Starts a metric family.
    public mutating func family(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// One sample of an integer value.
    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: UInt64) {
        line(name, labels, String(value))
    }

    /// One sample of a real value.
    public mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        line(name, labels, value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
    }

    /// A family with a single sample.
    public mutating func single(_ name: String, _ type: String, _ help: String, _ value: UInt64) {
        family(name, type, help)
        sample(name, [], value)
    }

    private mutating func line(_ name: String, _ labels: [(String, String)], _ value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            text += labels.map { "\($0.0)=\"\(PrometheusText.escape($0.1))\"" }.joined(separator: ",")
            text += "}"
        }
        text += " \(value)\n"
    }

    /// Escapes a label value: backslash, double quote and line feed.
    static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
