import Foundation
import Synchronization

/// One line per call, in the format of the daemon's other log lines:
/// `2026-11-22T06:30:00.123Z info lexstatd.access: call method=… status=OK ms=0.042 peer=127.0.0.1:55012 request_id=r-1`.
///
/// Lines are formatted on the thread that ends the call, with no lock held,
/// and handed to a `LineWriter` that writes them from its own thread: a slow
/// stderr (journald under pressure) never blocks the event loop; if the
/// writer falls more than its buffer behind, lines are dropped and counted.
/// When switched off, a call costs one atomic load here.
public final class AccessLog: Sendable {
    private let enabled: Atomic<Bool>
    private let writer: LineWriter
    private let label: String
    private let journal: Bool

    /// - Parameters:
    ///   - enabled: whether lines are written at first (see `isEnabled`).
    ///   - writer: where lines go; stderr by default.
    ///   - label: the logger label on each line.
    ///   - journal: whether stderr goes to journald: each line then starts
    ///     with the syslog priority `<6>` (info), as the daemon's other lines.
    public init(enabled: Bool, writer: LineWriter = .standardError, label: String = "lexstatd.access",
                journal: Bool = false) {
        self.enabled = Atomic(enabled)
        self.writer = writer
        self.label = label
        self.journal = journal
    }

    /// Whether calls are logged. Thread-safe; may change at any time (SIGHUP).
    public var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }

    /// Lines dropped because the writer was too far behind.
    public var dropped: UInt64 { writer.dropped }

    /// Writes the line of one call (if enabled).
    ///
    /// - Parameters:
    ///   - method: the method as the client named it (escaped here).
    ///   - status: the gRPC status code answered.
    ///   - nanos: from the request's arrival to the answer.
    ///   - peer: the client's address.
    ///   - requestID: metadata `request-id`, if the client sent one (escaped, cut to 128 bytes).
    public func call(method: String, status: Int, nanos: UInt64, peer: String, requestID: String?) {
        guard isEnabled else { return }
        var line = [UInt8]()
        line.reserveCapacity(160 + method.utf8.count + (requestID?.utf8.count ?? 0))
        if journal { line.append(contentsOf: "<6>".utf8) }
        LogTime.appendTimestamp(to: &line)
        line.append(contentsOf: " info ".utf8)
        line.append(contentsOf: label.utf8)
        line.append(contentsOf: ": call method=".utf8)
        AccessLog.appendValue(method, to: &line)
        line.append(contentsOf: " status=".utf8)
        line.append(contentsOf: MethodMetrics.statusName(status).utf8)
        line.append(contentsOf: " ms=".utf8)
        let micros = nanos / 1000
        line.append(contentsOf: String(micros / 1000).utf8)
        line.append(UInt8(ascii: "."))
        let frac = micros % 1000
        if frac < 100 { line.append(UInt8(ascii: "0")) }
        if frac < 10 { line.append(UInt8(ascii: "0")) }
        line.append(contentsOf: String(frac).utf8)
        line.append(contentsOf: " peer=".utf8)
        AccessLog.appendValue(peer, to: &line)
        if let requestID {
            line.append(contentsOf: " request_id=".utf8)
            AccessLog.appendValue(requestID, to: &line)
        }
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { writer.append($0) }
    }

    /// Waits until every line so far is written.
    public func flush() { writer.flush() }

    /// Appends a value as the other log lines do (`k=v`, or `k="v w"`), and
    /// escapes what a client could use to forge lines: quotes, backslashes
    /// and control characters. Values longer than 128 bytes are cut.
    static func appendValue(_ s: String, to line: inout [UInt8]) {
        let bytes = s.utf8
        let cut = bytes.count > 128
        var plain = !bytes.isEmpty && !cut
        if plain {
            for b in bytes where b <= 0x20 || b == 0x22 || b == 0x5C || b == 0x7F { plain = false; break }
        }
        if plain {
            line.append(contentsOf: bytes)
            return
        }
        line.append(UInt8(ascii: "\""))
        var n = 0
        let hex = Array("0123456789abcdef".utf8)
        for b in bytes {
            if n >= 128 { break }
            n += 1
            switch b {
            case 0x22: line.append(contentsOf: [0x5C, 0x22])
            case 0x5C: line.append(contentsOf: [0x5C, 0x5C])
            case 0x20: line.append(b)
            case 0..<0x20, 0x7F: line.append(contentsOf: [0x5C, UInt8(ascii: "x"), hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: line.append(b)
            }
        }
        if cut { line.append(contentsOf: "…".utf8) }
        line.append(UInt8(ascii: "\""))
    }
}

/// Writes whole lines to a file descriptor from a thread of its own.
///
/// `append` copies the bytes into a buffer under a short lock (no formatting
/// inside it) and returns; the thread writes the buffer out. Past
/// `maxBuffered` unwritten bytes, lines are dropped and counted.
public final class LineWriter: @unchecked Sendable {
    /// Standard error, with a 4 MiB buffer.
    public static let standardError = LineWriter(fd: 2)

    // Guarded by `condition`: pending, writing, started.
    private let condition = NSCondition()
    private var pending: [UInt8] = []
    private var writing = false
    private var started = false
    private let fd: Int32
    private let maxBuffered: Int
    private let droppedCount = Atomic<UInt64>(0)

    /// - Parameters:
    ///   - fd: the descriptor written to; the writer never closes it.
    ///   - maxBuffered: unwritten bytes kept before lines are dropped.
    public init(fd: Int32, maxBuffered: Int = 4 << 20) {
        self.fd = fd
        self.maxBuffered = maxBuffered
    }

    /// Lines dropped so far.
    public var dropped: UInt64 { droppedCount.load(ordering: .relaxed) }

    /// Queues bytes (whole lines). Thread-safe; never blocks on I/O.
    public func append(_ bytes: UnsafeRawBufferPointer) {
        condition.lock()
        if !started {
            started = true
            let t = Thread { [self] in run() }
            t.name = "lexstat-log-writer"
            t.stackSize = 256 << 10
            t.start()
        }
        guard pending.count + bytes.count <= maxBuffered else {
            condition.unlock()
            droppedCount.wrappingAdd(1, ordering: .relaxed)
            return
        }
        let wasEmpty = pending.isEmpty
        pending.append(contentsOf: bytes)
        if wasEmpty { condition.broadcast() }
        condition.unlock()
    }

    /// Waits until everything queued so far is written (at most 5 seconds).
    public func flush() {
        let end = Date().addingTimeInterval(5)
        condition.lock()
        while (!pending.isEmpty || writing) && condition.wait(until: end) {}
        condition.unlock()
    }

    private func run() {
        var chunk: [UInt8] = []
        while true {
            condition.lock()
            while pending.isEmpty { condition.wait() }
            swap(&chunk, &pending)
            writing = true
            condition.unlock()

            // Whole lines, at most PIPE_BUF (4096) bytes per write: the kernel
            // keeps such writes whole, so the daemon's other log lines, written
            // to the same stderr from other threads, never land inside one.
            chunk.withUnsafeBytes { buf in
                var start = 0
                while start < buf.count {
                    var end = min(buf.count, start + 4096)
                    if end < buf.count {
                        var cut = end
                        while cut > start && buf[cut - 1] != 0x0A { cut -= 1 }
                        if cut > start { end = cut } // else one line longer than 4096: as it is
                    }
                    var off = start
                    while off < end {
                        let n = write(fd, buf.baseAddress! + off, end - off)
                        if n > 0 { off += n; continue }
                        if n < 0 && errno == EINTR { continue }
                        if n < 0 && errno == EAGAIN { usleep(1000); continue }
                        return // EPIPE, EBADF…: the lines are lost; nothing better to do
                    }
                    start = end
                }
            }
            chunk.removeAll(keepingCapacity: chunk.count <= 1 << 20)

            condition.lock()
            writing = false
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// Timestamps of log lines: `2026-11-22T06:30:00.123Z` (UTC, milliseconds).
public enum LogTime {
    /// Appends the current time.
    public static func appendTimestamp(to line: inout [UInt8]) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var tm = tm()
        gmtime_r(&t, &tm)
        func put(_ v: Int32, _ width: Int) {
            var div: Int32 = 1
            for _ in 1..<width { div *= 10 }
            var x = v
            while div > 0 {
                line.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: (x / div) % 10))
                x %= div
                div /= 10
            }
        }
        put(tm.tm_year + 1900, 4); line.append(UInt8(ascii: "-"))
        put(tm.tm_mon + 1, 2); line.append(UInt8(ascii: "-"))
        put(tm.tm_mday, 2); line.append(UInt8(ascii: "T"))
        put(tm.tm_hour, 2); line.append(UInt8(ascii: ":"))
        put(tm.tm_min, 2); line.append(UInt8(ascii: ":"))
        put(tm.tm_sec, 2); line.append(UInt8(ascii: "."))
        put(Int32(ts.tv_nsec / 1_000_000), 3); line.append(UInt8(ascii: "Z"))
    }

    /// The current time as text.
    public static func now() -> String {
        var b: [UInt8] = []
        appendTimestamp(to: &b)
        return String(decoding: b, as: UTF8.self)
    }
}
