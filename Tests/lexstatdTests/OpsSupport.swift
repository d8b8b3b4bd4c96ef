import Foundation
import XCTest

/// A lexstatd started with posix_spawn, so a test controls what systemd
/// would: the environment (NOTIFY_SOCKET, WATCHDOG_USEC, LISTEN_FDS) and
/// the descriptors from 3 on (socket activation). Foundation's Process
/// closes every descriptor above 2 in the child, hence this helper.
final class OpsDaemon: @unchecked Sendable {
    // `lines` and `pending` are guarded by `lock`; the rest is set in init.
    let pid: pid_t
    let dir: URL
    private let lock = NSLock()
    private var lines: [String] = []
    private var pending = ""
    private var exitStatus: Int32?
    private let stderrRead: Int32

    /// Where the built binaries are (as DaemonProcess finds them).
    static var lexstatd: String { DaemonProcess.productsDirectory.appendingPathComponent("lexstatd").path }

    /// Starts lexstatd.
    ///
    /// - Parameters:
    ///   - arguments: its arguments.
    ///   - environment: added to the test's environment (from which NOTIFY_SOCKET,
    ///     LISTEN_* and WATCHDOG_* are removed first).
    ///   - inherit: descriptors passed as 3, 4, … (socket activation); when
    ///     given, LISTEN_FDS is set and LISTEN_PID is the daemon's own pid.
    init(_ arguments: [String], environment: [String: String] = [:], inherit: [Int32] = [], dir: URL? = nil) throws {
        self.dir = try dir ?? OpsDaemon.makeTemporaryDirectory()
        var env = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("LISTEN_") && !$0.key.hasPrefix("WATCHDOG_") && $0.key != "NOTIFY_SOCKET"
                && !$0.key.hasPrefix("LEXSTAT_")
        }
        for (k, v) in environment { env[k] = v }
        var argv: [String]
        if inherit.isEmpty {
            argv = [OpsDaemon.lexstatd] + arguments
        } else {
            // systemd sets LISTEN_PID to the service's pid; a shell that execs keeps its pid.
            env["LISTEN_FDS"] = String(inherit.count)
            argv = ["/bin/sh", "-c", "LISTEN_PID=$$; export LISTEN_PID; exec \"$0\" \"$@\"", OpsDaemon.lexstatd] + arguments
        }

        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        stderrRead = fds[0]

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        // Move each inherited socket out of the way first, so that dup2 onto
        // 3, 4, … never meets a descriptor it is about to use.
        var high: [Int32] = []
        for fd in inherit {
            let h = fcntl(fd, F_DUPFD_CLOEXEC, 200)
            guard h >= 0 else { throw POSIXError(.EMFILE) }
            high.append(h)
        }
        defer { for h in high { close(h) } }
        for (i, h) in high.enumerated() { posix_spawn_file_actions_adddup2(&actions, h, Int32(3 + i)) }

        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, argv[0], &actions, nil, cArgs, cEnv)
        close(fds[1])
        guard rc == 0 else { close(fds[0]); throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
        pid = child

        let t = Thread { [self] in readStderr() }
        t.start()
    }

    static func makeTemporaryDirectory() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("lexstatd-ops-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    private func readStderr() {
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(stderrRead, &buf, buf.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            lock.lock()
            pending += String(decoding: buf[0..<n], as: UTF8.self)
            while let nl = pending.firstIndex(of: "\n") {
                lines.append(String(pending[..<nl]))
                pending = String(pending[pending.index(after: nl)...])
            }
            lock.unlock()
        }
        close(stderrRead)
    }

    /// Everything logged so far.
    var log: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }

    /// Lines logged so far.
    var logLines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    /// Waits for a log line containing `text`, at or after line `from`.
    func waitForLine(containing text: String, from: Int = 0, timeout: TimeInterval = 20) -> String? {
        let end = Date().addingTimeInterval(timeout)
        var exitedAt: Date?
        while Date() < end {
            lock.lock()
            let hit = lines.dropFirst(from).first { $0.contains(text) }
            lock.unlock()
            if let hit { return hit }
            if !isRunning {
                // Gone: give the reader a moment to drain the pipe, then stop waiting.
                if let t = exitedAt { if Date().timeIntervalSince(t) > 0.3 { break } } else { exitedAt = Date() }
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        lock.lock()
        defer { lock.unlock() }
        return lines.dropFirst(from).first { $0.contains(text) }
    }

    /// The port of the first `listening on 127.0.0.1:PORT` line.
    func tcpPort(timeout: TimeInterval = 20) -> Int? {
        waitForLine(containing: "listening on 127.0.0.1:", timeout: timeout)
            .flatMap { $0.split(separator: ":").last.flatMap { Int($0) } }
    }

    /// The port of `metrics on http://127.0.0.1:PORT/metrics`.
    func metricsPort(timeout: TimeInterval = 20) -> Int? {
        guard let l = waitForLine(containing: "metrics on http://", timeout: timeout),
              let r = l.range(of: "http://127.0.0.1:") else { return nil }
        return Int(l[r.upperBound...].prefix { $0.isNumber })
    }

    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid {
            exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return false
        }
        return r == 0
    }

    /// Waits for the process to end; its exit status (128+signal if killed), or nil on timeout.
    func waitForExit(timeout: TimeInterval = 20) -> Int32? {
        let end = Date().addingTimeInterval(timeout)
        while isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
        lock.lock()
        defer { lock.unlock() }
        return exitStatus
    }

    /// Sends a signal.
    func signal(_ sig: Int32) { kill(pid, sig) }

    /// SIGTERM, then waits; the exit status.
    @discardableResult
    func stop(timeout: TimeInterval = 20) -> Int32? {
        if isRunning { kill(pid, SIGTERM) }
        return waitForExit(timeout: timeout)
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = waitForExit(timeout: 5)
        }
        try? FileManager.default.removeItem(at: dir)
    }
}

/// Runs lexstatd to completion (e.g. `--check-config`); its exit status and stderr.
func runLexstatd(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
    let d = try OpsDaemon(arguments, environment: environment)
    let status = d.waitForExit(timeout: 20) ?? -1
    Thread.sleep(forTimeInterval: 0.05) // let the reader drain the pipe
    return (status, d.log)
}

/// A datagram socket standing in for systemd's notify socket.
final class NotifyListener {
    let fd: Int32
    /// The value of NOTIFY_SOCKET: `@name` (abstract) or a path.
    let address: String

    init(abstract: Bool, dir: URL) throws {
        let sock = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard sock >= 0 else { throw POSIXError(.EMFILE) }
        let name = abstract ? "@lexstat-test-\(UUID().uuidString.prefix(12))" : dir.appendingPathComponent("notify").path
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            if abstract { raw[0] = 0 }
        }
        let len = socklen_t(2 + bytes.count + (abstract ? 0 : 1))
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, len) } }
        guard rc == 0 else { close(sock); throw POSIXError(.EADDRINUSE) }
        fd = sock
        address = name
    }

    deinit { close(fd) }

    /// The next datagram, or nil after `timeout`.
    func receive(timeout: TimeInterval) -> String? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(timeout * 1000)) == 1 else { return nil }
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, 0)
        return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : nil
    }

    /// Datagrams until one contains `text` (returned last), or nil.
    func receive(until text: String, timeout: TimeInterval) -> [String]? {
        var got: [String] = []
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            guard let m = receive(timeout: end.timeIntervalSinceNow) else { break }
            got.append(m)
            if m.contains(text) { return got }
        }
        return nil
    }
}

/// A listening socket made by the test, as systemd makes them for socket activation.
enum TestSockets {
    /// A TCP socket listening on 127.0.0.1 with a port chosen by the kernel.
    static func tcp() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_addr.s_addr = inet_addr("127.0.0.1")
        sin.sin_port = 0
        var rc = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        rc = withUnsafeMutablePointer(to: &sin) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return (fd, Int(UInt16(bigEndian: sin.sin_port)))
    }

    /// A Unix stream socket listening at `path`.
    static func unix(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        return fd
    }
}

/// One HTTP/1.1 request over a fresh connection; the status and body.
func httpGet(port: Int, path: String, rawRequest: String? = nil) -> (status: Int, body: String)? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var sin = sockaddr_in()
    sin.sin_family = sa_family_t(AF_INET)
    sin.sin_addr.s_addr = inet_addr("127.0.0.1")
    sin.sin_port = in_port_t(UInt16(port).bigEndian)
    let rc = withUnsafePointer(to: &sin) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { return nil }
    var tv = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    let req = Array((rawRequest ?? "GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n").utf8)
    var off = 0
    while off < req.count {
        let n = req.withUnsafeBytes { send(fd, $0.baseAddress! + off, req.count - off, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { break }
        off += n
    }
    var data: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buf, buf.count, 0)
        if n <= 0 { break }
        data += buf[0..<n]
    }
    let text = String(decoding: data, as: UTF8.self)
    guard let head = text.range(of: "\r\n\r\n"),
          let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap({ Int($0) }) else { return nil }
    return (status, String(text[head.upperBound...]))
}

/// Where the repository is: three folders above this file.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs a program to completion; exit status and output (stdout and stderr).
func runTool(_ path: String, _ arguments: [String], cwd: URL? = nil,
             environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    if let cwd { p.currentDirectoryURL = cwd }
    if !environment.isEmpty {
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The full path of a program on PATH, if any.
func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}
