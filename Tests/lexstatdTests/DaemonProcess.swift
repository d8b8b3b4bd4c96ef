import Foundation
import XCTest

/// A lexstatd started for a test on an ephemeral port and a temporary Unix socket.
final class DaemonProcess: @unchecked Sendable {
    // `lines` is guarded by `lock`; the rest is set in init.
    let process = Process()
    let dir: URL
    let socketPath: String
    private(set) var port = 0
    private let lock = NSLock()
    private var lines: [String] = []
    private let stderrPipe = Pipe()

    /// Where the built binaries are: `LEXSTAT_BIN_DIR`, else beside the test bundle.
    static var productsDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["LEXSTAT_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        let bundle = Bundle(for: DaemonProcess.self).bundleURL
        for dir in [bundle, bundle.deletingLastPathComponent()]
        where FileManager.default.fileExists(atPath: dir.appendingPathComponent("lexstatd").path) {
            return dir
        }
        return bundle.deletingLastPathComponent()
    }

    /// The database file; `db` in init, else one in the daemon's temporary folder.
    let dbPath: String
    private let ownsDir: Bool

    /// - Parameter tcpWrites: without a tokens file, take writes over TCP too
    ///   (`--tcp-writes-without-token`), as most tests write over TCP.
    init(_ extra: [String] = [], db: String? = nil, launcher: [String] = [], tcpWrites: Bool = true,
         file: StaticString = #filePath, line: UInt = #line) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lexstatd-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        ownsDir = true
        socketPath = dir.appendingPathComponent("d.sock").path
        dbPath = db ?? dir.appendingPathComponent("t.db").path
        let daemon = DaemonProcess.productsDirectory.appendingPathComponent("lexstatd").path
        let args = ["--listen", "127.0.0.1:0", "--unix", socketPath, "--db", dbPath, "--test-methods"]
            + (tcpWrites && !extra.contains("--tokens-file") ? ["--tcp-writes-without-token"] : []) + extra
        if launcher.isEmpty {
            process.executableURL = URL(fileURLWithPath: daemon)
            process.arguments = args
        } else {
            process.executableURL = URL(fileURLWithPath: launcher[0])
            process.arguments = Array(launcher.dropFirst()) + [daemon] + args
        }
        process.standardError = stderrPipe
        process.standardOutput = FileHandle.nullDevice
        let handle = stderrPipe.fileHandleForReading
        handle.readabilityHandler = { [weak self] h in
            let data = h.availableData
            guard let self, !data.isEmpty else { return }
            let text = String(decoding: data, as: UTF8.self)
            self.lock.lock()
            self.pending += text
            while let nl = self.pending.firstIndex(of: "\n") {
                self.lines.append(String(self.pending[..<nl]))
                self.pending = String(self.pending[self.pending.index(after: nl)...])
            }
            self.lock.unlock()
        }
        try process.run()
        guard let l = waitForLine(containing: "listening on 127.0.0.1:", timeout: 20),
              let p = l.split(separator: ":").last.flatMap({ Int($0) }) else {
            XCTFail("lexstatd did not start: \(log)", file: file, line: line)
            throw CocoaError(.executableLoad)
        }
        port = p
        guard waitForLine(containing: "serving", timeout: 10) != nil else {
            XCTFail("lexstatd did not reach serving: \(log)", file: file, line: line)
            throw CocoaError(.executableLoad)
        }
    }

    private var pending = ""

    /// Everything logged so far.
    var log: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }

    /// Waits for a log line containing `text`.
    func waitForLine(containing text: String, timeout: TimeInterval) -> String? {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            lock.lock()
            let hit = lines.first { $0.contains(text) }
            lock.unlock()
            if let hit { return hit }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        lock.lock()
        defer { lock.unlock() }
        return lines.first { $0.contains(text) }
    }

    /// Sends SIGTERM and waits; returns the exit status.
    @discardableResult
    func stop(timeout: TimeInterval = 20) -> Int32 {
        if process.isRunning { process.terminate() }
        let end = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        stderrPipe.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        if ownsDir { try? FileManager.default.removeItem(at: dir) }
    }

    /// Kills the daemon with SIGKILL: no drain, no checkpoint.
    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        stderrPipe.fileHandleForReading.readabilityHandler = nil
    }
}

/// Runs sqlite3 on a database file and returns its output.
func sqlite(_ db: String, _ sql: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    p.arguments = [db, sql]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let d = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
