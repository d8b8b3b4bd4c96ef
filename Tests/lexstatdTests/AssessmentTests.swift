import Foundation
import LexstatClient
import LexstatRPC
import LexstatWire
import XCTest

/// Score, Index, Check and bulletins end to end: a daemon with a scheme folder and the
/// hand-worked fixture (the same figures as LexstatCoreTests/Assessment/AssessmentFixture).
final class AssessmentTests: XCTestCase {
    /// 2023 is the fixture; 2022 differs in A for 渝中区 (300) and 渝北区 (100), for changes.
    /// Two extra rows make findings: a second source for 江北区's 2023 legal-aid figure, and a rate over 100 %;
    /// the last is a target 江北区 missed (败诉率 at most 5 %, actual 6 %).
    static let csv = """
        region,indicator,period,value,unit,bound,kind,source
        重庆市渝中区,service.legal_aid_cases,2023,100,件,exact,actual,fixture
        重庆市江北区,service.legal_aid_cases,2023,300,件,exact,actual,fixture
        重庆市南岸区,service.legal_aid_cases,2023,200,件,exact,actual,fixture
        重庆市渝北区,service.legal_aid_cases,2023,300,件,exact,actual,fixture
        重庆市渝中区,litig.loss_rate,2023,2,%,exact,actual,fixture
        重庆市江北区,litig.loss_rate,2023,6,%,exact,actual,fixture
        重庆市南岸区,litig.loss_rate,2023,4,%,exact,actual,fixture
        重庆市渝中区,mediation.disputes_resolved,2023,50,件,exact,actual,fixture
        重庆市南岸区,mediation.disputes_resolved,2023,150,件,exact,actual,fixture
        重庆市渝北区,mediation.disputes_resolved,2023,250,件,exact,actual,fixture
        重庆市渝中区,service.legal_aid_cases,2022,300,件,exact,actual,fixture 2022
        重庆市江北区,service.legal_aid_cases,2022,300,件,exact,actual,fixture 2022
        重庆市南岸区,service.legal_aid_cases,2022,200,件,exact,actual,fixture 2022
        重庆市渝北区,service.legal_aid_cases,2022,100,件,exact,actual,fixture 2022
        重庆市渝中区,litig.loss_rate,2022,2,%,exact,actual,fixture 2022
        重庆市江北区,litig.loss_rate,2022,6,%,exact,actual,fixture 2022
        重庆市南岸区,litig.loss_rate,2022,4,%,exact,actual,fixture 2022
        重庆市渝中区,mediation.disputes_resolved,2022,50,件,exact,actual,fixture 2022
        重庆市南岸区,mediation.disputes_resolved,2022,150,件,exact,actual,fixture 2022
        重庆市渝北区,mediation.disputes_resolved,2022,250,件,exact,actual,fixture 2022
        重庆市江北区,service.legal_aid_cases,2023,420,件,exact,actual,市局通报
        重庆市南岸区,mediation.success_rate,2023,104,%,exact,actual,南岸区简报
        重庆市江北区,litig.loss_rate,2023,5,%,at_most,target,江北区2023年工作要点
        """

    /// 平时 0.4 = A; 年度 0.6 = B 0.5 + C 0.5; re-weighting, minimum coverage 0.5.
    static let scheme = """
        {"title": "fixture scheme", "peer_group": {"within": "重庆市", "level": "county"},
         "missing": {"rule": "reweight", "min_coverage": 0.5},
         "components": [
           {"name": "平时", "weight": 0.4, "indicators": [{"indicator": "service.legal_aid_cases", "weight": 1}]},
           {"name": "年度", "weight": 0.6, "indicators": [
             {"indicator": "litig.loss_rate", "weight": 0.5}, {"indicator": "mediation.disputes_resolved", "weight": 0.5}]}]}
        """

    static func start() async throws -> DaemonProcess {
        let schemes = FileManager.default.temporaryDirectory.appendingPathComponent("lexstat-schemes-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: schemes, withIntermediateDirectories: true)
        try Data(scheme.utf8).write(to: schemes.appendingPathComponent("fixture.json"))
        let d = try DaemonProcess(["--schemes-dir", schemes.path])
        let c = try LexstatClient(address: .unix(path: d.socketPath))
        defer { c.connection.close() }
        let arena = WireArena()
        var req = Lexstat__V1__ImportObservationsRequest.make()
        req.csv = arena.string(csv)
        req.source = arena.string("fixture.csv")
        let r = try await c.call("ImportObservations", req, returning: Lexstat__V1__ImportObservationsResponse.self)
        withExtendedLifetime(arena) {}
        XCTAssertEqual(r.message.imported, 23)
        return d
    }

    func lexstat(_ d: DaemonProcess, _ args: [String]) throws -> CLIRun {
        try runLexstat(args + ["--server", "unix:\(d.socketPath)"])
    }

    /// Rows of a CSV without quoting (the fixture has no commas in fields).
    func csvRows(_ s: String) -> [[String]] {
        s.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The totals worked out in AssessmentScoringTests.testReweightByHand: 渝北 100, 南岸 50, 江北 40, 渝中 30 —
    /// except that 江北's A is now the second source's 420 (the latest stored), so A's max is 420:
    /// A = (100, 420, 200, 300) → 渝中 0, 江北 1, 南岸 100/320 = 0.3125, 渝北 200/320 = 0.625.
    /// 渝北: 100·(0.4·0.625 + 0.6·1) = 85; 南岸: 100·(0.4·0.3125 + 0.3·0.5 + 0.3·0.5) = 42.5;
    /// 江北: 100·0.4·1 = 40; 渝中: 30.
    func testScoreAndExplain() async throws {
        let d = try await Self.start()
        defer { d.stop() }
        let r = try lexstat(d, ["score", "fixture", "--year", "2023", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.err)
        let rows = csvRows(r.out)
        XCTAssertEqual(rows[0], ["rank", "region", "total", "平时", "年度", "coverage", "note"])
        XCTAssertEqual(rows[1...4].map { [$0[0], $0[1], $0[2]] },
                       [["1", "渝北区", "85.00"], ["2", "南岸区", "42.50"], ["3", "江北区", "40.00"], ["4", "渝中区", "30.00"]])
        XCTAssertEqual(rows[3][5], "70%")
        XCTAssertEqual(rows.count, 1 + 38)
        XCTAssertTrue(rows[5][6].hasPrefix("left out: no figures for 2023"))

        // The breakdown of 南岸区: contributions 12.50 + 15.00 + 15.00 = 42.50, weights 40 + 30 + 30.
        let e = try lexstat(d, ["score", "fixture", "--year", "2023", "--explain", "南岸区", "--format", "csv"])
        XCTAssertEqual(e.status, 0, e.err)
        let ex = csvRows(e.out)
        XCTAssertEqual(ex[0], ["indicator", "component", "raw", "normalised", "weight", "contribution", "source"])
        XCTAssertEqual(ex[1...3].map { [$0[1], $0[2], $0[3], $0[4], $0[5], $0[6]] }, [
            ["平时", "200件", "0.3125", "40.00%", "12.50", "fixture"],
            ["年度", "4%", "0.5000", "30.00%", "15.00", "fixture"],
            ["年度", "150件", "0.5000", "30.00%", "15.00", "fixture"]])
        XCTAssertEqual(ex[4][5], "42.50")
        XCTAssertEqual(ex[4][4], "100.00%")

        // The table form prints both, and the shown contributions add up to the shown total.
        let t = try lexstat(d, ["score", "fixture", "--year", "2023", "--explain", "500112"])
        XCTAssertEqual(t.status, 0, t.err)
        XCTAssertTrue(t.out.contains("CONTRIBUTION"))
        XCTAssertTrue(t.err.contains("fixture scheme · 2023 · 重庆市 · missing figures: reweight"), t.err)

        // A region outside the peer group, an unknown scheme.
        let bad = try lexstat(d, ["score", "fixture", "--year", "2023", "--explain", "成都市锦江区"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("INVALID_ARGUMENT: explain: 四川省成都市锦江区 (510104) is not in the peer group"), bad.err)
        let missing = try lexstat(d, ["score", "nope", "--year", "2023"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("NOT_FOUND: scheme \"nope\": no nope.json or nope.toml in") && missing.err.contains("there are: fixture"), missing.err)
    }

    /// A local scheme file is sent with the call; an invalid one is refused naming the file, the field and the reason.
    func testLocalSchemeFileAndRefusal() async throws {
        let d = try await Self.start()
        defer { d.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lexstat-s-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = dir.appendingPathComponent("mine.json")
        try Data(Self.scheme.utf8).write(to: good)
        let ok = try lexstat(d, ["score", good.path, "--year", "2023", "--format", "csv"])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.out.contains("1,渝北区,85.00"), ok.out)
        let badFile = dir.appendingPathComponent("bad.json")
        try Data(Self.scheme.replacingOccurrences(of: #""litig.loss_rate", "weight": 0.5"#, with: #""litig.loss_rate", "weight": 0"#).utf8)
            .write(to: badFile)
        let bad = try lexstat(d, ["score", badFile.path, "--year", "2023"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("INVALID_ARGUMENT: scheme bad.json: components[1].indicators[0].weight: 0.0 is not positive"), bad.err)

        // The same scheme in TOML scores the same; a TOML syntax error names its line.
        let toml = dir.appendingPathComponent("mine.toml")
        try Data(Self.schemeTOML.utf8).write(to: toml)
        let okT = try lexstat(d, ["score", toml.path, "--year", "2023", "--format", "csv"])
        XCTAssertEqual(okT.status, 0, okT.err)
        XCTAssertEqual(okT.out, ok.out)
        let brokenT = dir.appendingPathComponent("broken.toml")
        try Data(Self.schemeTOML.replacingOccurrences(of: "level = \"county\"", with: "level = county").utf8).write(to: brokenT)
        let badT = try lexstat(d, ["score", brokenT.path, "--year", "2023"])
        XCTAssertEqual(badT.status, 1)
        XCTAssertTrue(badT.err.contains("INVALID_ARGUMENT: scheme broken.toml: line 4: not valid TOML: "), badT.err)
    }

    /// lexstatd checks its scheme folder at start and on SIGHUP, logging each invalid scheme with its
    /// fault; scoring one is FAILED_PRECONDITION (the server's configuration), not INVALID_ARGUMENT.
    func testInvalidServerSchemesAreLoggedAtStartAndReloadAndRefusedAsFailedPrecondition() async throws {
        let schemes = FileManager.default.temporaryDirectory.appendingPathComponent("lexstat-schemes-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: schemes, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: schemes) }
        try Data(Self.scheme.utf8).write(to: schemes.appendingPathComponent("fixture.json"))
        try Data(Self.scheme.replacingOccurrences(of: #""weight": 0.4"#, with: #""weight": 0"#).utf8)
            .write(to: schemes.appendingPathComponent("broken.json"))
        let d = try DaemonProcess(["--schemes-dir", schemes.path])
        defer { d.stop() }
        XCTAssertNotNil(d.waitForLine(containing: "invalid scheme, Score refuses it until fixed: scheme broken.json: components[0].weight: 0.0 is not positive", timeout: 5), d.log)
        XCTAssertNotNil(d.waitForLine(containing: "schemes in \(schemes.path): 1 valid (fixture); 1 invalid (broken)", timeout: 5), d.log)

        let r = try lexstat(d, ["score", "broken", "--year", "2023"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("FAILED_PRECONDITION: scheme broken.json: components[0].weight: 0.0 is not positive"), r.err)
        XCTAssertEqual(try lexstat(d, ["score", "fixture", "--year", "2023"]).status, 0)

        // A scheme broken while the daemon runs is named at the next SIGHUP.
        try Data(Self.schemeTOML.replacingOccurrences(of: "rule = \"reweight\"", with: "rule = reweight").utf8)
            .write(to: schemes.appendingPathComponent("later.toml"))
        kill(d.process.processIdentifier, SIGHUP)
        XCTAssertNotNil(d.waitForLine(containing: "invalid scheme, Score refuses it until fixed: scheme later.toml: line 6: not valid TOML: ", timeout: 5), d.log)
        XCTAssertNotNil(d.waitForLine(containing: "1 valid (fixture); 2 invalid (broken, later)", timeout: 5), d.log)
        let later = try lexstat(d, ["score", "later", "--year", "2023"])
        XCTAssertTrue(later.err.contains("FAILED_PRECONDITION: scheme later.toml: line 6"), later.err)
    }

    /// `scheme` in TOML.
    static let schemeTOML = """
        title = "fixture scheme"
        [peer_group]
        within = "重庆市"
        level = "county"
        [missing]
        rule = "reweight"
        min_coverage = 0.5
        [[components]]
        name = "平时"
        weight = 0.4
        indicators = [{ indicator = "service.legal_aid_cases", weight = 1 }]
        [[components]]
        name = "年度"
        weight = 0.6
        indicators = [
          { indicator = "litig.loss_rate", weight = 0.5 },
          { indicator = "mediation.disputes_resolved", weight = 0.5 },
        ]
        """

    /// Index by hand (AssessmentIndexTests.testArithmeticByHandWithATie, with 江北's A now 420):
    /// 渝北 (A 0.625 + C 1)/2 = 81.25; 江北 (A 1 + B 0)/2 = 50; 南岸 (0.3125 + 0.5 + 0.5)/3 = 43.75; 渝中 (0 + 1 + 0)/3 = 33.33.
    /// 2022 (A = 300, 300, 200, 100): 渝中 66.67 (1), 江北 50, 南岸 50, 渝北 50 (2).
    func testIndexWithRobustnessShowsProgress() async throws {
        let d = try await Self.start()
        defer { d.stop() }
        let r = try lexstat(d, ["index", "--year", "2023", "--within", "重庆市", "--robustness", "300", "--seed", "7", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.err)
        // Not a terminal: a line per tenth of the runs, not one rewritten per step.
        XCTAssertTrue(r.err.contains("robustness: 3/300 runs (1%)\n"), r.err)
        XCTAssertTrue(r.err.contains("robustness: 150/300 runs (50%)\n"), r.err)
        XCTAssertTrue(r.err.hasSuffix("robustness: 300/300 runs (100%)\n"), r.err)
        XCTAssertFalse(r.err.contains("\r"), r.err)
        XCTAssertEqual(r.err.split(separator: "\n").filter { $0.hasPrefix("robustness:") }.count, 11, r.err)
        let rows = csvRows(r.out)
        XCTAssertEqual(rows[0], ["rank", "region", "index", "行政应诉", "公共法律服务", "人民调解", "change", "prev rank", "coverage", "median rank", "p05–p95"])
        XCTAssertEqual(rows[1], ["1", "渝北区", "81.25", "—", "62.50", "100.00", "+31.25", "2", "67%", "1", "1–1"])
        XCTAssertEqual(rows[2][0...2], ["2", "江北区", "50.00"])
        XCTAssertEqual(rows[3][0...2], ["3", "南岸区", "43.75"])
        XCTAssertEqual(rows[4][0...2], ["4", "渝中区", "33.33"])
        XCTAssertEqual(rows[4][6...7], ["-33.33", "1"])
        XCTAssertEqual(rows.count, 5)

        // The same seed, the same bands (over JSON this time); the explanation sums to the index.
        let j1 = try lexstat(d, ["index", "--year", "2023", "--within", "重庆市", "--robustness", "300", "--seed", "7", "--format", "json", "--explain", "南岸区"])
        let j2 = try lexstat(d, ["index", "--year", "2023", "--within", "重庆市", "--robustness", "300", "--seed", "7", "--format", "json", "--explain", "南岸区"])
        XCTAssertEqual(j1.status, 0, j1.err)
        XCTAssertEqual(j1.out, j2.out)
        let json = try JSONSerialization.jsonObject(with: Data(j1.out.utf8)) as! [String: Any]
        let result = json["result"] as! [String: Any]
        let explain = result["explain"] as! [[String: Any]]
        let sum = explain.reduce(0.0) { $0 + (($1["contribution"] as? Double) ?? 0) }
        XCTAssertEqual(sum, 43.75, accuracy: 1e-9)

        // Geometric with 渝中's zeros floored at 0.01: (0.01 · 1 · 0.01)^(1/3) → 4.64.
        let g = try lexstat(d, ["index", "--year", "2023", "--within", "重庆市", "--aggregation", "geometric", "--format", "csv"])
        XCTAssertEqual(csvRows(g.out).last![0...2], ["4", "渝中区", "4.64"])

        let bad = try lexstat(d, ["index", "--year", "2023", "--within", "重庆市", "--weight", "nowhere=2"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("INVALID_ARGUMENT: area_weights: \"nowhere\" is not a function area"), bad.err)
    }

    func testCheckNamesFiguresAndSources() async throws {
        let d = try await Self.start()
        defer { d.stop() }
        let r = try lexstat(d, ["check", "--region", "重庆市", "--year", "2023", "--format", "csv"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("rate_range,重庆市南岸区 调解成功率 2023 is 104% (南岸区简报): a rate outside 0–100 %"), r.out)
        XCTAssertTrue(r.out.contains("sources_disagree,重庆市江北区 法律援助案件数 2023: 300件 (fixture) against 420件 (市局通报)"), r.out)
        XCTAssertEqual(csvRows(r.out).count, 3)
        let none = try lexstat(d, ["check", "--region", "成都市", "--year", "2023"])
        XCTAssertEqual(none.status, 0)
        XCTAssertTrue(none.err.contains("0 findings"))
    }

    func testBulletinMarkdown() async throws {
        let d = try await Self.start()
        defer { d.stop() }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bulletin-\(UUID().uuidString.prefix(8)).md")
        let r = try lexstat(d, ["bulletin", "--period", "2023", "--within", "重庆市", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("4 regions, 3 indicators, 1 targets missed, 2 findings"), r.err)
        let md = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(md.contains("| 1 | 渝北区 | 81.3 | +31.3 | 2 |"), md)
        XCTAssertTrue(md.contains("- 渝北区：第 2 名 → 第 1 名 ▲ 上升 1 位"), md)
        XCTAssertTrue(md.contains("### 法律援助案件数（件）越高越好"), md)
        XCTAssertTrue(md.contains("| 1 | 江北区 | 420 | ████████████████████ |"), md)
        XCTAssertTrue(md.contains("| 重庆市江北区 | 行政诉讼败诉率 | 5% | 6% |"), md)
        let bad = try lexstat(d, ["bulletin", "--period", "2023Q1", "--out", out.path])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("--period must be a year"), bad.err)
    }

    /// A body that is not the message, and nonsense in each field: a clear status, and the server goes on.
    func testMalformedRequestsGetAStatusAndTheServerGoesOn() async throws {
        let d = try await Self.start()
        defer { d.stop() }
        let c = try LexstatClient(address: .unix(path: d.socketPath))
        defer { c.connection.close() }
        for m in ["Score", "Index", "Check"] {
            do {
                _ = try await c.connection.call("lexstat.v1.Lexstat/\(m)", [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])
                XCTFail("\(m): expected INVALID_ARGUMENT")
            } catch {
                XCTAssertEqual(error.code, .invalidArgument, m)
                XCTAssertTrue(error.message.hasPrefix("request body is not a valid lexstat.v1."), error.message)
            }
        }
        let arena = WireArena()
        defer { withExtendedLifetime(arena) {} }
        var score = Lexstat__V1__ScoreRequest.make()
        score.scheme = arena.string("fixture")
        do {
            _ = try await c.call("Score", score, returning: Lexstat__V1__ScoreResponse.self)
            XCTFail("expected INVALID_ARGUMENT for a missing year")
        } catch {
            XCTAssertEqual(error.code, .invalidArgument)
            XCTAssertEqual(error.message, "year: required, e.g. 2024")
        }
        score.year = 2023
        score.level = Lexstat__V1__RegionLevel(rawValue: 9)
        do {
            _ = try await c.call("Score", score, returning: Lexstat__V1__ScoreResponse.self)
            XCTFail("expected INVALID_ARGUMENT for a level")
        } catch {
            XCTAssertTrue(error.message.hasPrefix("level: 9 is not a"), error.message)
        }
        var index = Lexstat__V1__IndexRequest.make()
        index.year = 2023
        index.within = arena.string("重庆市")
        index.robustness_runs = 1_000_000
        for (field, value, expected) in [("robustness_runs", "", "robustness_runs: 1000000 is more than 100000"),
                                         ("normalisation", "target", "normalisation: \"target\" is not one of minmax, zscore, rank"),
                                         ("aggregation", "harmonic", "aggregation: \"harmonic\" is not arithmetic or geometric")] {
            var req = index
            if field != "robustness_runs" {
                req.robustness_runs = 0
                if field == "normalisation" { req.normalisation = arena.string(value) } else { req.aggregation = arena.string(value) }
            }
            do {
                try await c.stream("Index", req, returning: Lexstat__V1__IndexEvent.self) { _ in }
                XCTFail("expected INVALID_ARGUMENT for \(field)")
            } catch {
                XCTAssertEqual(error.code, .invalidArgument)
                XCTAssertEqual(error.message, expected)
            }
        }
        var check = Lexstat__V1__CheckRequest.make()
        check.region = arena.string("没有这个地方")
        do {
            _ = try await c.call("Check", check, returning: Lexstat__V1__CheckResponse.self)
            XCTFail("expected NOT_FOUND")
        } catch {
            XCTAssertEqual(error.code, .notFound)
        }
        // Still serving, and the right answer.
        index.robustness_runs = 0
        let box = EventBox()
        try await c.stream("Index", index, returning: Lexstat__V1__IndexEvent.self) { box.add($0) }
        XCTAssertEqual(box.results.count, 1)
        XCTAssertEqual(box.results.first?.read { $0.result?.pointee.n_entries }, 4)
    }

    /// Help text is output like any other.
    func testHelp() throws {
        let s = try runLexstat(["score", "--help"])
        XCTAssertEqual(s.status, 0)
        XCTAssertTrue(s.out.contains("--explain <region>") && s.out.contains("A region whose score to break down, indicator by"), s.out)
        let i = try runLexstat(["index", "--help"])
        XCTAssertTrue(i.out.contains("--robustness <n>") && i.out.contains("report each region's median rank and"), i.out)
        let b = try runLexstat(["bulletin", "--help"])
        XCTAssertTrue(b.out.contains("--out <file>"), b.out)
        let bad = try runLexstat(["index", "--year", "2023", "--weight", "review"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("--weight review: expected AREA=W"), bad.err)
    }
}

/// Events of a stream, collected from the reader thread.
final class EventBox: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var events: [Decoded<Lexstat__V1__IndexEvent>] = []

    func add(_ e: Decoded<Lexstat__V1__IndexEvent>) { lock.lock(); events.append(e); lock.unlock() }

    var results: [Decoded<Lexstat__V1__IndexEvent>] {
        lock.lock()
        defer { lock.unlock() }
        return events.filter { $0.read { $0.event_case == LEXSTAT__V1__INDEX_EVENT__EVENT_RESULT } }
    }
}
