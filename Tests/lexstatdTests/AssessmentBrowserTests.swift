import Foundation
import XCTest

/// The HTML bulletin rendered by a real headless browser (Chromium from Debian's packages),
/// checked against what the data says. Skipped, saying so, where Chromium is not installed.
final class AssessmentBrowserTests: XCTestCase {
    static func chromium() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin"] {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let p = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
        }
        return nil
    }

    /// Runs Chromium headless, offline (every host name fails to resolve), and returns its stdout.
    static func runChromium(_ path: String, _ args: [String], timeout: TimeInterval = 90) throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: profile) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars", "--user-data-dir=\(profile.path)",
                       "--host-resolver-rules=MAP * ~NOTFOUND"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        nonisolated(unsafe) var data = Data()
        let reader = Thread { data = out.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let end = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < end { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning { p.terminate(); XCTFail("chromium did not finish in \(timeout) s") }
        p.waitUntilExit()
        while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        return String(decoding: data, as: UTF8.self)
    }

    /// What the page shows, measured by the browser after layout: each bar's chart, rank, region,
    /// rendered width and label, and the text of the headings.
    static let measure = """
        <script>
        const bars = [...document.querySelectorAll('svg g.bar')].map(g => ({
          chart: g.closest('svg').id, rank: g.dataset.rank, region: g.dataset.region,
          width: g.querySelector('rect').getBoundingClientRect().width,
          label: g.querySelectorAll('text')[1].textContent }));
        const headings = [...document.querySelectorAll('h1, h2, h3')].map(h => h.textContent);
        const pre = document.createElement('pre');
        pre.id = 'measure';
        pre.textContent = JSON.stringify({bars, headings, findings: document.querySelectorAll('ul.findings li').length});
        document.body.appendChild(pre);
        </script>
        """

    func testBulletinRendersWhatTheDataSays() async throws {
        guard let chromium = Self.chromium() else {
            throw XCTSkip("chromium is not installed (Debian: apt-get install chromium); the headless-browser test of the HTML bulletin did not run")
        }
        let d = try await AssessmentTests.start()
        defer { d.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulletin-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if ProcessInfo.processInfo.environment["LEXSTAT_KEEP_BULLETIN"] == nil { try? FileManager.default.removeItem(at: dir) } }
        let html = dir.appendingPathComponent("bulletin.html")
        let r = try runLexstat(["bulletin", "--period", "2023", "--within", "重庆市", "--out", html.path, "--server", "unix:\(d.socketPath)"])
        XCTAssertEqual(r.status, 0, r.err)

        let page = try String(contentsOf: html, encoding: .utf8)
        let measured = dir.appendingPathComponent("measured.html")
        try Data(page.replacingOccurrences(of: "</body>", with: Self.measure + "</body>").utf8).write(to: measured)
        let dom = try Self.runChromium(chromium, ["--dump-dom", measured.absoluteString])
        guard let open = dom.range(of: "<pre id=\"measure\">"), let close = dom.range(of: "</pre>", range: open.upperBound..<dom.endIndex) else {
            return XCTFail("the browser did not run the page: \(dom.prefix(500))")
        }
        let text = String(dom[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let bars = json["bars"] as! [[String: Any]]
        func chart(_ id: String) -> [(region: String, width: Double, label: String)] {
            bars.filter { $0["chart"] as? String == id }.map { ($0["region"] as! String, ($0["width"] as! NSNumber).doubleValue, $0["label"] as! String) }
        }
        // The index as worked out by hand (AssessmentTests.testIndexWithRobustnessShowsProgress), best first,
        // each bar 480 px × index / 100.
        let index = chart("chart-index")
        XCTAssertEqual(index.map(\.region), ["渝北区", "江北区", "南岸区", "渝中区"])
        XCTAssertEqual(index.map(\.label), ["81.3", "50.0", "43.8", "33.3"])
        for (bar, value) in zip(index, [81.25, 50, 43.75, 100.0 / 3]) {
            XCTAssertEqual(bar.width, 480 * value / 100, accuracy: 1, bar.region)
        }
        // Key indicators in the index's order (行政应诉, 公共法律服务, 人民调解), ranked as Compare ranks them,
        // bars proportional to the figures: 法律援助 420 (江北, the latest source) is the longest.
        XCTAssertEqual(chart("chart-0").map(\.region), ["渝中区", "南岸区", "江北区"])
        let aid = chart("chart-1")
        XCTAssertEqual(aid.map(\.region), ["江北区", "渝北区", "南岸区", "渝中区"])
        XCTAssertEqual(aid.map(\.label), ["420", "300", "200", "100"])
        XCTAssertEqual(aid[0].width, 480, accuracy: 1)
        XCTAssertEqual(aid[1].width, 480 * 300 / 420, accuracy: 1)
        XCTAssertEqual(aid[3].width, 480 * 100 / 420, accuracy: 1)
        XCTAssertEqual(chart("chart-2").map(\.label), ["250", "150", "50"])
        let headings = json["headings"] as! [String]
        XCTAssertEqual(headings.first, "重庆市2023年度司法行政工作通报")
        XCTAssertTrue(headings.contains("法律援助案件数（件） 越高越好"), "\(headings)")
        XCTAssertTrue(headings.contains("行政诉讼败诉率（%） 越低越好"), "\(headings)")
        XCTAssertEqual(json["findings"] as? Int, 2)

        // A screenshot of the page as it is (no measuring script): rendered, not blank.
        let shot = dir.appendingPathComponent("bulletin.png")
        _ = try Self.runChromium(chromium, ["--screenshot=\(shot.path)", "--window-size=1000,1800", html.absoluteString])
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertGreaterThan(png.count, 20_000, "a page of charts, not an empty one")
    }
}
