import Foundation

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
    /// The indicator systems the entry belongs to, e.g. `法治政府建设指标体系`, in
    /// the order it joined them: bureaus keep several systems (法治政府建设指标体系,
    /// 公民法治素养评估指标体系, 调解力指数…) and one indicator may sit in more than one.
    public var systems: [String]

    /// ``systems`` as one field, `|`-separated, as catalog files, the store and
    /// the change history write it.
    public var system: String {
        get { systems.joined(separator: "|") }
        set { systems = Indicator.systems(newValue) }
    }

    /// The systems of a `|`-separated field, trimmed, empty ones and repeats left out.
    public static func systems(_ field: String) -> [String] {
        var seen = Set<String>()
        return field.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    public init(code: String, name: String, area: String, unit: String, polarity: Polarity,
                aggregation: Aggregation, aliases: [String], system: String = "") {
        self.code = code
        self.name = name
        self.area = area
        self.unit = unit
        self.polarity = polarity
        self.aggregation = aggregation
        self.aliases = aliases
        self.systems = Indicator.systems(system)
    }
}
