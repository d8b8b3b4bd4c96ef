/// A work report: text plus metadata, split into sections.
public struct Report: Hashable, Sendable, Codable {
    /// What kind of document a report is.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// 年度总结.
        case annualSummary = "annual_summary"
        /// 法治政府建设情况报告.
        case ruleOfLawReport = "rule_of_law_report"
        /// 亮点.
        case highlights
        /// 会议报道.
        case meetingNews = "meeting_news"
        case other
    }

    public var id: Int64
    public var title: String
    public var publisher: String
    /// Region code.
    public var region: String
    public var period: Period
    public var kind: Kind
    /// Publication date, `YYYY-MM-DD`, or empty.
    public var published: String
    public var source: String
    public var text: String
    /// SHA-256 of the normalised text, hex.
    public var contentHash: String

    public init(id: Int64 = 0, title: String, publisher: String, region: String, period: Period,
                kind: Kind, published: String, source: String, text: String, contentHash: String) {
        self.id = id
        self.title = title
        self.publisher = publisher
        self.region = region
        self.period = period
        self.kind = kind
        self.published = published
        self.source = source
        self.text = text
        self.contentHash = contentHash
    }
}
