import Foundation
import LexstatClient
import LexstatRPC
import LexstatWire
import XCTest

/// Ingest end to end: a report-like text written for this test goes in
/// through the CLI, and every figure is checked where it was stored.
final class IngestTests: XCTestCase {
    /// A made-up county report (the sentences are ours; 示例县 is no real place, so it is filed under 重庆市江北区).
    static let report = """
        示例县司法局2025年工作总结

        2025年，示例县司法局围绕中心工作，各项业务平稳推进。现将有关情况报告如下。

        一、主要工作成效

        （一）行政复议工作。全年共受理行政复议案件312件，同比增长8.5%，审结298件，直接纠错率为6.4%。

        （二）公共法律服务。办理法律援助案件1,250件，提供法律咨询2.6万余人次，为困难群众挽回经济损失约1380万元。

        （三）人民调解工作。各级调解组织调处矛盾纠纷4200余件，调解成功率达到98.7%，较上年提高1.2个百分点。

        二、2026年工作安排

        力争受理行政复议案件不少于350件，法律援助案件达到1400件以上。

        """

    struct Expected {
        var number: String
        var value: Double
        var unit: String
        var bound: Lexstat__V1__Bound
        var kind: Lexstat__V1__ObservationKind
        var period: String
        var indicator: String
    }

    static let exact = LEXSTAT__V1__BOUND__BOUND_EXACT
    static let actual = LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_ACTUAL
    static let expected: [Expected] = [
        Expected(number: "312件", value: 312, unit: "件", bound: exact, kind: actual, period: "2025", indicator: "review.cases_received"),
        Expected(number: "8.5%", value: 8.5, unit: "%", bound: exact, kind: LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_CHANGE,
                 period: "2025", indicator: "review.cases_received"),
        Expected(number: "298件", value: 298, unit: "件", bound: exact, kind: actual, period: "2025", indicator: "review.cases_closed"),
        Expected(number: "6.4%", value: 6.4, unit: "%", bound: exact, kind: actual, period: "2025", indicator: "review.correction_rate"),
        Expected(number: "1,250件", value: 1250, unit: "件", bound: exact, kind: actual, period: "2025", indicator: "service.legal_aid_cases"),
        Expected(number: "2.6万余人次", value: 26000, unit: "人次", bound: LEXSTAT__V1__BOUND__BOUND_AT_LEAST, kind: actual,
                 period: "2025", indicator: "service.consultations"),
        Expected(number: "约1380万元", value: 13_800_000, unit: "元", bound: LEXSTAT__V1__BOUND__BOUND_APPROX, kind: actual,
                 period: "2025", indicator: "service.losses_recovered"),
        Expected(number: "4200余件", value: 4200, unit: "件", bound: LEXSTAT__V1__BOUND__BOUND_AT_LEAST, kind: actual,
                 period: "2025", indicator: "mediation.disputes_resolved"),
        Expected(number: "98.7%", value: 98.7, unit: "%", bound: exact, kind: actual, period: "2025", indicator: "mediation.success_rate"),
        Expected(number: "1.2个百分点", value: 1.2, unit: "pp", bound: exact, kind: LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_CHANGE,
                 period: "2025", indicator: "mediation.success_rate"),
        Expected(number: "不少于350件", value: 350, unit: "件", bound: LEXSTAT__V1__BOUND__BOUND_AT_LEAST,
                 kind: LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_TARGET, period: "2026", indicator: "review.cases_received"),
        Expected(number: "1400件以上", value: 1400, unit: "件", bound: LEXSTAT__V1__BOUND__BOUND_AT_LEAST,
                 kind: LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_TARGET, period: "2026", indicator: "service.legal_aid_cases"),
    ]

    func write(_ text: String, gb18030 gbk: Bool = false, in d: DaemonProcess, name: String = "report.txt") throws -> String {
        let path = d.dir.appendingPathComponent(name).path
        try (gbk ? gb18030(text) : Data(text.utf8)).write(to: URL(fileURLWithPath: path))
        return path
    }

    func storedObservations(_ d: DaemonProcess) async throws -> [Lexstat__V1__Observation] {
        let c = try LexstatClient(address: .unix(path: d.socketPath))
        var req = Lexstat__V1__QueryObservationsRequest.make()
        req.page_size = 1000
        let page = try await c.call("QueryObservations", req, returning: Lexstat__V1__QueryObservationsResponse.self)
        // Copy out what the assertions need while the decoded message is alive.
        return page.read { m in wireList(m.n_observations, m.observations).compactMap { $0?.pointee } }
    }

    func testIngestStoresEveryFigureWithItsSpan() async throws {
        let d = try DaemonProcess()
        let file = try write(IngestTests.report, in: d)
                let r = try runLexstat(["ingest", file, "--region", "重庆市江北区", "--year", "2025", "--kind", "annual_summary",
                                 "--server", "unix:\(d.socketPath)"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("stored report 1: 12 figures, 2 of them targets (read as UTF-8)"), r.err)
        XCTAssertFalse(r.err.contains("note: read as UTF-8"), "said once, not twice: \(r.err)")
        XCTAssertTrue(r.out.contains("不少于350件"), r.out)

        let c = try LexstatClient(address: .unix(path: d.socketPath))
        var req = Lexstat__V1__QueryObservationsRequest.make()
        req.page_size = 1000
        let page = try await c.call("QueryObservations", req, returning: Lexstat__V1__QueryObservationsResponse.self)
        let text = Array(IngestTests.report.unicodeScalars)
        page.read { m in
            let obs = wireList(m.n_observations, m.observations).compactMap { $0?.pointee }
            XCTAssertEqual(obs.count, IngestTests.expected.count)
            for (o, e) in zip(obs, IngestTests.expected) {
                let p = o.provenance.pointee
                let quote = wireString(p.quote)
                XCTAssertTrue(quote.hasSuffix(e.number), "\(quote) ends with \(e.number)")
                XCTAssertEqual(o.value, e.value, quote)
                XCTAssertEqual(wireString(o.unit), e.unit, quote)
                XCTAssertEqual(o.bound, e.bound, quote)
                XCTAssertEqual(o.kind, e.kind, quote)
                XCTAssertEqual(wireString(o.period), e.period, quote)
                XCTAssertEqual(wireString(o.indicator), e.indicator, quote)
                XCTAssertEqual(wireString(o.region), "500105", quote)
                XCTAssertEqual(p.report_id, 1, quote)
                // The span points at the number in the stored text.
                let span = String(String.UnicodeScalarView(text[Int(p.start)..<Int(p.end)]))
                XCTAssertEqual(span, e.number, quote)
            }
        }

        // The report is listed with its sections.
        var get = Lexstat__V1__GetReportRequest.make()
        get.id = 1
        get.with_sections = 1
        let rep = try await c.call("GetReport", get, returning: Lexstat__V1__Report.self)
        rep.read { m in
            XCTAssertEqual(wireString(m.title), "示例县司法局2025年工作总结")
            XCTAssertEqual(m.kind, LEXSTAT__V1__REPORT_KIND__REPORT_KIND_ANNUAL_SUMMARY)
            XCTAssertEqual(m.observation_count, 12)
            XCTAssertEqual(Int(m.length), IngestTests.report.unicodeScalars.count, "length without asking for the text")
            XCTAssertEqual(wireString(m.text), "", "no text unless asked")
            let sections = wireList(m.n_sections, m.sections).compactMap { $0?.pointee }
            XCTAssertEqual(sections.filter { $0.depth == 1 }.map { $0.class_ },
                           [LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_RESULTS, LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_PLANS])
        }
    }

    func testTheSameTextTwiceIsStoredOnceEvenInAnotherEncoding() async throws {
        let d = try DaemonProcess()
        let utf8 = try write(IngestTests.report, in: d)
        let gbk = try write(IngestTests.report, gb18030: true, in: d, name: "gbk.txt")
                let first = try runLexstat(["ingest", utf8, "--region", "500105", "--server", "unix:\(d.socketPath)"])
        XCTAssertEqual(first.status, 0, first.err)
        let again = try runLexstat(["ingest", gbk, "--region", "500105", "--server", "unix:\(d.socketPath)"])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertTrue(again.err.contains("already stored as report 1: nothing stored (read as GB18030)"), again.err)
        let obs = try await storedObservations(d)
        XCTAssertEqual(obs.count, 12)
    }

    func testDryRunStoresNothing() async throws {
        let d = try DaemonProcess()
        let file = try write(IngestTests.report, in: d)
        let r = try runLexstat(["ingest", file, "--region", "500105", "--dry-run", "--server", "unix:\(d.socketPath)"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("dry run: 12 figures read, nothing stored"), r.err)
        let obs = try await storedObservations(d)
        XCTAssertEqual(obs.count, 0)
    }

    func testBadInputIsRefusedAndNothingIsStored() async throws {
        let d = try DaemonProcess(["--max-report-bytes", "2000"])
        let empty = try write("", in: d, name: "empty.txt")
        let r1 = try runLexstat(["ingest", empty, "--region", "500105", "--server", "unix:\(d.socketPath)"])
        XCTAssertNotEqual(r1.status, 0)
        XCTAssertTrue(r1.err.contains("INVALID_ARGUMENT") && r1.err.contains("content: ") && r1.err.contains("empty"), r1.err)

        let binary = d.dir.appendingPathComponent("bin.txt").path
        try Data([0x00, 0x01, 0xff, 0xfe, 0x00, 0x7f] + Array(repeating: 0, count: 100)).write(to: URL(fileURLWithPath: binary))
        let r2 = try runLexstat(["ingest", binary, "--region", "500105", "--server", "unix:\(d.socketPath)"])
        XCTAssertTrue(r2.err.contains("INVALID_ARGUMENT") && r2.err.contains("content: ") && r2.err.contains("binary"), r2.err)

        let big = try write(String(repeating: IngestTests.report, count: 5), in: d, name: "big.txt")
        let r3 = try runLexstat(["ingest", big, "--region", "500105", "--server", "unix:\(d.socketPath)"])
        XCTAssertTrue(r3.err.contains("INVALID_ARGUMENT") && r3.err.contains("content: ") && r3.err.contains("2000"), r3.err)

        let ok = try write(IngestTests.report, in: d, name: "ok.txt")
        let r4 = try runLexstat(["ingest", ok, "--region", "不存在的地方", "--server", "unix:\(d.socketPath)"])
        XCTAssertTrue(r4.err.contains("NOT_FOUND"), r4.err)

        let obs = try await storedObservations(d)
        XCTAssertEqual(obs.count, 0, "nothing of a refused ingest is stored")
    }

    /// With the default limits a report just under the report limit (8 MiB, twice the 4 MiB frame
    /// limit) reaches the server in several frames and is stored; one byte over it is refused by
    /// the report limit, naming it, and not by the frame or request limit.
    func testAReportJustUnderTheDefaultLimitIngestsAndOneOverGetsTheReportLimit() throws {
        let d = try DaemonProcess()
        let limit = 8 * 1024 * 1024
        // The sample report, then lines of plain text without a figure, then ASCII spaces to the byte.
        var text = IngestTests.report
        let filler = "示例县司法局持续推进各项工作，不断提升群众满意度。\n"
        let room = limit - 16 - text.utf8.count
        text += String(repeating: filler, count: room / filler.utf8.count)
        text += String(repeating: " ", count: limit - 16 - text.utf8.count)
        XCTAssertEqual(text.utf8.count, limit - 16)
        let under = try write(text, in: d, name: "under.txt")
        let ok = try runLexstat(["ingest", under, "--region", "重庆市江北区", "--year", "2025", "--server", "unix:\(d.socketPath)",
                                 "--timeout", "120"])
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.err.contains("stored report 1: 12 figures"), ok.err)

        let over = try write(text + String(repeating: " ", count: 17), in: d, name: "over.txt")
        let bad = try runLexstat(["ingest", over, "--region", "重庆市江北区", "--year", "2025", "--server", "unix:\(d.socketPath)"])
        XCTAssertEqual(bad.status, 1, bad.err)
        XCTAssertTrue(bad.err.contains("INVALID_ARGUMENT: content: "), bad.err)
        XCTAssertTrue(bad.err.contains("the report has \(limit + 1) bytes, more than the report limit of \(limit) bytes (limits.max_report_bytes)"), bad.err)
        XCTAssertFalse(bad.err.contains("frame"), bad.err)
    }

    func testExtractOverTheServerMatchesOffline() throws {
        let d = try DaemonProcess()
        let file = try write(IngestTests.report, in: d, name: "sample.txt")
        let online = try runLexstat(["extract", "--jsonl", file, "--server", "unix:\(d.socketPath)"])
        let offline = try runLexstat(["extract", "--offline", "--jsonl", file])
        XCTAssertEqual(online.status, 0, online.err)
        XCTAssertEqual(offline.status, 0, offline.err)
        let lines = offline.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 12)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        XCTAssertEqual(first?["doc"] as? String, "sample")
        XCTAssertEqual(first?["number_text"] as? String, "312件")
        func essentials(_ s: String) throws -> [[String]] {
            try s.split(separator: "\n").map { l in
                let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any])
                return ["start", "end", "number_text", "value", "unit", "bound", "kind", "period", "indicator"].map { "\(o[$0] ?? "")" }
            }
        }
        XCTAssertEqual(try essentials(online.out), try essentials(offline.out))
    }

    func testOfflineExtractRefusesAFileNamingItOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lexstat-extract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.txt").path
        let binary = dir.appendingPathComponent("binary.txt").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        FileManager.default.createFile(atPath: binary, contents: Data([0x00, 0x01, 0x02, 0x41, 0x00]))
        for (file, reason) in [(empty, "the file is empty"), (binary, "binary data")] {
            let r = try runLexstat(["extract", "--offline", file])
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.err.contains("INVALID_ARGUMENT") && r.err.contains(reason), r.err)
            XCTAssertEqual(r.err.components(separatedBy: file).count - 1, 1, "the file is named once: \(r.err)")
            XCTAssertEqual(r.out, "", "nothing printed for a refused file")
        }
    }
}
