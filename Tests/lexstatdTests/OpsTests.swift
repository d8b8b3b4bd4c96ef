import Foundation
import LexstatClient
import LexstatRPC
import LexstatWire
import XCTest

/// lexstatd as systemd runs it: the notify protocol, socket activation,
/// SIGHUP, the configuration file, metrics, the units and `make install`.
final class OpsTests: XCTestCase {
    /// A configuration file in `dir` with the test's database and `extra` lines.
    func writeConfig(_ dir: URL, _ extra: String, name: String = "lexstatd.toml") throws -> String {
        let path = dir.appendingPathComponent(name).path
        let text = "db = \"\(dir.appendingPathComponent("t.db").path)\"\nunix = \"\"\n" + extra + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func health(_ c: LexstatClient, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            let h = try await c.health()
            XCTAssertEqual(h.read { $0.status }, LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVING, file: file, line: line)
        } catch {
            XCTFail("Health failed: \(error)", file: file, line: line)
        }
    }

    // MARK: - systemd notify

    func testNotifyReadyOnlyOnceListeningWatchdogFromTheLoopThenStoppingAndExitZero() async throws {
        let dir = try OpsDaemon.makeTemporaryDirectory()
        let notify = try NotifyListener(abstract: true, dir: dir)
        let config = try writeConfig(dir, "listen = [\"127.0.0.1:0\"]")
        let d = try OpsDaemon(["--config", config],
                              environment: ["NOTIFY_SOCKET": notify.address, "WATCHDOG_USEC": "400000"], dir: dir)

        guard let untilReady = notify.receive(until: "READY=1", timeout: 20) else {
            return XCTFail("no READY=1; log:\n\(d.log)")
        }
        let ready = untilReady.last!
        XCTAssertFalse(untilReady.dropLast().contains { $0.contains("READY=1") })
        XCTAssertTrue(untilReady.first?.contains("STATUS=opening") ?? false, "a STATUS line comes first: \(untilReady)")
        // The port named in READY's status accepts right away: READY comes only once it listens.
        guard let r = ready.range(of: "serving on 127.0.0.1:"),
              let port = Int(ready[r.upperBound...].prefix { $0.isNumber }) else {
            return XCTFail("READY without the address: \(ready)")
        }
        let c = try LexstatClient(address: .tcp(host: "127.0.0.1", port: port), timeout: .seconds(5))
        await health(c)
        c.connection.close()

        // WATCHDOG_USEC=400 ms: pings every 200 ms from the event loop.
        var pings = 0
        let end = Date().addingTimeInterval(1.5)
        while Date() < end && pings < 3 {
            guard let m = notify.receive(timeout: 1) else { break }
            if m.contains("WATCHDOG=1") { pings += 1 }
        }
        XCTAssertGreaterThanOrEqual(pings, 3, "WATCHDOG=1 at half of WATCHDOG_USEC")

        d.signal(SIGTERM)
        XCTAssertNotNil(notify.receive(until: "STOPPING=1", timeout: 10), "STOPPING=1 on SIGTERM")
        XCTAssertEqual(d.waitForExit(), 0, d.log)
    }

    func testWithoutNotifySocketTheDaemonRunsAsBefore() throws {
        let dir = try OpsDaemon.makeTemporaryDirectory()
        let d = try OpsDaemon(["--config", try writeConfig(dir, "listen = [\"127.0.0.1:0\"]")], dir: dir)
        XCTAssertNotNil(d.tcpPort(), d.log)
        XCTAssertNotNil(d.waitForLine(containing: "serving"), d.log)
        XCTAssertEqual(d.stop(), 0, d.log)
    }

    // MARK: - socket activation

    func testSocketActivationAdoptsTheInheritedTCPAndUnixSockets() async throws {
        let dir = try OpsDaemon.makeTemporaryDirectory()
        let tcp = try TestSockets.tcp()
        let unixPath = dir.appendingPathComponent("activated.sock").path
        let unix = try TestSockets.unix(unixPath)
        defer { close(tcp.fd); close(unix) }
        let notify = try NotifyListener(abstract: false, dir: dir)
        // listen names an address the daemon must not use: the inherited sockets replace it.
        let config = try writeConfig(dir, "listen = [\"127.0.0.1:1\"]")
        let d = try OpsDaemon(["--config", config], environment: ["NOTIFY_SOCKET": notify.address],
                              inherit: [tcp.fd, unix], dir: dir)
        XCTAssertNotNil(notify.receive(until: "READY=1", timeout: 20), d.log)
        XCTAssertNotNil(d.waitForLine(containing: "listening on 127.0.0.1:\(tcp.port): inherited socket fd 3"), d.log)
        XCTAssertNotNil(d.waitForLine(containing: "listening on unix:\(unixPath): inherited socket fd 4"), d.log)
        XCTAssertFalse(d.log.contains("listening on 127.0.0.1:1"), d.log)
        XCTAssertNotNil(d.waitForLine(containing: "socket activation: listening only on the 2 socket(s) systemd passed; ignoring the configured 127.0.0.1:1"),
                        "the configured address it does not use is named: \(d.log)")

        let overTCP = try LexstatClient(address: .tcp(host: "127.0.0.1", port: tcp.port), timeout: .seconds(5))
        await health(overTCP)
        let overUnix = try LexstatClient(address: .unix(path: unixPath), timeout: .seconds(5))
        await health(overUnix)
        overTCP.connection.close()
        overUnix.connection.close()

        XCTAssertEqual(d.stop(), 0, d.log)
        XCTAssertTrue(FileManager.default.fileExists(atPath: unixPath), "systemd's socket file is left alone")
    }

    // MARK: - SIGHUP

    func testSIGHUPChangesTheLogLevelAndLimitsWhileAClientStaysConnected() async throws {
        let dir = try OpsDaemon.makeTemporaryDirectory()
        let tokens = dir.appendingPathComponent("tokens").path
        try "write writer-token-0123456789 ingest\n".write(toFile: tokens, atomically: true, encoding: .utf8)
        chmod(tokens, 0o600)
        let base = "listen = [\"127.0.0.1:0\"]\nmetrics_listen = \"127.0.0.1:0\"\ntokens_file = \"\(tokens)\"\n"
        let config = try writeConfig(dir, base + "log_level = \"info\"\naccess_log = true")
        let d = try OpsDaemon(["--config", config], dir: dir)
        guard let port = d.tcpPort(), let mport = d.metricsPort() else { return XCTFail(d.log) }
        let c = try LexstatClient(address: .tcp(host: "127.0.0.1", port: port), timeout: .seconds(5))
        await health(c)
        XCTAssertNotNil(d.waitForLine(containing: "call method=lexstat.v1.Lexstat/Health status=OK"), d.log)
        XCTAssertFalse(d.log.contains(" debug "), "no debug lines at info")

        _ = try writeConfig(dir, base + "log_level = \"debug\"\naccess_log = false\nworkers = 3\n[limits]\nmax_connections = 50")
        try "write writer-token-0123456789 ingest\nread reader-token-0123456789 dashboard\n"
            .write(toFile: tokens, atomically: true, encoding: .utf8)
        chmod(tokens, 0o600)
        let mark = d.logLines.count
        d.signal(SIGHUP)
        XCTAssertNotNil(d.waitForLine(containing: "tokens: 2 in force from \(tokens)", from: mark), "tokens re-read:\n\(d.log)")
        XCTAssertNotNil(d.waitForLine(containing: "changed log_level: \"info\" → \"debug\"", from: mark), d.log)
        XCTAssertNotNil(d.waitForLine(containing: "changed access_log: true → false", from: mark), d.log)
        XCTAssertNotNil(d.waitForLine(containing: "changed limits.max_connections: 1024 → 50", from: mark), d.log)
        XCTAssertNotNil(d.waitForLine(containing: "limits.max_connections", from: mark), d.log)
        XCTAssertNotNil(d.waitForLine(containing: " debug lexstatd: reload done", from: mark), "debug lines now appear:\n\(d.log)")
        XCTAssertNotNil(d.waitForLine(containing: "changed workers: 0 → 3; takes effect at the next restart", from: mark), d.log)

        // The same connection goes on, and the access log is off now.
        let afterReload = d.logLines.count
        await health(c)
        await health(c)
        try await Task.sleep(for: .milliseconds(200))
        XCTAssertFalse(d.logLines.dropFirst(afterReload).contains { $0.contains("call method=") }, d.log)
        let metrics = httpGet(port: mport, path: "/metrics")?.body ?? ""
        XCTAssertEqual(sampleValue(metrics, "lexstat_connections_accepted_total"), 1, "no reconnect:\n\(metrics)")
        XCTAssertEqual(sampleValue(metrics, "lexstat_config_reloads_total{result=\"ok\"}"), 1)

        // An invalid file changes nothing and says where it is wrong.
        try "log_level = \"warning\"\nlimits = 3\n[limits\n".write(toFile: config, atomically: true, encoding: .utf8)
        let mark2 = d.logLines.count
        d.signal(SIGHUP)
        XCTAssertNotNil(d.waitForLine(containing: "not reloaded, keeping the running configuration: \(config):3:", from: mark2), d.log)
        await health(c)
        let afterFailure = httpGet(port: mport, path: "/metrics")?.body ?? ""
        XCTAssertEqual(sampleValue(afterFailure, "lexstat_config_reloads_total{result=\"error\"}"), 1)
        XCTAssertEqual(sampleValue(afterFailure, "lexstat_connections_accepted_total"), 1, "still the same connection")
        c.connection.close()
        XCTAssertEqual(d.stop(), 0, d.log)
    }

    // MARK: - configuration errors

    func testEachKindOfConfigurationErrorStopsStartUpWithFileLineAndReason() throws {
        let dir = try OpsDaemon.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(name: String, text: String, expect: String)] = [
            ("syntax", "# a comment\nlog_level = \"info\"\nlisten = [\"127.0.0.1:7433\"\nworkers = 2\n", ":4: expected , or ] in the array"),
            ("syntax-bare-string", "log_level = debug\n", ":1: expected a value, found debug; strings need quotes"),
            ("syntax-table", "[limits\nmax_connections = 3\n", ":1: expected ] to close the table header"),
            ("unknown key", "log_level = \"info\"\n\n[limits]\nmax_conections = 10\n", ":4: unknown key limits.max_conections; did you mean limits.max_connections?"),
            ("unknown key outside its table", "max_connections = 10\n", ":1: unknown key max_connections; did you mean limits.max_connections (under [limits])?"),
            ("wrong type", "\n\naccess_log = \"yes\"\n", ":3: access_log: expected a boolean (true or false), found a string"),
            ("wrong type in a table", "[limits]\nmax_frame_bytes = \"4M\"\n", ":2: limits.max_frame_bytes: expected an integer, found a string"),
            ("bad value", "[limits]\nmax_frame_bytes = 12\n", ":2: limits.max_frame_bytes: 12 is below the minimum, 1024"),
            ("bad level", "log_level = \"loud\"\n", ":1: log_level: \"loud\" is not a level"),
            ("bad address", "listen = [\"localhost\"]\n", ":1: listen: \"localhost\" is not HOST:PORT"),
            ("duplicate", "workers = 1\nworkers = 2\n", ":2: workers is set twice (first on line 1)"),
            ("needs another key", "read_needs_token = true\n", ": read_needs_token = true needs a tokens_file"),
            ("missing tokens file", "log_level = \"info\"\ntokens_file = \"/nonexistent\"\n",
             ":2: tokens_file: /nonexistent: No such file or directory"),
            ("missing schemes folder", "\nschemes_dir = \"/nonexistent-schemes\"\n",
             ":2: schemes_dir: /nonexistent-schemes: No such file or directory"),
            ("schemes folder is a file", "schemes_dir = \"/dev/null\"\n", ":1: schemes_dir: /dev/null is not a folder"),
            ("unknown empty table", "log_level = \"info\"\n\n[nosuch]\n", ":3: [nosuch]: unknown table; known tables: [limits]"),
            ("misspelt table", "[limit]\n", ":1: [limit]: unknown table; did you mean [limits]?"),
            ("report does not fit in a request", "[limits]\nmax_request_bytes = 1_048_576\n",
             ": limits.max_report_bytes = 8388608 does not fit in limits.max_request_bytes = 1048576 with 65536 bytes for the rest of the request"),
            ("report does not fit in a request", "[limits]\nmax_report_bytes = 16_777_216\n",
             ": limits.max_report_bytes = 16777216 does not fit in limits.max_request_bytes = 16777216 with 65536 bytes for the rest of the request: a report that size would be refused as a request too large; raise limits.max_request_bytes to at least 16842752 or lower limits.max_report_bytes to at most 16711680"),
        ]
        for c in cases {
            let path = dir.appendingPathComponent("\(c.name.replacingOccurrences(of: " ", with: "-")).toml").path
            try c.text.write(toFile: path, atomically: true, encoding: .utf8)
            let (status, log) = try runLexstatd(["--config", path, "--listen", "127.0.0.1:0"])
            XCTAssertEqual(status, 78, "\(c.name): exit 78 (EX_CONFIG)\n\(log)")
            XCTAssertTrue(log.contains("invalid configuration: \(path)\(c.expect)"), "\(c.name): \(log)")
            // --check-config finds the same, so a reload or restart is never tried with it.
            let check = try runLexstatd(["--config", path, "--check-config"])
            XCTAssertEqual(check.status, 78, "\(c.name): --check-config exits 78\n\(check.stderr)")
            XCTAssertTrue(check.stderr.contains("\(path)\(c.expect)"), "\(c.name): \(check.stderr)")
        }
        // Given as a flag or a variable, the same checks name the flag or the variable.
        let flagTokens = try runLexstatd(["--check-config", "--config", "/dev/null", "--tokens-file", "/nonexistent"])
        XCTAssertEqual(flagTokens.status, 78)
        XCTAssertTrue(flagTokens.stderr.contains("--tokens-file: /nonexistent: No such file or directory"), flagTokens.stderr)
        let envSchemes = try runLexstatd(["--check-config", "--config", "/dev/null"],
                                         environment: ["LEXSTAT_SCHEMES_DIR": "/nonexistent-schemes"])
        XCTAssertEqual(envSchemes.status, 78)
        XCTAssertTrue(envSchemes.stderr.contains("LEXSTAT_SCHEMES_DIR: /nonexistent-schemes: No such file or directory"),
                      envSchemes.stderr)
        let missing = try runLexstatd(["--config", dir.appendingPathComponent("none.toml").path])
        XCTAssertEqual(missing.status, 78)
        XCTAssertTrue(missing.stderr.contains("none.toml: no such file"), missing.stderr)
        let envOnly = try runLexstatd(["--check-config", "--config", "/dev/null"], environment: ["LEXSTAT_LIMITS_MAX_CONNECTIONS": "many"])
        XCTAssertTrue(envOnly.stderr.contains("LEXSTAT_LIMITS_MAX_CONNECTIONS: expected an integer, found \"many\""), envOnly.stderr)
        let flag = try runLexstatd(["--check-config", "--config", "/dev/null", "--max-frame-bytes", "10"])
        XCTAssertTrue(flag.stderr.contains("--max-frame-bytes: 10 is below the minimum, 1024"), flag.stderr)
        // Both limits as flags: the check names both keys; raising the request limit with them is fine.
        let big = try runLexstatd(["--check-config", "--config", "/dev/null", "--max-report-bytes", "16777216"])
        XCTAssertEqual(big.status, 78, big.stderr)
        XCTAssertTrue(big.stderr.contains("limits.max_report_bytes = 16777216 does not fit in limits.max_request_bytes = 16777216"), big.stderr)
        let both = try runLexstatd(["--check-config", "--config", "/dev/null", "--max-report-bytes", "16777216", "--max-request-bytes", "16842752"])
        XCTAssertEqual(both.status, 0, both.stderr)
        // The frame limit no longer bounds a report: a request larger than a frame comes in several.
        let smallFrames = try runLexstatd(["--check-config", "--config", "/dev/null", "--max-frame-bytes", "1048576"])
        XCTAssertEqual(smallFrames.status, 0, smallFrames.stderr)
    }

    func testTheShippedConfigurationIsValidAndFlagsOverrideEnvironmentOverridesFile() throws {
        let shipped = repositoryRoot.appendingPathComponent("Deploy/lexstatd.toml").path
        let env = ["LEXSTAT_LOG_LEVEL": "error", "LEXSTAT_LIMITS_MAX_CONNECTIONS": "77"]
        // The file alone.
        let file = try runTool(OpsDaemon.lexstatd, ["--config", shipped, "--check-config"])
        XCTAssertEqual(file.status, 0, file.output)
        XCTAssertTrue(file.output.contains("log_level = \"info\""), file.output)
        XCTAssertTrue(file.output.contains("db = \"/var/lib/lexstat/lexstat.db\""), file.output)
        XCTAssertTrue(file.output.contains("limits.max_frame_bytes = 4194304"), file.output)
        XCTAssertTrue(file.output.contains("limits.max_report_bytes = 8388608"), file.output)
        XCTAssertTrue(file.output.contains("limits.max_request_bytes = 16777216"), file.output)
        XCTAssertFalse(file.output.contains("limits.max_connections = 77"), file.output)
        // The environment over the file.
        let viaEnv = try runTool(OpsDaemon.lexstatd, ["--config", shipped, "--check-config"], environment: env)
        XCTAssertEqual(viaEnv.status, 0, viaEnv.output)
        XCTAssertTrue(viaEnv.output.contains("log_level = \"error\""), viaEnv.output)
        XCTAssertTrue(viaEnv.output.contains("limits.max_connections = 77"), viaEnv.output)
        // A flag over both.
        let viaFlag = try runTool(OpsDaemon.lexstatd, ["--config", shipped, "--check-config", "--log-level", "debug",
                                                       "--max-connections", "9"], environment: env)
        XCTAssertEqual(viaFlag.status, 0, viaFlag.output)
        XCTAssertTrue(viaFlag.output.contains("log_level = \"debug\""), viaFlag.output)
        XCTAssertTrue(viaFlag.output.contains("limits.max_connections = 9"), viaFlag.output)
    }

    // MARK: - logs

    func testUnderJournaldEveryLineCarriesItsPriorityAndStaysOneLine() async throws {
        let dir = try OpsDaemon.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A database path with a line break: it is logged, and must not split the line.
        let db = dir.appendingPathComponent("odd\nname.db").path
        let d = try DaemonProcess(["--access-log"], db: db, launcher: ["/usr/bin/env", "JOURNAL_STREAM=8:4242"])
        await assertServed(d)
        let access = try XCTUnwrap(d.waitForLine(containing: "lexstatd.access: call", timeout: 5), d.log)
        XCTAssertTrue(access.hasPrefix("<6>"), access)
        let opened = try XCTUnwrap(d.waitForLine(containing: "opened", timeout: 1), d.log)
        XCTAssertTrue(opened.hasPrefix("<6>"), opened)
        XCTAssertTrue(opened.contains("odd\\nname.db"), "the line break is written as \\n: \(opened)")
        let warning = try XCTUnwrap(d.waitForLine(containing: "no tokens_file", timeout: 1), d.log)
        XCTAssertTrue(warning.hasPrefix("<4>"), warning)
        for l in d.log.split(separator: "\n") {
            XCTAssertTrue(l.hasPrefix("<"), "every line starts with a priority: \(l)")
        }
        XCTAssertEqual(d.stop(), 0)

        // Without journald, lines start with the time, as before.
        let plain = try DaemonProcess()
        XCTAssertTrue(plain.log.split(separator: "\n").allSatisfy { $0.first?.isNumber ?? false }, plain.log)
        XCTAssertEqual(plain.stop(), 0)
    }

    // MARK: - metrics

    func testMetricsScrapeParsesAsPrometheusTextAndCountersRiseAfterCalls() async throws {
        let dir = try OpsDaemon.makeTemporaryDirectory()
        let config = try writeConfig(dir, "listen = [\"127.0.0.1:0\"]\nmetrics_listen = \"127.0.0.1:0\"\naccess_log = false")
        let d = try OpsDaemon(["--config", config, "--test-methods"], dir: dir)
        guard let port = d.tcpPort(), let mport = d.metricsPort() else { return XCTFail(d.log) }

        guard let before = httpGet(port: mport, path: "/metrics") else { return XCTFail("no answer from /metrics") }
        XCTAssertEqual(before.status, 200)
        let familiesBefore = try PrometheusCheck.parse(before.body)
        for name in ["lexstat_calls_total", "lexstat_call_duration_seconds", "lexstat_connections_open",
                     "lexstat_connections_refused_total", "lexstat_frames_rejected_total", "lexstat_calls_in_flight",
                     "lexstat_reports_stored", "lexstat_observations_stored", "lexstat_last_ingest_timestamp_seconds"] {
            XCTAssertNotNil(familiesBefore[name], "family \(name) is exposed")
        }

        let c = try LexstatClient(address: .tcp(host: "127.0.0.1", port: port), timeout: .seconds(5))
        for _ in 0..<3 { await health(c) }
        do {
            _ = try await c.connection.call("lexstat.v1.Lexstat/NoSuchMethod", [], timeout: .seconds(5))
            XCTFail("an unknown method is UNIMPLEMENTED")
        } catch {
            XCTAssertEqual(error.code, .unimplemented)
        }
        let raw = try RawConnection(port: port, sendPreface: false)
        raw.send([UInt8](repeating: 0, count: 32))
        _ = raw.readFrames(timeout: 5)

        guard let after = httpGet(port: mport, path: "/metrics") else { return XCTFail("no answer from /metrics") }
        _ = try PrometheusCheck.parse(after.body)
        let healthOK = "lexstat_calls_total{method=\"lexstat.v1.Lexstat/Health\",status=\"OK\"}"
        XCTAssertEqual((sampleValue(after.body, healthOK) ?? 0) - (sampleValue(before.body, healthOK) ?? 0), 3, after.body)
        XCTAssertEqual(sampleValue(after.body, "lexstat_calls_total{method=\"unknown\",status=\"UNIMPLEMENTED\"}"), 1)
        XCTAssertEqual(sampleValue(after.body, "lexstat_call_duration_seconds_count{method=\"lexstat.v1.Lexstat/Health\"}"), 3)
        XCTAssertEqual(sampleValue(after.body, "lexstat_call_duration_seconds_bucket{method=\"lexstat.v1.Lexstat/Health\",le=\"+Inf\"}"), 3)
        XCTAssertEqual(sampleValue(after.body, "lexstat_frames_rejected_total{reason=\"bad_preface\"}"), 1, after.body)
        XCTAssertGreaterThanOrEqual(sampleValue(after.body, "lexstat_connections_accepted_total") ?? 0, 2)
        XCTAssertEqual(sampleValue(after.body, "lexstat_connections_open"), 1, "the client's connection")

        let healthz = httpGet(port: mport, path: "/healthz")
        XCTAssertEqual(healthz?.status, 200)
        XCTAssertEqual(healthz?.body, "ok\n")
        XCTAssertEqual(httpGet(port: mport, path: "/other")?.status, 404)
        XCTAssertEqual(httpGet(port: mport, path: "", rawRequest: "POST /metrics HTTP/1.1\r\n\r\n")?.status, 405)
        XCTAssertEqual(httpGet(port: mport, path: "", rawRequest: "nonsense\r\n\r\n")?.status, 400)
        let huge = "GET /metrics HTTP/1.1\r\nX: " + String(repeating: "a", count: 10_000) + "\r\n\r\n"
        XCTAssertEqual(httpGet(port: mport, path: "", rawRequest: huge)?.status, 431)
        // A client that connects and says nothing holds the endpoint for 2 s at most.
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_addr.s_addr = inet_addr("127.0.0.1")
        sin.sin_port = in_port_t(UInt16(mport).bigEndian)
        _ = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let started = Date()
        XCTAssertEqual(httpGet(port: mport, path: "/healthz")?.status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(started), 4)
        close(silent)
        await health(c) // the RPC side never noticed
        c.connection.close()
        XCTAssertEqual(d.stop(), 0, d.log)
    }

    // MARK: - listening

    func testAFailedListenSaysWhy() throws {
        let dir = try OpsDaemon.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("t.db").path
        // A port the test holds.
        let taken = try TestSockets.tcp()
        defer { close(taken.fd) }
        let busy = try runLexstatd(["--config", "/dev/null", "--db", db, "--listen", "127.0.0.1:\(taken.port)"])
        XCTAssertEqual(busy.status, 1, busy.stderr)
        XCTAssertTrue(busy.stderr.contains("cannot start: UNAVAILABLE: cannot listen on 127.0.0.1:\(taken.port): "
                                           + "address already in use (EADDRINUSE)"), busy.stderr)
        // A Unix socket another lexstatd serves.
        let other = try DaemonProcess()
        let live = try runLexstatd(["--config", "/dev/null", "--db", db, "--listen", "127.0.0.1:0", "--unix", other.socketPath])
        XCTAssertEqual(live.status, 1, live.stderr)
        XCTAssertTrue(live.stderr.contains("cannot listen on unix:\(other.socketPath): another server is listening there"),
                      live.stderr)
        XCTAssertFalse(live.stderr.contains("invalid argument"), live.stderr)
        XCTAssertEqual(other.stop(), 0)
    }

    // MARK: - units and install

    func testUnitCommentsNameOnlySettingsTheUnitsHaveOrSayHowToAddThem() throws {
        for unit in ["lexstatd.service", "lexstatd.socket"] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Deploy/\(unit)"), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let set = Set(lines.filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
            // Comment paragraphs: runs of comment lines.
            var paragraphs: [String] = []
            var current = ""
            for l in lines {
                if l.hasPrefix("#") { current += l + "\n" } else if !current.isEmpty { paragraphs.append(current); current = "" }
            }
            if !current.isEmpty { paragraphs.append(current) }
            let directive = try NSRegularExpression(pattern: "\\b([A-Z][a-z]+(?:[A-Z][a-z]+)+)=")
            for p in paragraphs {
                let named = directive.matches(in: p, range: NSRange(p.startIndex..., in: p)).compactMap {
                    Range($0.range(at: 1), in: p).map { String(p[$0]) }
                }
                for name in named where !set.contains(name) {
                    XCTAssertTrue(p.contains("systemctl edit"), "\(unit): a comment names \(name)=, which the unit does not set:\n\(p)")
                }
            }
        }
    }

    func testUnitsPassSystemdAnalyzeVerifyAndSecurity() throws {
        guard let analyze = which("systemd-analyze") else { throw XCTSkip("systemd-analyze is not installed") }
        let dir = try OpsDaemon.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // As `make install` writes them, with ExecStart at the binary under test.
        for unit in ["lexstatd.service", "lexstatd.socket"] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Deploy/\(unit)"), encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/lexstatd", with: OpsDaemon.lexstatd)
            try text.write(to: dir.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
        let verify = try runTool(analyze, ["verify", "lexstatd.service", "lexstatd.socket"], cwd: dir)
        XCTAssertEqual(verify.status, 0, verify.output)
        let security = try runTool(analyze, ["security", "--offline=yes", "--no-pager", "lexstatd.service"], cwd: dir)
        guard let r = security.output.range(of: "Overall exposure level for lexstatd.service: ") else {
            throw XCTSkip("this systemd-analyze cannot rate units offline: \(security.output.suffix(300))")
        }
        let score = Double(security.output[r.upperBound...].prefix { $0.isNumber || $0 == "." }) ?? 99
        XCTAssertLessThanOrEqual(score, 2.0, security.output)
    }

    func testMakeInstallPutsEveryFileInPlaceUnderDestdirAndUninstallRemovesThem() throws {
        guard let make = which("make") else { throw XCTSkip("make is not installed") }
        let dest = try OpsDaemon.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dest) }
        let bin = DaemonProcess.productsDirectory.path
        let args = ["-s", "-C", repositoryRoot.path, "DESTDIR=\(dest.path)", "PREFIX=/opt/lexstat", "BIN=\(bin)"]
        let install = try runTool(make, args + ["install-files"])
        XCTAssertEqual(install.status, 0, install.output)
        let expected = [
            "opt/lexstat/bin/lexstatd", "opt/lexstat/bin/lexstat",
            "opt/lexstat/lib/systemd/system/lexstatd.service", "opt/lexstat/lib/systemd/system/lexstatd.socket",
            "etc/lexstat/lexstatd.toml",
            "opt/lexstat/share/lexstat/indicators.tsv", "opt/lexstat/share/lexstat/regions.tsv",
            "opt/lexstat/share/lexstat/demo/observations.csv", "opt/lexstat/share/lexstat/demo/reports.json",
            "opt/lexstat/share/lexstat/README.md",
        ]
        for f in expected {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dest.appendingPathComponent(f).path), "\(f) installed")
        }
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: dest.appendingPathComponent("opt/lexstat/bin/lexstatd").path))
        let unit = try String(contentsOf: dest.appendingPathComponent("opt/lexstat/lib/systemd/system/lexstatd.service"), encoding: .utf8)
        XCTAssertTrue(unit.contains("ExecStart=/opt/lexstat/bin/lexstatd --config /etc/lexstat/lexstatd.toml"), unit)
        // The installed daemon accepts the installed configuration.
        let check = try runTool(dest.appendingPathComponent("opt/lexstat/bin/lexstatd").path,
                                ["--config", dest.appendingPathComponent("etc/lexstat/lexstatd.toml").path, "--check-config"])
        XCTAssertEqual(check.status, 0, check.output)

        // An edited configuration survives a reinstall and an uninstall.
        let conf = dest.appendingPathComponent("etc/lexstat/lexstatd.toml")
        try "log_level = \"debug\"\n".write(to: conf, atomically: true, encoding: .utf8)
        XCTAssertEqual(try runTool(make, args + ["install-files"]).status, 0)
        XCTAssertEqual(try String(contentsOf: conf, encoding: .utf8), "log_level = \"debug\"\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: conf.path + ".default"))

        let uninstall = try runTool(make, args + ["uninstall"])
        XCTAssertEqual(uninstall.status, 0, uninstall.output)
        var left: [String] = []
        for case let f as String in FileManager.default.enumerator(atPath: dest.path)! {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dest.appendingPathComponent(f).path, isDirectory: &isDir), !isDir.boolValue {
                left.append(f)
            }
        }
        XCTAssertEqual(left, ["etc/lexstat/lexstatd.toml"], "only the edited configuration stays")
    }
}

/// The value of the sample named exactly `series` (name and labels as printed).
func sampleValue(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}

/// A strict reader of the Prometheus text format (0.0.4), enough to catch mistakes.
enum PrometheusCheck {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Families by name with their type; throws on the first malformed line.
    static func parse(_ text: String) throws -> [String: String] {
        var types: [String: String] = [:]
        var helps: Set<String> = []
        var lastBucket: [String: Double] = [:]
        guard text.hasSuffix("\n") else { throw Invalid(description: "the text must end with a newline") }
        let name = "[a-zA-Z_:][a-zA-Z0-9_:]*"
        let label = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\""
        let sample = try NSRegularExpression(pattern: "^(\(name))(\\{(?:\(label))(?:,\(label))*\\})? (\\S+)$")
        for (i, l) in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().enumerated() {
            let line = String(l)
            if line.hasPrefix("# HELP ") {
                let parts = line.split(separator: " ", maxSplits: 3)
                guard parts.count >= 3 else { throw Invalid(description: "line \(i + 1): bad HELP") }
                guard helps.insert(String(parts[2])).inserted else { throw Invalid(description: "line \(i + 1): HELP twice") }
                continue
            }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                    throw Invalid(description: "line \(i + 1): bad TYPE: \(line)")
                }
                guard types[String(parts[2])] == nil else { throw Invalid(description: "line \(i + 1): TYPE twice") }
                types[String(parts[2])] = String(parts[3])
                continue
            }
            guard let m = sample.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let nr = Range(m.range(at: 1), in: line), let vr = Range(m.range(at: 3), in: line) else {
                throw Invalid(description: "line \(i + 1): not a sample: \(line)")
            }
            let metric = String(line[nr])
            guard let value = Double(line[vr]) ?? (line[vr] == "+Inf" ? .infinity : nil) else {
                throw Invalid(description: "line \(i + 1): bad value: \(line)")
            }
            var family = metric
            for suffix in ["_bucket", "_sum", "_count"] where metric.hasSuffix(suffix) {
                let base = String(metric.dropLast(suffix.count))
                if types[base] == "histogram" { family = base }
            }
            guard types[family] != nil else { throw Invalid(description: "line \(i + 1): sample before its TYPE: \(line)") }
            if types[family] == "counter" { guard value >= 0 else { throw Invalid(description: "line \(i + 1): negative counter") } }
            if metric.hasSuffix("_bucket") {
                let series = String(line[..<(line.range(of: ",le=") ?? line.range(of: "{le=")!).lowerBound])
                if let prev = lastBucket[series], value < prev {
                    throw Invalid(description: "line \(i + 1): buckets must not decrease")
                }
                lastBucket[series] = value
            }
        }
        return types
    }
}
