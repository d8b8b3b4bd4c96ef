import Foundation

/// The demo set `lexstatd --demo` loads into an empty database.
///
/// - `demo/observations.csv`: the figures of the three seed reports as data
///   (their text is not shipped), with the report's title, publisher and date
///   as source; and synthetic figures for districts of 重庆市 and 成都市 whose
///   source says `demo data`.
/// - `demo/reports.json`: three short report-like texts written for Lexstat
///   (fictional), with their sections and figures, stored as reports.
public enum Demo {
    /// What ``load(into:)`` stored.
    public struct Summary: Hashable, Sendable {
        /// `false` when the store already held observations or reports and nothing was loaded.
        public var loaded: Bool
        public var reports: Int
        public var observations: Int
    }

    struct DemoReport: Decodable {
        struct Figure: Decodable {
            var quote: String
            var indicator: String
            var value: Double
            var unit: String
            var bound: String
            var kind: String
            var period: String
        }

        var title: String
        var publisher: String
        var region: String
        var period: String
        var kind: String
        var published: String
        var source: String
        var text: String
        var sections: [String]
        var figures: [Figure]
    }

    /// Loads the demo set into `store` if the store holds no observations and no reports yet.
    ///
    /// - Throws: `LexstatError.internalError` when the demo files are missing
    ///   or malformed; errors of the store otherwise.
    public static func load(into store: LexstatStore) throws(LexstatError) -> Summary {
        let noObservations = try store.observations(pageSize: 1).total == 0
        let noReports = try store.reports(pageSize: 1).reports.isEmpty
        guard noObservations, noReports else { return Summary(loaded: false, reports: 0, observations: 0) }
        // A database made by an older build may lack indicators the demo uses: bring the catalog up to date.
        _ = try store.importIndicators(tsv: ReferenceData.text(named: "indicators.tsv"), system: "法治政府建设指标体系",
                                       source: "indicators.tsv (bundled, for the demo)")
        let csv = try ReferenceData.text(named: "demo/observations.csv")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") }
            .joined(separator: "\n")
        var observations = try store.importObservations(csv: csv, source: "demo/observations.csv").imported
        var reports = 0
        for r in try demoReports() {
            let result = try store.ingest(report: r.0, sections: r.1, observations: r.2)
            if !result.duplicate { reports += 1 }
            observations += result.observationsStored
        }
        return Summary(loaded: true, reports: reports, observations: observations)
    }

    /// The demo reports with sections and figures, spans located in their texts.
    static func demoReports() throws(LexstatError) -> [(Report, [ReportSection], [Observation])] {
        let data = Data(try ReferenceData.text(named: "demo/reports.json").utf8)
        let list: [DemoReport]
        do {
            list = try JSONDecoder().decode([DemoReport].self, from: data)
        } catch {
            throw .internalError("demo/reports.json: \(error)")
        }
        var out: [(Report, [ReportSection], [Observation])] = []
        for d in list {
            let scalars = Array(d.text.unicodeScalars)
            func find(_ needle: String) throws(LexstatError) -> Int {
                let n = Array(needle.unicodeScalars)
                if !n.isEmpty, n.count <= scalars.count {
                    for i in 0...(scalars.count - n.count) where scalars[i] == n[0] && Array(scalars[i..<i + n.count]) == n {
                        return i
                    }
                }
                throw .internalError("demo/reports.json: \"\(needle)\" is not in the text of \(d.title)")
            }
            guard let kind = Report.Kind(rawValue: d.kind) else { throw .internalError("demo/reports.json: kind \(d.kind)") }
            let report = Report(title: d.title, publisher: d.publisher, region: d.region,
                                period: try LexstatStore.period(d.period, field: "demo period"), kind: kind,
                                published: d.published, source: d.source, text: d.text, contentHash: "")
            let starts = try d.sections.map { (h) throws(LexstatError) in try find(h) }
            var sections: [ReportSection] = []
            for (i, h) in d.sections.enumerated() {
                let end = i + 1 < starts.count ? starts[i + 1] : scalars.count
                sections.append(ReportSection(heading: h, depth: 1, start: starts[i], end: end, role: role(of: h)))
            }
            var figures: [Observation] = []
            for f in d.figures {
                let start = try find(f.quote)
                guard let bound = Bound(rawValue: f.bound), let kind = ObservationKind(rawValue: f.kind) else {
                    throw .internalError("demo/reports.json: bad bound or kind in \(f.quote)")
                }
                figures.append(Observation(indicator: f.indicator, subject: f.quote, region: "",
                                           period: try LexstatStore.period(f.period, field: "demo period"),
                                           value: f.value, unit: f.unit, bound: bound, kind: kind,
                                           provenance: .report(id: 0, start: start, end: start + f.quote.unicodeScalars.count, quote: f.quote)))
            }
            out.append((report, sections, figures))
        }
        return out
    }

    /// What a heading says its section holds.
    static func role(of heading: String) -> ReportSection.Role {
        if ["打算", "安排", "思路", "下一步", "计划"].contains(where: heading.contains) { return .plans }
        if ["不足", "问题"].contains(where: heading.contains) { return .shortcomings }
        if ["成效", "工作情况", "数据", "亮点", "总结"].contains(where: heading.contains) { return .results }
        return .other
    }
}
