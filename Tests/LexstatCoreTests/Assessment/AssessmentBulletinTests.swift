import XCTest
@testable import LexstatCore

final class AssessmentBulletinTests: XCTestCase {
    static let bulletin = Bulletin(
        title: "重庆市2023年度通报", period: "2023", scope: "重庆市 · 区县",
        index: [Bulletin.IndexRow(rank: 1, region: "渝北区", overall: 100, previousRank: 3, change: 20),
                Bulletin.IndexRow(rank: 2, region: "江北区", overall: 50, previousRank: 1, change: -10),
                Bulletin.IndexRow(rank: 3, region: "渝中<区>", overall: 25)],
        indicators: [Bulletin.IndicatorRanking(code: "service.legal_aid_cases", name: "法律援助案件数", unit: "件", lowerIsBetter: false,
                                               rows: [Bulletin.Row(rank: 1, region: "渝北区", value: 1500),
                                                      Bulletin.Row(rank: 2, region: "江北区", value: 750, bound: .atLeast)],
                                               missing: ["南岸区"])],
        targetsMissed: [Bulletin.MissedTarget(region: "重庆市江北区", indicator: "行政诉讼败诉率", target: 5, actual: 5.2, unit: "%")],
        findings: [(rule: "sources_disagree", message: "江北区 1200件 (a) against 1500件 (b)")])

    func testMoversBiggestFirst() {
        XCTAssertEqual(Self.bulletin.movers.map(\.region), ["渝北区", "江北区"])
    }

    func testHTMLIsSelfContainedAndShowsTheData() {
        let h = BulletinRenderer.html(Self.bulletin)
        XCTAssertFalse(h.contains("<script"))
        XCTAssertFalse(h.contains("src="))
        XCTAssertFalse(h.contains("<link"))
        XCTAssertFalse(h.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"), "nothing fetched")
        XCTAssertTrue(h.contains("渝中&lt;区&gt;"), "escaped")
        // Bars: 1500 is the longest (480 px), 750 half of it.
        XCTAssertTrue(h.contains(#"data-region="渝北区" data-value="1500.0"><title>1. 渝北区 1500</title>"#))
        XCTAssertTrue(h.contains(#"width="480.0""#))
        XCTAssertTrue(h.contains(#"width="240.0""#))
        XCTAssertTrue(h.contains("750以上"))
        XCTAssertTrue(h.contains("未报送：南岸区"))
        XCTAssertTrue(h.contains("▲ 上升 2 位"))
        XCTAssertTrue(h.contains("<td class=\"num\">5%</td><td class=\"num\">5.2%</td>"))
        XCTAssertTrue(h.contains("江北区 1200件 (a) against 1500件 (b)"))
    }

    func testMarkdown() {
        let m = BulletinRenderer.markdown(Self.bulletin)
        XCTAssertTrue(m.contains("| 1 | 渝北区 | 100.0 | +20.0 | 3 | ████████████████████ |"), m)
        XCTAssertTrue(m.contains("| 2 | 江北区 | 750以上 | ██████████ |"), m)
        XCTAssertTrue(m.contains("- 渝北区：第 3 名 → 第 1 名 ▲ 上升 2 位"))
        XCTAssertTrue(m.contains("| 重庆市江北区 | 行政诉讼败诉率 | 5% | 5.2% |"))
        XCTAssertTrue(m.contains("- `sources_disagree` 江北区 1200件 (a) against 1500件 (b)"))
    }

    /// Hostile data (an imported source's name, a region, an indicator) cannot put HTML, a link
    /// or an image into the Markdown: every datum is escaped, and a line break cannot start a block.
    func testMarkdownEscapesHostileData() {
        let source = #"<script>alert("x")</script><img src=https://evil.example/p.png onerror='alert(1)'>"#
        var b = Self.bulletin
        b.title = "通报 <b>粗体</b>"
        b.scope = "重庆市 & [范围](https://evil.example)"
        b.index[0].region = "[点我](javascript:alert(1))"
        b.indicators[0].name = "![图](https://evil.example/i.png)"
        b.indicators[0].missing = ["南岸区\n<script>x</script>", "*粗*_斜_`码`~删~"]
        b.targetsMissed[0].unit = "%|<i>"
        b.findings = [(rule: "sources_disagree", message: "江北区 1200件 (\(source)) against 1500件 (b) \\")]
        let m = BulletinRenderer.markdown(b)
        XCTAssertFalse(m.contains("<"), m)
        XCTAssertFalse(m.contains(">"), m)
        XCTAssertNil(m.range(of: #"(?<!\\)[\[\]]"#, options: .regularExpression), "every bracket escaped:\n\(m)")
        XCTAssertTrue(m.contains(#"江北区 1200件 (&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=https://evil.example/p.png onerror=&#39;alert(1)&#39;&gt;) against 1500件 (b) \\"#), m)
        XCTAssertTrue(m.contains("# 通报 &lt;b&gt;粗体&lt;/b&gt;\n"), m)
        XCTAssertTrue(m.contains("范围 重庆市 &amp; \\[范围\\](https://evil.example)"), m)
        XCTAssertTrue(m.contains("| 1 | \\[点我\\](javascript:alert(1)) | 100.0 |"), m)
        XCTAssertTrue(m.contains("### !\\[图\\](https://evil.example/i.png)（件）"), m)
        XCTAssertTrue(m.contains("未报送：南岸区 &lt;script&gt;x&lt;/script&gt;、\\*粗\\*\\_斜\\_\\`码\\`\\~删\\~\n"), m)
        XCTAssertTrue(m.contains("| 5%\\|&lt;i&gt; | 5.2%\\|&lt;i&gt; |"), m)
        XCTAssertEqual(m.split(separator: "\n").count, BulletinRenderer.markdown(Self.bulletin).split(separator: "\n").count,
                       "no datum adds a line")
    }

    /// The peer group as the store gives it: the fixture's four 重庆 districts with 2023 legal-aid figures, the rest missing.
    func testPeerDataFromTheStore() throws {
        let s = try StoreFixture.loaded()
        let d = try s.peerData(indicators: ["service.legal_aid_cases", "litig.loss_rate"], year: 2023, within: "重庆市", level: nil)
        XCTAssertNil(d.level, "重庆市's direct children")
        XCTAssertEqual(d.describe(StoreFixture.regions), "the regions directly under 重庆市")
        XCTAssertEqual(d.regions.count, 38)
        XCTAssertEqual(d.values["service.legal_aid_cases"]?.count, 4)
        XCTAssertEqual(d.figure("service.legal_aid_cases", "500112")?.value, 1500)
        XCTAssertEqual(d.figure("litig.loss_rate", "500105")?.value, 5.2)
        XCTAssertEqual(d.coverage(of: "litig.loss_rate"), 4.0 / 38, accuracy: 1e-12)
        // Selected for the index: both have polarity and 4 of the 4 reporting districts.
        XCTAssertEqual(CompositeIndex.select(d, minCoverage: 0.5).map(\.code), ["litig.loss_rate", "service.legal_aid_cases"])
        XCTAssertThrowsError(try s.peerData(indicators: ["nope"], year: 2023, within: "重庆市", level: nil))
    }
}
