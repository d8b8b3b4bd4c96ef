/// An entry of an indicator catalog (指标体系).
public struct Indicator: Hashable, Sendable, Codable {
    /// Whether a higher or a lower value is better.
    public enum Polarity: String, Sendable, Codable {
        case higherIsBetter = "higher"
        case lowerIsBetter = "lower"
        /// Neither: a volume figure whose size says nothing good or bad.
        case neutral
    }

    /// How figures of the indicator roll up the region tree.
    public enum Aggregation: String, Sendable, Codable {
        /// Counts add up.
        case sum
        /// Rates and shares do not add up.
        case none
    }

    /// Stable code, e.g. `review.cases_received`.
    public var code: String
    /// Chinese name, e.g. `行政复议受理案件数`.
    public var name: String
    /// Function area, e.g. `review` (行政复议).
    public var area: String
    /// Unit as written, e.g. `件`, `%`, `元`.
    public var unit: String
    public var polarity: Polarity
    public var aggregation: Aggregation
    /// Phrases reports use for the indicator.
    public var aliases: [String]
    /// The indicator system the entry belongs to, e.g. `法治政府建设指标体系`.
    public var system: String

    public init(code: String, name: String, area: String, unit: String, polarity: Polarity,
                aggregation: Aggregation, aliases: [String], system: String = "") {
        self.code = code
        self.name = name
        self.area = area
        self.unit = unit
        self.polarity = polarity
        self.aggregation = aggregation
        self.aliases = aliases
        self.system = system
    }
}
