import Foundation
import XCTest

/// Writes need a token once a tokens file is configured; the CLI sends it.
final class AuthTests: XCTestCase {
    static let writer = "writer-token-0123456789"
    static let reader = "reader-token-0123456789"

    func tokensFile(in dir: URL, mode: mode_t = 0o600) throws -> String {
        let p = dir.appendingPathComponent("tokens").path
        try Data("write \(AuthTests.writer) ingest\nread \(AuthTests.reader) dashboard\n".utf8).write(to: URL(fileURLWithPath: p))
        chmod(p, mode)
        return p
    }

    func testWritesNeedAWriteTokenAndReadsStayOpen() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("auth-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = try DaemonProcess(["--tokens-file", try tokensFile(in: dir)])
        let report = d.dir.appendingPathComponent("r.txt").path
        try Data(IngestTests.report.utf8).write(to: URL(fileURLWithPath: report))
        let server = ["--server", "unix:\(d.socketPath)"]

        let none = try runLexstat(["ingest", report, "--region", "500105"] + server)
        XCTAssertNotEqual(none.status, 0)
        XCTAssertTrue(none.err.contains("UNAUTHENTICATED"), none.err)

        let readerFile = dir.appendingPathComponent("reader.token").path
        try Data("\(AuthTests.reader)\n".utf8).write(to: URL(fileURLWithPath: readerFile))
        let denied = try runLexstat(["ingest", report, "--region", "500105", "--token-file", readerFile] + server)
        XCTAssertTrue(denied.err.contains("PERMISSION_DENIED: dashboard may read but not write"), denied.err)

        let writerFile = dir.appendingPathComponent("writer.token").path
        try Data("# the ingest bot\n\(AuthTests.writer)\n".utf8).write(to: URL(fileURLWithPath: writerFile))
        let ok = try runLexstat(["ingest", report, "--region", "500105"] + server, env: ["LEXSTAT_TOKEN_FILE": writerFile])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.err.contains("stored report 1"), ok.err)

        let read = try runLexstat(["health"] + server)
        XCTAssertEqual(read.out, "SERVING\n", "reads need no token by default")
    }

    func testATokensFileOthersCanReadStopsStartUp() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("auth-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = DaemonProcess.productsDirectory.appendingPathComponent("lexstatd")
        p.arguments = ["--listen", "127.0.0.1:0", "--db", dir.appendingPathComponent("t.db").path,
                       "--tokens-file", try tokensFile(in: dir, mode: 0o644)]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertNotEqual(p.terminationStatus, 0)
        XCTAssertTrue(text.contains("accessible by others (mode 644)"), text)
    }

    /// Without a tokens file the Unix socket (mode 0660) is the credential:
    /// writes over TCP are refused, reads are not.
    func testWithoutTokensWritesAreTakenOnlyOnTheUnixSocket() throws {
        let d = try DaemonProcess(tcpWrites: false)
        XCTAssertNotNil(d.waitForLine(containing: "writes are taken only on the Unix socket", timeout: 10), d.log)
        let report = d.dir.appendingPathComponent("r.txt").path
        try Data(IngestTests.report.utf8).write(to: URL(fileURLWithPath: report))
        let tcp = ["--server", "127.0.0.1:\(d.port)"]

        let refused = try runLexstat(["ingest", report, "--region", "500105"] + tcp)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains("UNAUTHENTICATED: lexstat.v1.Lexstat/Ingest changes stored data, and this server has no tokens_file: it takes writes only on its Unix socket"),
                      refused.err)
        XCTAssertEqual(try runLexstat(["health"] + tcp).out, "SERVING\n", "reads stay open over TCP")

        let ok = try runLexstat(["ingest", report, "--region", "500105", "--server", "unix:\(d.socketPath)"])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.err.contains("stored report 1"), ok.err)
    }
}
