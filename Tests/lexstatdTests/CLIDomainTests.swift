import Foundation
import XCTest

/// The domain commands of `lexstat` end to end: a daemon, a fixture loaded
/// through `lexstat import`, and each command's table, CSV, JSON and errors.
final class CLIDomainTests: XCTestCase {
    /// Made-up figures for 重庆市 districts.
    ///
    /// - service.legal_aid_cases (件, additive, higher is better): 江北区 2021–2023 as
    ///   years, 2023Q1, and 2024 only by three quarters (one approximate); 2023 for
    ///   four districts with 江北区 and 渝中区 tied; 重庆市's own 2023 figure.
    /// - litig.loss_rate (%, a rate, lower is better) 2023: 渝北区 and 南岸区 tied best.
    /// - targets: 江北区 2023 (one met, one missed), 渝北区 2024 (no actual).
    static let fixture = """
        region,indicator,period,value,unit,bound,kind,source
        重庆市江北区,service.legal_aid_cases,2021,980,件,,,fixture
        重庆市江北区,service.legal_aid_cases,2022,1100,件,,,fixture
        重庆市江北区,service.legal_aid_cases,2023,1200,件,exact,actual,fixture
        重庆市江北区,service.legal_aid_cases,2023Q1,250,件,,,fixture
        重庆市江北区,service.legal_aid_cases,2024Q1,300,件,,,fixture
        重庆市江北区,service.legal_aid_cases,2024Q2,340,件,,,fixture
        重庆市江北区,service.legal_aid_cases,2024Q3,310,件,approx,,fixture
        500112,service.legal_aid_cases,2023,1500,件,,,fixture
        重庆市渝中区,service.legal_aid_cases,2023,1200,件,,,fixture
        重庆市南岸区,service.legal_aid_cases,2023,900,件,,,
        重庆市,service.legal_aid_cases,2023,40000,件,at_least,actual,"重庆市司法局, 2023年工作总结"
        重庆市江北区,litig.loss_rate,2023,5.2,%,,,fixture
        重庆市渝北区,litig.loss_rate,2023,3.1,%,,,fixture
        重庆市渝中区,litig.loss_rate,2023,7.4,%,,,fixture
        重庆市南岸区,litig.loss_rate,2023,3.1,%,,,fixture
        重庆市江北区,service.legal_aid_cases,2023,1000,件,at_least,target,fixture plan
        重庆市江北区,litig.loss_rate,2023,5,%,at_most,target,fixture plan
        重庆市渝北区,service.legal_aid_cases,2024,2000,件,at_least,target,fixture plan

        """
    static let fixtureRows = 18

    /// A daemon with the fixture imported through the CLI.
    func loaded(_ extra: [String] = []) throws -> (DaemonProcess, CLIRunner) {
        let d = try DaemonProcess(extra)
        let cli = CLIRunner(d)
        let file = d.dir.appendingPathComponent("fixture.csv")
        try Self.fixture.write(to: file, atomically: true, encoding: .utf8)
        let r = try cli("import", file.path)
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertEqual(r.out, "imported \(Self.fixtureRows) figures from fixture.csv\n")
        return (d, cli)
    }

    /// The cells of a table line (split at runs of spaces).
    func cells(_ line: String) -> [String] {
        line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: - import, observations, export

    func testImportedFiguresListAsTableCSVAndJSON() throws {
        let (_, cli) = try loaded()
        let t = try cli("observations", "--indicator", "service.legal_aid_cases", "--region", "重庆市江北区", "--kind", "actual")
        XCTAssertEqual(t.status, 0, "\(t)")
        XCTAssertTrue(t.lines[0].hasPrefix("ID  REGION"), t.out)
        XCTAssertTrue(t.out.contains("≈310"), t.out)
        XCTAssertTrue(t.out.contains("7 of 7 figures\n"), t.out)

        let c = try cli("observations", "--region", "重庆市", "--descendants", "--format", "csv", "--all")
        let rows = parseCSV(c.out)
        XCTAssertEqual(rows.first, ["id", "region", "region_name", "indicator", "subject", "period", "value", "unit", "bound",
                                    "kind", "report_id", "source", "quote"])
        XCTAssertEqual(rows.count, 1 + Self.fixtureRows, c.out)
        let own = rows.first { $0[1] == "500000" && $0[3] == "service.legal_aid_cases" }
        XCTAssertEqual(own?[6], "40000")
        XCTAssertEqual(own?[8], "at_least")
        XCTAssertEqual(own?[11], "重庆市司法局, 2023年工作总结")

        let j = try parseJSON(try cli("observations", "--indicator", "litig.loss_rate", "--format", "json").out)
        XCTAssertEqual((j["observations"] as? [Any])?.count, 5)
        XCTAssertEqual(j["total"] as? Int, 5)
    }

    func testObservationsPageWithATokenAndAll() throws {
        let (_, cli) = try loaded()
        let first = try cli("observations", "--region", "重庆市", "--descendants", "--page-size", "5")
        XCTAssertEqual(first.status, 0, "\(first)")
        XCTAssertEqual(first.lines.count, 1 + 5 + 1 + 1, first.out)  // header, rows, footer, final newline
        let footer = first.lines[6]
        XCTAssertTrue(footer.hasPrefix("5 of \(Self.fixtureRows) figures; next page: --page-token "), footer)
        let token = String(footer.split(separator: " ").last!)
        let second = try cli("observations", "--region", "重庆市", "--descendants", "--page-size", "5", "--page-token", token,
                             "--format", "csv")
        XCTAssertEqual(parseCSV(second.out).count, 1 + 5, second.out)
        XCTAssertFalse(second.out.contains(first.lines[1].split(separator: " ")[0] + ","), "pages overlap")
        XCTAssertTrue(second.err.contains("next page: --page-token"), second.err)  // notes stay off the CSV

        let all = try parseJSON(try cli("observations", "--region", "重庆市", "--descendants", "--page-size", "5", "--all",
                                        "--format", "json").out)
        XCTAssertEqual((all["observations"] as? [Any])?.count, Self.fixtureRows)
        XCTAssertEqual(all["next_page_token"] as? String, "")

        let bad = try cli("observations", "--page-token", "garbage")
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("INVALID_ARGUMENT: page_token"), bad.err)
    }

    func testABadRowFailsTheImportWithItsLineAndStoresNothing() throws {
        let (d, cli) = try loaded()
        let file = d.dir.appendingPathComponent("bad.csv")
        try """
            region,indicator,period,value,unit,bound,kind,source
            重庆市江北区,service.legal_aid_cases,2019,700,件,,,bad
            重庆市江北区,service.legal_aid_cases,2020,abc,件,,,bad
            """.write(to: file, atomically: true, encoding: .utf8)
        let r = try cli("import", file.path)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("INVALID_ARGUMENT: bad.csv:3: value"), r.err)
        let after = try cli("observations", "--indicator", "service.legal_aid_cases", "--region", "重庆市江北区",
                            "--from", "2019", "--to", "2020")
        XCTAssertTrue(after.out.hasSuffix("0 of 0 figures\n"), after.out)

        let missing = try cli("import", d.dir.appendingPathComponent("nope.csv").path)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.err.contains("cannot read"), missing.err)
    }

    func testExportWritesTheImportLayoutAndImportsAgain() throws {
        let (d, cli) = try loaded()
        let r = try cli("export", "--region", "重庆市", "--descendants")
        XCTAssertEqual(r.status, 0, "\(r)")
        let rows = parseCSV(r.out)
        XCTAssertEqual(rows.first, ["region", "indicator", "period", "value", "unit", "bound", "kind", "source", "subject"])
        XCTAssertEqual(rows.count, 1 + Self.fixtureRows)
        XCTAssertTrue(r.out.contains("500000,service.legal_aid_cases,2023,40000,件,at_least,actual,\"重庆市司法局, 2023年工作总结\","),
                      r.out)
        let filtered = try cli("export", "--indicator", "litig.loss_rate", "--format", "csv")
        XCTAssertEqual(parseCSV(filtered.out).count, 1 + 5, filtered.out)  // four actuals and a target
        let json = try cli("export", "--format", "json")
        XCTAssertNotEqual(json.status, 0)
        XCTAssertTrue(json.err.contains("export writes CSV"), json.err)

        // The export loads into an empty server as it is.
        let file = d.dir.appendingPathComponent("export.csv")
        try r.out.write(to: file, atomically: true, encoding: .utf8)
        let other = try DaemonProcess()
        let again = try CLIRunner(other)("import", file.path)
        XCTAssertEqual(again.out, "imported \(Self.fixtureRows) figures from export.csv\n", "\(again)")
        // …and into the server it came from adds nothing twice.
        let same = try cli("import", file.path)
        XCTAssertEqual(same.out, "imported 0 figures from export.csv; \(Self.fixtureRows) already stored from the same source, skipped\n",
                       "\(same)")
    }

    func testExportStreamsEveryStoredFigure() throws {
        let (_, cli) = try loaded(["--demo"])
        let total = try XCTUnwrap(try parseJSON(try cli("observations", "--page-size", "1", "--format", "json").out)["total"] as? Int)
        XCTAssertGreaterThan(total, 500)
        let r = try cli("export")
        XCTAssertEqual(r.status, 0, r.err)
        let rows = parseCSV(r.out)
        XCTAssertEqual(rows.count, 1 + total)
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.count == 9 }, "every row has the nine columns")
        XCTAssertGreaterThan(Set(rows.dropFirst().map { $0[0] }).count, 3, "figures of several regions")
        // Figures read from the demo's reports name the report and its title.
        let fromReports = rows.dropFirst().map { $0[7] }.filter { $0.hasPrefix("report ") }
        XCTAssertFalse(fromReports.isEmpty)
        for source in fromReports {
            let title = source.split(separator: ":", maxSplits: 1).dropFirst().first?.trimmingCharacters(in: .whitespaces) ?? ""
            XCTAssertFalse(title.isEmpty, "a report figure's source has the title: \(source)")
        }
    }

    // MARK: - series

    func testSeriesByYearShowsChangesDerivedYearAndSparkline() throws {
        let (d, cli) = try loaded()
        let svg = d.dir.appendingPathComponent("series.svg")
        let r = try cli("series", "service.legal_aid_cases", "--region", "重庆市江北区", "--svg", svg.path)
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertEqual(r.lines[0], "法律援助案件数 (service.legal_aid_cases) · 重庆市江北区 · by year · 件")
        XCTAssertEqual(r.lines[2], "PERIOD  VALUE  CHANGE  CHANGE %  SOURCE")
        XCTAssertEqual(r.lines[3], "2021      980                    fixture")
        XCTAssertEqual(r.lines[4], "2022     1100    +120    +12.2%  fixture")
        XCTAssertEqual(r.lines[5], "2023     1200    +100     +9.1%  fixture")
        // 2024 has three of its four quarters: a lower bound, listed but compared with nothing
        // and left out of the trend and the chart.
        XCTAssertEqual(r.lines[6], "2024     ≈950                    sum of 3/4 quarters, partial: not compared")
        XCTAssertTrue(r.lines[8].hasPrefix("trend  ▁▅█   2021–2024  (low 980 in 2021, high 1200 in 2023)"), r.lines[8])
        XCTAssertEqual(r.lines[9], "chart written to \(svg.path)")

        let census = try XCTUnwrap(XMLCensus.of(file: svg), "the SVG is not well-formed XML")
        XCTAssertEqual(census["svg"], 1)
        XCTAssertEqual(census["circle.point"], 3)
        XCTAssertEqual(census["path.line"], 1)
        XCTAssertEqual(census["text.x-tick"], 4)
        XCTAssertTrue(census.texts.contains { $0.hasSuffix("partial sums left out") }, "\(census.texts)")
        XCTAssertFalse(census.texts.contains { $0.contains("950") || $0.contains("approximately") }, "\(census.texts)")
        XCTAssertTrue(try String(contentsOf: svg, encoding: .utf8).contains("font-family=\"'Noto Sans CJK SC'"))

        let c = parseCSV(try cli("series", "service.legal_aid_cases", "--region", "500105", "--format", "csv").out)
        XCTAssertEqual(c[0], ["period", "value", "bound", "change", "change_pct", "yoy_change", "yoy_pct", "derived", "parts",
                              "parts_expected", "source"])
        XCTAssertEqual(Array(c[4][0...4]), ["2024", "950", "approx", "", ""])
        XCTAssertEqual(Array(c[4][7...9]), ["true", "3", "4"])

        let j = try parseJSON(try cli("series", "service.legal_aid_cases", "--region", "500105", "--format", "json").out)
        let points = try XCTUnwrap(j["points"] as? [[String: Any]])
        XCTAssertEqual(points.map { $0["period"] as? String }, ["2021", "2022", "2023", "2024"])
        XCTAssertEqual(points[3]["derived"] as? Bool, true)
        XCTAssertEqual((j["region"] as? [String: Any])?["code"] as? String, "500105")
    }

    func testRepeatedReadsComeFromTheCacheAndAWriteIsSeenAtOnce() throws {
        let (d, cli) = try loaded(["--metrics-listen", "127.0.0.1:0"])
        guard let l = d.waitForLine(containing: "metrics on http://127.0.0.1:", timeout: 10),
              let at = l.range(of: "http://127.0.0.1:"), let mport = Int(l[at.upperBound...].prefix { $0.isNumber }) else {
            return XCTFail(d.log)
        }
        let args = ["series", "service.legal_aid_cases", "--region", "重庆市江北区", "--format", "csv"]
        let first = try cli.run(args)
        let hitsBefore = sampleValue(httpGet(port: mport, path: "/metrics")?.body ?? "", "lexstat_cache_hits_total") ?? 0
        let second = try cli.run(args)
        XCTAssertEqual(first.status, 0, "\(first)")
        XCTAssertEqual(second.out, first.out)
        let metrics = httpGet(port: mport, path: "/metrics")?.body ?? ""
        XCTAssertEqual((sampleValue(metrics, "lexstat_cache_hits_total") ?? 0) - hitsBefore, 1, metrics)
        XCTAssertGreaterThan(sampleValue(metrics, "lexstat_cache_bytes") ?? 0, 0)

        let file = d.dir.appendingPathComponent("more.csv")
        try "region,indicator,period,value,unit,bound,kind,source\n重庆市江北区,service.legal_aid_cases,2025,1300,件,,,fixture\n"
            .write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli("import", file.path).status, 0)
        let third = try cli.run(args)
        XCTAssertTrue(third.out.contains("\n2025,1300,"), "the write is seen by the next read:\n\(third.out)")
        XCTAssertFalse(first.out.contains("\n2025,"))
    }

    func testSeriesByQuarterHasYearOnYearAndGaps() throws {
        let (d, cli) = try loaded()
        let svg = d.dir.appendingPathComponent("quarters.svg")
        let r = try cli("series", "service.legal_aid_cases", "--region", "重庆市江北区", "--by", "quarter",
                        "--from", "2023", "--to", "2024", "--svg", svg.path)
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertEqual(r.lines[2], "PERIOD  VALUE  CHANGE  CHANGE %  YOY   YOY %  SOURCE")
        XCTAssertEqual(r.lines[3], "2023Q1    250                                 fixture")
        XCTAssertEqual(r.lines[4], "2023Q2      —                                 no data")
        XCTAssertEqual(r.lines[7], "2024Q1    300                    +50  +20.0%  fixture")
        XCTAssertEqual(r.lines[8], "2024Q2    340     +40    +13.3%               fixture")
        XCTAssertEqual(r.lines[9], "2024Q3   ≈310     -30     -8.8%               fixture")
        XCTAssertTrue(r.lines[12].hasPrefix("trend  ▁   ▅█▆ "), r.lines[12])
        let census = try XCTUnwrap(XMLCensus.of(file: svg))
        XCTAssertEqual(census["circle.point"], 4)
        XCTAssertEqual(census["text.x-tick"], 8)

        // Without --from, by quarter starts at the first quarter reported, not at the first year.
        let all = try cli("series", "service.legal_aid_cases", "--region", "重庆市江北区", "--by", "quarter")
        XCTAssertTrue(all.lines[3].hasPrefix("2023Q1    250"), all.out)
        XCTAssertEqual(all.out.components(separatedBy: "\n2024Q").count - 1, 3, all.out)

        // A region that reports whole years only has nothing to show by month: said, not 60 rows of no data.
        let months = try cli("series", "litig.loss_rate", "--region", "重庆市江北区", "--by", "month")
        XCTAssertEqual(months.status, 0, "\(months)")
        XCTAssertTrue(months.out.contains("no figures by month: none were reported by month; try --by year\n"), months.out)
    }

    func testARatesChangeIsInPercentagePoints() throws {
        let (d, cli) = try loaded()
        let file = d.dir.appendingPathComponent("rate.csv")
        try "region,indicator,period,value,unit,bound,kind,source\n重庆市江北区,litig.loss_rate,2024,4.5,%,,,y\n"
            .write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli("import", file.path).status, 0)
        let r = try cli("series", "litig.loss_rate", "--region", "重庆市江北区")
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertTrue(r.out.contains("\n2024      4.5  -0.7 pp    -13.5%  y\n"), r.out)
    }

    func testSeriesErrorsNameTheField() throws {
        let (_, cli) = try loaded()
        let unknown = try cli("series", "service.legal_aid_cases", "--region", "重庆市江背区")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.err.contains("NOT_FOUND: region"), unknown.err)
        XCTAssertTrue(unknown.err.contains("did you mean"), unknown.err)
        let ambiguous = try cli("series", "service.legal_aid_cases", "--region", "江北区")
        XCTAssertTrue(ambiguous.err.contains("重庆市江北区 (500105)"), ambiguous.err)
        let indicator = try cli("series", "法律援助案件总数", "--region", "500105")
        XCTAssertTrue(indicator.err.contains("NOT_FOUND: indicator"), indicator.err)
        XCTAssertTrue(indicator.err.contains("service.legal_aid_cases"), indicator.err)
        let period = try cli("series", "service.legal_aid_cases", "--region", "500105", "--from", "2024Q5")
        XCTAssertTrue(period.err.contains("INVALID_ARGUMENT"), period.err)
        XCTAssertTrue(period.err.contains("quarter"), period.err)
        XCTAssertEqual(period.out, "")
    }

    // MARK: - compare

    func testCompareRanksBestFirstWithTiesBarsAndMissing() throws {
        let (d, cli) = try loaded()
        let svg = d.dir.appendingPathComponent("compare.svg")
        let r = try cli("compare", "service.legal_aid_cases", "--year", "2023", "--within", "重庆市", "--svg", svg.path)
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertEqual(r.lines[0], "法律援助案件数 (service.legal_aid_cases) · 2023 · within 重庆市 · higher is better · 件")
        XCTAssertEqual(r.lines[2], "RANK  REGION  VALUE")
        XCTAssertEqual(r.lines[3], "   1  渝北区   1500  " + String(repeating: "█", count: 30))
        let tied = Set([r.lines[4], r.lines[5]])
        XCTAssertEqual(tied, ["   2  江北区   1200  " + String(repeating: "█", count: 24),
                              "   2  渝中区   1200  " + String(repeating: "█", count: 24)])
        XCTAssertEqual(r.lines[6], "   4  南岸区    900  " + String(repeating: "█", count: 18))
        XCTAssertTrue(r.lines[8].hasPrefix("no data (34): 万州区 涪陵区"), r.lines[8])
        XCTAssertFalse(r.out.contains("no data (34): 万州区 涪陵区 渝中区"))

        let census = try XCTUnwrap(XMLCensus.of(file: svg), "the SVG is not well-formed XML")
        XCTAssertEqual(census["rect.bar"], 4)
        XCTAssertEqual(census["text.label"], 4)
        XCTAssertTrue(census.texts.contains("1. 渝北区"), "\(census.texts)")
        XCTAssertTrue(census.texts.contains { $0.hasPrefix("No data (34):") }, "\(census.texts)")

        let c = parseCSV(try cli("compare", "service.legal_aid_cases", "--year", "2023", "--within", "500000", "--format", "csv").out)
        XCTAssertEqual(c[0], ["rank", "region", "region_name", "value", "bound", "source"])
        XCTAssertEqual(c[1], ["1", "500112", "渝北区", "1500", "exact", "fixture"])
        XCTAssertEqual(c.count, 1 + 4 + 34)
        XCTAssertEqual(c.last?[0], "")
        XCTAssertEqual(c.last?[3], "")
    }

    func testCompareNamesTheResolvedRegionAndMarksSums() throws {
        let (d, cli) = try loaded()
        let file = d.dir.appendingPathComponent("quarters.csv")
        try "region,indicator,period,value,unit,bound,kind,source\n"
            .appending((1...4).map { "重庆市南岸区,service.legal_aid_cases,2025Q\($0),250,件,,,q\n" }.joined())
            .appending("重庆市渝北区,service.legal_aid_cases,2025,900,件,,,y\n")
            .write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli("import", file.path).status, 0)
        let r = try cli("compare", "service.legal_aid_cases", "--year", "2025", "--within", "重庆")
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertEqual(r.lines[0], "法律援助案件数 (service.legal_aid_cases) · 2025 · within 重庆市 · higher is better · 件")
        XCTAssertTrue(r.lines[3].hasPrefix("   1  南岸区 Σ   1000  "), r.lines[3])
        XCTAssertTrue(r.lines[4].hasPrefix("   2  渝北区      900  "), r.lines[4])
        XCTAssertTrue(r.out.contains("\nΣ  the sum of the period's quarters or months, every one reported\n"), r.out)
    }

    func testCompareRanksALowerIsBetterRateLowestFirst() throws {
        let (_, cli) = try loaded()
        let r = try cli("compare", "litig.loss_rate", "--year", "2023", "--within", "重庆市")
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertTrue(r.lines[0].contains("lower is better"), r.lines[0])
        XCTAssertEqual([cells(r.lines[3]), cells(r.lines[4])].map { Array($0.prefix(3)) }.sorted { $0[1] < $1[1] },
                       [["1", "南岸区", "3.1"], ["1", "渝北区", "3.1"]])
        XCTAssertTrue(r.lines[5].hasPrefix("   3  江北区    5.2  "), r.lines[5])
        XCTAssertEqual(r.lines[6], "   4  渝中区    7.4  " + String(repeating: "█", count: 30))
        let j = try parseJSON(try cli("compare", "litig.loss_rate", "--year", "2023", "--within", "重庆市", "--format", "json").out)
        let entries = try XCTUnwrap(j["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["rank"] as? Int }, [1, 1, 3, 4])
        XCTAssertEqual((j["missing"] as? [Any])?.count, 34)

        let year = try cli("compare", "litig.loss_rate", "--year", "1800")
        XCTAssertEqual(year.status, 64)
        XCTAssertTrue(year.err.contains("--year 1800 is outside 1949–2100"), year.err)
    }

    // MARK: - rollup

    func testRollupSumsChildrenWithPartialCoverageBesideTheOwnFigure() throws {
        let (_, cli) = try loaded()
        let r = try cli("rollup", "service.legal_aid_cases", "--region", "重庆市", "--year", "2023")
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertEqual(r.lines[0], "法律援助案件数 (service.legal_aid_cases) · 重庆市 · 2023 · 件")
        XCTAssertTrue(r.out.contains("\n渝北区                 1500  " + String(repeating: "█", count: 20) + "\n"), r.out)
        XCTAssertTrue(r.out.contains("\n万州区                    —\n"), r.out)
        XCTAssertTrue(r.out.hasSuffix("""
            sum of children      4800  4 of 38 children reported (a lower bound)
            重庆市 own figure   40000
            difference         +35200  own − sum

            """), r.out)

        let c = parseCSV(try cli("rollup", "service.legal_aid_cases", "--region", "重庆市", "--year", "2023", "--format", "csv").out)
        XCTAssertEqual(c[0], ["row", "region", "region_name", "value", "reported", "total"])
        XCTAssertEqual(c.filter { $0[0] == "child" }.count, 38)
        XCTAssertEqual(c.first { $0[0] == "sum" }, ["sum", "500000", "重庆市", "4800", "4", "38"])
        XCTAssertEqual(c.first { $0[0] == "difference" }?[3], "35200")
        let j = try parseJSON(try cli("rollup", "service.legal_aid_cases", "--region", "重庆市", "--year", "2023", "--format", "json").out)
        XCTAssertEqual(j["children_reported"] as? Int, 4)
        XCTAssertEqual(j["children_total"] as? Int, 38)
    }

    func testRollupRefusesARate() throws {
        let (_, cli) = try loaded()
        let r = try cli("rollup", "litig.loss_rate", "--region", "重庆市", "--year", "2023")
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("FAILED_PRECONDITION: indicator litig.loss_rate"), r.err)
        XCTAssertTrue(r.err.contains("do not add up"), r.err)
    }

    // MARK: - targets

    func testTargetsShowMetMissedAndNoData() throws {
        let (_, cli) = try loaded()
        let r = try cli("targets", "--region", "重庆市江北区", "--year", "2023")
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertEqual(r.lines[0], "REGION        INDICATOR                PERIOD    TARGET   ACTUAL  STATUS")
        XCTAssertTrue(r.out.contains("service.legal_aid_cases  2023    ≥1000 件  1200 件  met\n"), r.out)
        XCTAssertTrue(r.out.contains("litig.loss_rate          2023        ≤5 %    5.2 %  missed\n"), r.out)
        XCTAssertTrue(r.out.hasSuffix("\n2 targets: 1 met, 1 missed\n"), r.out)

        let all = parseCSV(try cli("targets", "--format", "csv").out)
        XCTAssertEqual(all[0], ["region", "region_name", "indicator", "subject", "period", "target", "target_bound", "unit",
                                "actual", "actual_bound", "status", "source", "actual_parts", "actual_parts_expected"])
        let open = all.first { $0[0] == "500112" }
        XCTAssertEqual(open?[10], "no_data")
        XCTAssertEqual(open?[8], "")
        let j = try parseJSON(try cli("targets", "--year", "2024", "--format", "json").out)
        XCTAssertEqual((j["targets"] as? [[String: Any]])?.first?["status"] as? String, "no_data")

        // A city's own targets, then with its districts'.
        XCTAssertTrue(try cli("targets", "--region", "重庆市").out.hasPrefix("no targets"))
        let districts = try cli("targets", "--region", "重庆市", "--descendants", "--format", "csv")
        XCTAssertEqual(Set(parseCSV(districts.out).dropFirst().map { $0[0] }), ["500105", "500112"], districts.out)
        let bare = try cli("targets", "--descendants")
        XCTAssertNotEqual(bare.status, 0)
        XCTAssertTrue(bare.err.contains("--descendants needs --region"), bare.err)
    }

    func testTargetsOfAYearReportedByQuarter() throws {
        let (d, cli) = try loaded()
        let file = d.dir.appendingPathComponent("quarters.csv")
        try """
            region,indicator,period,value,unit,bound,kind,source
            重庆市渝中区,service.legal_aid_cases,2025,1000,件,at_least,target,plan
            重庆市渝中区,service.legal_aid_cases,2025Q1,300,件,exact,actual,q1
            重庆市渝中区,service.legal_aid_cases,2025Q2,350,件,exact,actual,q2
            """.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli("import", file.path).status, 0)
        let r = try cli("targets", "--region", "重庆市渝中区", "--year", "2025")
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertTrue(r.out.contains("≥1000 件  650 件 (Σ 2/4)  no data\n"), r.out)
        let csv = parseCSV(try cli("targets", "--region", "重庆市渝中区", "--year", "2025", "--format", "csv").out)
        XCTAssertEqual(csv.count, 2)
        XCTAssertEqual(Array(csv[1][8...]), ["650", "exact", "no_data", "plan", "2", "4"])
    }

    // MARK: - regions and indicators

    func testRegionsUnderAParentAtALevel() throws {
        let d = try DaemonProcess()
        let cli = CLIRunner(d)
        let r = try cli("regions", "--parent", "重庆市", "--level", "county")
        XCTAssertEqual(r.status, 0, "\(r)")
        XCTAssertTrue(r.lines[0].hasPrefix("CODE    NAME"), r.out)
        XCTAssertTrue(r.out.contains("\n500105  江北区 "), r.out)
        let j = try parseJSON(try cli("regions", "--parent", "500000", "--format", "json").out)
        XCTAssertEqual((j["regions"] as? [Any])?.count, 38)
        let all = try parseJSON(try cli("regions", "--level", "province", "--format", "json").out)
        XCTAssertEqual((all["regions"] as? [Any])?.count, 34)
        let c = parseCSV(try cli("regions", "--parent", "成都市", "--format", "csv").out)
        XCTAssertEqual(c[0], ["code", "name", "level", "parent", "full_name"])
        XCTAssertTrue(c.contains(["510104", "锦江区", "county", "510100", "四川省成都市锦江区"]), "\(c)")
        let unknown = try cli("regions", "--parent", "重庆省")
        XCTAssertTrue(unknown.err.contains("NOT_FOUND"), unknown.err)
    }

    func testIndicatorsListShowAndImportWithHistory() throws {
        let (d, cli) = try loaded()
        let list = try cli("indicators", "--area", "service")
        XCTAssertEqual(list.status, 0, "\(list)")
        XCTAssertTrue(list.out.contains("service.legal_aid_cases"), list.out)
        XCTAssertFalse(list.out.contains("litig.loss_rate"), list.out)
        let nosuch = try cli("indicators", "--area", "nosuch")
        XCTAssertEqual(nosuch.status, 1, "\(nosuch)")
        XCTAssertTrue(nosuch.err.contains("INVALID_ARGUMENT: area: \"nosuch\" is no function area of the catalog"), nosuch.err)
        let show = try cli("indicators", "show", "service.legal_aid_cases")
        XCTAssertTrue(show.out.contains("name          法律援助案件数\n"), show.out)
        XCTAssertTrue(show.out.contains("aggregation   sum\n"), show.out)
        XCTAssertTrue(show.out.contains("observations  13\n"), show.out)  // 11 actuals, 2 targets

        let tsv = d.dir.appendingPathComponent("mediation.tsv")
        try """
            code\tname\tarea\tunit\tpolarity\taggregate\taliases
            mediation.power_index\t调解力指数\tmediation\t分\t1\tnone\t调解力
            service.legal_aid_cases\t法律援助案件数\tservice\t件\t1\tsum\t法律援助案件|援助案件|法援案件

            """.write(to: tsv, atomically: true, encoding: .utf8)
        let imp = try cli("indicators", "import", tsv.path, "--system", "调解力指数体系")
        XCTAssertEqual(imp.status, 0, "\(imp)")
        XCTAssertEqual(imp.lines[0], "mediation.tsv: 1 added, 1 updated, 0 unchanged")
        XCTAssertTrue(imp.out.contains("service.legal_aid_cases  aliases  法律援助案件|援助案件"), imp.out)
        let again = try cli("indicators", "show", "service.legal_aid_cases")
        XCTAssertTrue(again.out.contains("法援案件"), again.out)
        XCTAssertTrue(again.out.contains("mediation.tsv"), again.out)
        XCTAssertTrue(again.out.contains("system        法治政府建设指标体系, 调解力指数体系\n"), again.out)
        let inBoth = parseCSV(try cli("indicators", "list", "--system", "法治政府建设指标体系", "--format", "csv").out)
        XCTAssertEqual(inBoth.first { $0[0] == "service.legal_aid_cases" }?[7], "法治政府建设指标体系|调解力指数体系")
        let added = try parseJSON(try cli("indicators", "show", "mediation.power_index", "--format", "json").out)
        XCTAssertEqual((added["indicator"] as? [String: Any])?["aggregation"] as? String, "none")
        let missing = try cli("indicators", "show", "service.legal_aid_case")
        XCTAssertTrue(missing.err.contains("NOT_FOUND"), missing.err)
    }

    // MARK: - reports (the demo set)

    func testReportsListShowSearchAndDelete() throws {
        let d = try DaemonProcess(["--demo"])
        let cli = CLIRunner(d)
        let list = try cli("reports", "list")
        XCTAssertEqual(list.status, 0, "\(list)")
        XCTAssertTrue(list.lines[0].hasPrefix("ID  PERIOD  KIND"), list.out)
        let count = list.lines.count - 2
        XCTAssertGreaterThan(count, 0)
        let j = try parseJSON(try cli("reports", "--format", "json").out)
        let reports = try XCTUnwrap(j["reports"] as? [[String: Any]])
        XCTAssertEqual(reports.count, count)
        let ids = reports.compactMap { $0["id"] as? Int }
        XCTAssertEqual(ids, ids.sorted(), "in the order stored, as the help says")
        let id = try XCTUnwrap(reports.first?["id"] as? Int)
        let title = try XCTUnwrap(reports.first?["title"] as? String)

        let show = try cli("reports", "show", String(id), "--sections", "--text")
        XCTAssertEqual(show.status, 0, "\(show)")
        XCTAssertTrue(show.out.contains("title         \(title)\n"), show.out)
        XCTAssertTrue(show.out.contains("OUTLINE"), show.out)
        let csv = parseCSV(try cli("reports", "show", String(id), "--format", "csv").out)
        XCTAssertEqual(csv[0], ["field", "value"])
        XCTAssertTrue(csv.contains(["title", title]))

        let hits = try cli("reports", "search", "法律援助", "--limit", "5")
        XCTAssertEqual(hits.status, 0, "\(hits)")
        XCTAssertTrue(hits.out.contains("【法律援助】"), hits.out)  // not a terminal: brackets
        XCTAssertFalse(hits.out.contains("\u{1B}["), hits.out)
        let hitsCSV = parseCSV(try cli("reports", "search", "法律援助", "--format", "csv").out)
        XCTAssertEqual(hitsCSV[0], ["id", "title", "region", "period", "kind", "score", "snippet"])
        XCTAssertTrue(hitsCSV.dropFirst().allSatisfy { $0[6].contains("【") }, "\(hitsCSV)")
        let limit = try cli("reports", "search", "法律援助", "--limit", "0")
        XCTAssertEqual(limit.status, 64)

        let del = try cli("reports", "delete", String(id))
        XCTAssertEqual(del.status, 0, "\(del)")
        XCTAssertTrue(del.out.hasPrefix("deleted report \(id) and its "), del.out)
        XCTAssertEqual(try cli("reports", "list").lines.count - 2, count - 1)
        let gone = try cli("reports", "show", String(id))
        XCTAssertEqual(gone.status, 1)
        XCTAssertTrue(gone.err.contains("NOT_FOUND: report \(id)"), gone.err)
    }

    func testSearchHighlightsInBoldOnATerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("needs script(1) to give lexstat a terminal")
        }
        let d = try DaemonProcess(["--demo"])
        let bin = DaemonProcess.productsDirectory.appendingPathComponent("lexstat").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", "'\(bin)' reports search 法律援助 --limit 1 --server unix:\(d.socketPath)", "/dev/null"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        env["TERM"] = "xterm"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertTrue(text.contains("\u{1B}[1;31m法律援助\u{1B}[0m"), text)
        XCTAssertFalse(text.contains("【法律援助】"), text)
    }

    func testWritesSendTheTokenAndAreRefusedWithout() throws {
        let probe = try DaemonProcess()
        let tokens = probe.dir.appendingPathComponent("tokens")
        try Data("write cli-writer-0123456789 analyst\n".utf8).write(to: tokens)
        chmod(tokens.path, 0o600)
        let d = try DaemonProcess(["--tokens-file", tokens.path])
        let cli = CLIRunner(d)
        let file = d.dir.appendingPathComponent("fixture.csv")
        try Self.fixture.write(to: file, atomically: true, encoding: .utf8)
        let refused = try cli("import", file.path)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains("UNAUTHENTICATED"), refused.err)
        XCTAssertTrue(try cli("observations").out.hasSuffix("0 of 0 figures\n"))
        let tokenFile = d.dir.appendingPathComponent("writer.token")
        try Data("cli-writer-0123456789\n".utf8).write(to: tokenFile)
        let ok = try cli("import", file.path, "--token-file", tokenFile.path)
        XCTAssertEqual(ok.out, "imported \(Self.fixtureRows) figures from fixture.csv\n", "\(ok)")
    }

    // MARK: - options and help

    func testOptionChecksHappenBeforeAnyCall() throws {
        let cli = CLIRunner(server: "127.0.0.1:1")  // nothing listens: only validation can answer
        let cases: [([String], String)] = [
            (["observations", "--descendants"], "--descendants needs --region"),
            (["observations", "--page-size", "0"], "--page-size must be between 1 and 10000"),
            (["observations", "--page-size", "10001"], "--page-size must be between 1 and 10000"),
            (["export", "--descendants"], "--descendants needs --region"),
            (["targets", "--year", "2101"], "--year 2101 is outside 1949–2100"),
            (["reports", "list", "--year", "1948"], "--year 1948 is outside 1949–2100"),
            (["rollup", "x", "--region", "重庆市", "--year", "3000"], "--year 3000 is outside 1949–2100"),
            (["series", "x", "--region", "重庆市", "--by", "week"], "week"),
            (["regions", "--level", "town"], "town"),
            (["reports", "show", "0"], "positive"),
        ]
        for (args, message) in cases {
            let r = try cli.run(args)
            XCTAssertEqual(r.status, 64, "\(args): \(r)")
            XCTAssertTrue(r.err.contains(message), "\(args): \(r.err)")
            XCTAssertEqual(r.out, "")
        }
    }

    func testHelpListsTheCommandsAndEveryOptionIsASentence() throws {
        let cli = CLIRunner(server: "127.0.0.1:1")
        let top = try cli("--help")
        for c in ["regions", "indicators", "reports", "import", "export", "observations", "series", "compare", "rollup", "targets"] {
            XCTAssertTrue(top.out.contains("\n  \(c) "), "\(c) missing from:\n\(top.out)")
        }
        let commands: [[String]] = [["regions"], ["indicators", "list"], ["indicators", "show"], ["indicators", "import"],
                                    ["reports", "list"], ["reports", "show"], ["reports", "search"], ["reports", "delete"],
                                    ["import"], ["export"], ["observations"], ["series"], ["compare"], ["rollup"], ["targets"]]
        for c in commands {
            let h = try cli.run(c + ["--help"])
            XCTAssertEqual(h.status, 0, "\(c)")
            XCTAssertTrue(h.out.contains("--server"), "\(c)")
            // Each option's help (joined across wrapped lines, before the parser's "(values: …)") ends with a period.
            let options = h.out.components(separatedBy: "OPTIONS:\n").last ?? ""
            var entries: [String] = []
            for line in options.split(separator: "\n") {
                if line.hasPrefix("  -") { entries.append(String(line)) } else if !entries.isEmpty { entries[entries.count - 1] += " " + line.trimmingCharacters(in: .whitespaces) }
            }
            for e in entries {
                var text = e
                // The parser appends " (values: …)" and " (default: …)" after the sentence.
                while text.hasSuffix(")"), let open = text.range(of: " (", options: .backwards),
                      text[open.upperBound...].hasPrefix("values:") || text[open.upperBound...].hasPrefix("default:") {
                    text = String(text[..<open.lowerBound])
                }
                XCTAssertTrue(text.hasSuffix("."), "\(c): \(e)")
            }
        }
        let series = try cli("series", "--help")
        XCTAssertTrue(series.out.contains("--svg <file.svg>"), series.out)
        // "Best first" has no meaning for a neutral indicator: the help says what order it gets.
        let compare = try cli("compare", "--help")
        XCTAssertTrue(compare.out.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
                        .contains("a neutral indicator, neither better higher nor lower, is listed highest first"), compare.out)
    }
}
