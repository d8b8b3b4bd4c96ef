import XCTest
@testable import LexstatCore

/// Ingest, listing, sections, deletion and full-text search of reports.
final class ReportStoreTests: XCTestCase {
    /// A made-up report text (written for this test).
    static let text = """
        某区司法局二〇二三年工作回顾
        一、主要成效
        全年办理法律援助案件812件，同比增长6.5%。受理行政复议申请64件，纠错率12.5%。
        二、明年打算
        力争法律援助案件达到900件以上。
        """

    static func span(_ needle: String) -> (Int, Int) {
        let scalars = Array(text.unicodeScalars)
        let n = Array(needle.unicodeScalars)
        for i in 0...(scalars.count - n.count) where Array(scalars[i..<i + n.count]) == n {
            return (i, i + n.count)
        }
        return (0, 0)
    }

    static func sample(_ s: LexstatStore, title: String = "某区司法局2023年工作回顾") throws -> IngestResult {
        let report = Report(title: title, publisher: "江北区司法局", region: "重庆市江北区", period: .year(2023),
                            kind: .annualSummary, published: "2024-01-15", source: "test", text: text, contentHash: "")
        func obs(_ quote: String, _ ind: String, _ v: Double, _ unit: String, _ kind: ObservationKind = .actual,
                 bound: Bound = .exact, period: Period = .year(2023)) -> Observation {
            let (a, b) = span(quote)
            return Observation(indicator: ind, subject: quote, region: "", period: period, value: v, unit: unit,
                               bound: bound, kind: kind, provenance: .report(id: 0, start: a, end: b, quote: quote))
        }
        let sections = [
            ReportSection(heading: "一、主要成效", depth: 1, start: span("一、主要成效").0, end: span("二、明年打算").0, role: .results),
            ReportSection(heading: "二、明年打算", depth: 1, start: span("二、明年打算").0, end: text.unicodeScalars.count, role: .plans),
        ]
        return try s.ingest(report: report, sections: sections, observations: [
            obs("办理法律援助案件812件", "service.legal_aid_cases", 812, "件"),
            obs("同比增长6.5%", "service.legal_aid_cases", 6.5, "%", .change),
            obs("受理行政复议申请64件", "review.cases_received", 64, "件"),
            obs("纠错率12.5%", "review.correction_rate", 12.5, "%"),
            obs("法律援助案件达到900件以上", "service.legal_aid_cases", 900, "件", .target, bound: .atLeast, period: .year(2024)),
        ])
    }

    func testIngestStoresReportSectionsAndFigures() throws {
        let s = try StoreFixture.open()
        let r = try Self.sample(s)
        XCTAssertFalse(r.duplicate)
        XCTAssertEqual(r.observationsStored, 5)
        XCTAssertEqual(r.targetsStored, 1)
        let info = try s.report(id: r.reportId)
        XCTAssertEqual(info.report.region, "500105")
        XCTAssertEqual(info.regionName, "重庆市江北区")
        XCTAssertEqual(info.report.text, Self.text)
        XCTAssertEqual(info.report.contentHash, SHA256.contentHash(of: Self.text))
        XCTAssertEqual(info.sections.map(\.role), [.results, .plans])
        XCTAssertEqual(info.observationCount, 5)
        XCTAssertEqual(info.length, Self.text.unicodeScalars.count)
        let figures = try s.observations(region: "500105").observations
        XCTAssertEqual(figures.count, 5)
        guard case .report(let id, let a, let b, let quote) = figures[0].provenance else { return XCTFail() }
        XCTAssertEqual(id, r.reportId)
        XCTAssertEqual(String(String.UnicodeScalarView(Array(Self.text.unicodeScalars)[a..<b])), quote)
        XCTAssertEqual(try s.targets(region: "500105").first?.status, .noData)
    }

    func testTheSameTextTwiceIsStoredOnce() throws {
        let s = try StoreFixture.open()
        let first = try Self.sample(s)
        let again = try Self.sample(s, title: "another title, same text")
        XCTAssertTrue(again.duplicate)
        XCTAssertEqual(again.reportId, first.reportId)
        XCTAssertEqual(again.observationsStored, 0)
        XCTAssertEqual(try s.reports().reports.count, 1)
        XCTAssertEqual(try s.observations().total, 5)
    }

    func testABadObservationStoresNeitherReportNorFigures() throws {
        let s = try StoreFixture.open()
        let report = Report(title: "t", publisher: "p", region: "重庆市江北区", period: .year(2023), kind: .other,
                            published: "", source: "", text: "短文本", contentHash: "")
        let bad = Observation(indicator: "service.legal_aid_cases", subject: "x", region: "", period: .year(2023), value: 1,
                              unit: "件", provenance: .report(id: 0, start: 0, end: 99, quote: "x"))
        XCTAssertThrowsError(try s.ingest(report: report, observations: [bad])) { e in
            XCTAssertTrue((e as? LexstatError)?.message.hasPrefix("observations[0].span") ?? false, "\(e)")
        }
        XCTAssertEqual(try s.reports().reports.count, 0)
        XCTAssertEqual(try s.observations().total, 0)
    }

    func testListsByRegionYearKindWithPages() throws {
        let s = try StoreFixture.open()
        _ = try Self.sample(s)
        let other = Report(title: "成都某区亮点", publisher: "锦江区司法局", region: "510104", period: .year(2024),
                           kind: .highlights, published: "", source: "", text: "二〇二四年亮点工作三项。", contentHash: "")
        _ = try s.ingest(report: other, observations: [])
        XCTAssertEqual(try s.reports(region: "重庆市").reports.map(\.report.title), ["某区司法局2023年工作回顾"])
        XCTAssertEqual(try s.reports(year: 2024).reports.map(\.report.region), ["510104"])
        XCTAssertEqual(try s.reports(kind: .highlights).reports.count, 1)
        let p1 = try s.reports(pageSize: 1)
        XCTAssertEqual(p1.reports.count, 1)
        let p2 = try s.reports(pageSize: 1, pageToken: p1.nextPageToken)
        XCTAssertEqual(p2.reports.count, 1)
        XCTAssertNotEqual(p1.reports[0].report.id, p2.reports[0].report.id)
        XCTAssertEqual(p2.nextPageToken, "")
        XCTAssertThrowsError(try s.reports(year: 1900)) { e in
            XCTAssertTrue((e as? LexstatError)?.message.hasPrefix("year: 1900") ?? false, "\(e)")
        }
        XCTAssertThrowsError(try s.reports(region: "火星")) { e in
            guard case .notFound = e as? LexstatError else { return XCTFail("\(e)") }
        }
    }

    func testDeleteRemovesTheReportAndItsFigures() throws {
        let s = try StoreFixture.loaded()
        let r = try Self.sample(s)
        XCTAssertEqual(try s.deleteReport(id: r.reportId), 5)
        XCTAssertThrowsError(try s.report(id: r.reportId)) { e in
            guard case .notFound = e as? LexstatError else { return XCTFail("\(e)") }
        }
        XCTAssertEqual(try s.observations().total, StoreFixture.csvRows)
        XCTAssertTrue(try s.searchReports("法律援助").isEmpty)
        XCTAssertEqual(try s.indicator(code: "review.correction_rate").observationCount, 0)
        XCTAssertThrowsError(try s.deleteReport(id: r.reportId))
    }

    func testSearchesChineseTextWithSnippets() throws {
        let s = try StoreFixture.open()
        let r = try Self.sample(s)
        let hits = try s.searchReports("法律援助案件")
        XCTAssertEqual(hits.map(\.report.report.id), [r.reportId])
        XCTAssertTrue(hits[0].snippet.contains("«法律援助案件»"), hits[0].snippet)
        // Two-character terms cannot use the trigram index; they are scanned.
        let short = try s.searchReports("复议 纠错")
        XCTAssertEqual(short.count, 1)
        XCTAssertTrue(short[0].snippet.contains("«复议»"), short[0].snippet)
        XCTAssertTrue(try s.searchReports("刑事辩护").isEmpty)
        XCTAssertThrowsError(try s.searchReports("  "))
    }
}
