/// A node of China's administrative hierarchy (GB/T 2260).
public struct Region: Hashable, Sendable, Codable {
    /// The administrative level of a region.
    public enum Level: String, Sendable, Codable, CaseIterable {
        case province
        case city
        case county
    }

    /// Six-digit GB/T 2260 code, e.g. `510100` for 成都市.
    public var code: String
    /// Full name, e.g. `成都市`.
    public var name: String
    /// Short name, e.g. `成都`.
    public var shortName: String
    public var level: Level
    /// Code of the parent region; `nil` for a province.
    public var parent: String?

    public init(code: String, name: String, shortName: String, level: Level, parent: String?) {
        self.code = code
        self.name = name
        self.shortName = shortName
        self.level = level
        self.parent = parent
    }
}
