/// How exactly a figure is stated.
public enum Bound: String, Sendable, Codable, CaseIterable {
    case exact
    /// 约, 近, 左右.
    case approx
    /// 余, 多, 逾, 超, 以上, 不少于.
    case atLeast = "at_least"
    /// 以下, 以内, 不超过, 不到.
    case atMost = "at_most"
}

/// What a figure says about its period.
public enum ObservationKind: String, Sendable, Codable, CaseIterable {
    /// A result or stock in the period.
    case actual
    /// A goal for the period.
    case target
    /// A change against the period before; signed, in `%` or `pp`.
    case change
}

/// Where a figure came from.
public enum Provenance: Hashable, Sendable, Codable {
    /// A span of a stored report: character offsets in Unicode code points.
    case report(id: Int64, start: Int, end: Int, quote: String)
    /// An imported figure: a free source string.
    case source(String)
}

/// One figure: indicator (or free subject) × region × period → value, with its source.
public struct Observation: Hashable, Sendable, Codable {
    public var id: Int64
    /// Catalog code, or `nil` when no indicator fits and only `subject` names the figure.
    public var indicator: String?
    /// The phrase naming what is counted, as written.
    public var subject: String
    /// Region code.
    public var region: String
    public var period: Period
    public var value: Double
    public var unit: String
    public var bound: Bound
    public var kind: ObservationKind
    public var provenance: Provenance

    public init(id: Int64 = 0, indicator: String?, subject: String, region: String, period: Period,
                value: Double, unit: String, bound: Bound = .exact, kind: ObservationKind = .actual,
                provenance: Provenance) {
        self.id = id
        self.indicator = indicator
        self.subject = subject
        self.region = region
        self.period = period
        self.value = value
        self.unit = unit
        self.bound = bound
        self.kind = kind
        self.provenance = provenance
    }
}

extension Period: Codable {
    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        self = try Period(parsing: s)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}
