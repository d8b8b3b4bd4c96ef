/// One quantitative statement found in a report (see corpus/ANNOTATION.md).
public struct Mention: Sendable, Hashable, Codable {
    /// Span of the number text, in code points of `ExtractionResult.text`.
    public var start: Int
    public var end: Int
    /// Span of the quote (subject through unit), in code points.
    public var quoteStart: Int
    public var quoteEnd: Int
    /// The shortest stretch of the clause from the subject to the unit.
    public var quote: String
    /// The number with its qualifiers and unit, e.g. `1.3万余人次`.
    public var numberText: String
    /// The phrase naming what is counted, as written.
    public var subject: String
    /// In base units; money in 元; signed for changes.
    public var value: Double
    /// `件`, `人次`, `元`, `%`, `pp`, … or `""`.
    public var unit: String
    public var bound: Bound
    public var kind: ObservationKind
    /// The year the figure is about, `.cumulative`, or nil when the report's year is unknown.
    public var period: Period?
    public var region: String
    /// Catalog code, or nil when no indicator fits.
    public var indicator: String?
    /// How sure the indicator match is, 0…1 (0 without an indicator).
    public var confidence: Double
    /// For a change: the subject whose change it is; else `""`.
    public var changeOf: String
    /// The class of the section the figure stands in.
    public var sectionKind: Section.Kind

    public init(start: Int, end: Int, quoteStart: Int, quoteEnd: Int, quote: String, numberText: String,
                subject: String, value: Double, unit: String, bound: Bound, kind: ObservationKind,
                period: Period?, region: String, indicator: String?, confidence: Double, changeOf: String,
                sectionKind: Section.Kind) {
        self.start = start
        self.end = end
        self.quoteStart = quoteStart
        self.quoteEnd = quoteEnd
        self.quote = quote
        self.numberText = numberText
        self.subject = subject
        self.value = value
        self.unit = unit
        self.bound = bound
        self.kind = kind
        self.period = period
        self.region = region
        self.indicator = indicator
        self.confidence = confidence
        self.changeOf = changeOf
        self.sectionKind = sectionKind
    }

    /// The mention as an observation of a stored report, or nil when its period is unknown.
    public func observation(reportID: Int64) -> Observation? {
        guard let period else { return nil }
        return Observation(indicator: indicator, subject: subject, region: region, period: period, value: value,
                           unit: unit, bound: bound, kind: kind,
                           provenance: .report(id: reportID, start: start, end: end, quote: quote))
    }
}
