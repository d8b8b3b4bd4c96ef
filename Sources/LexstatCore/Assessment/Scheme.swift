/// How raw figures of one indicator become scores on 0…1 within a peer group.
public enum NormalisationMethod: String, Sendable, Codable, CaseIterable {
    /// (x − min) / (max − min) over the regions with a figure.
    case minmax
    /// z = (x − mean) / sd (population), mapped by 0.5 + z/6 and clamped to 0…1 (±3 sd spans the scale).
    case zscore
    /// (n − rank) / (n − 1), ties sharing the better rank.
    case rank
    /// Distance to a target: x / target up to 1 (higher is better); target / x when above it (lower is better).
    case target
}

/// What a scheme does with a region that lacks a figure.
public enum MissingRule: Hashable, Sendable {
    /// Re-weight over the figures present, level by level of the scheme; a
    /// region whose present figures carry less than `minCoverage` of the
    /// scheme's weight is left out.
    case reweight(minCoverage: Double)
    /// A missing figure scores 0 and keeps its weight.
    case zero
    /// A region missing any figure is left out.
    case exclude

    public var name: String {
        switch self {
        case .reweight: return "reweight"
        case .zero: return "zero"
        case .exclude: return "exclude"
        }
    }
}

/// One indicator of a scheme, with how it is scored.
public struct SchemeIndicator: Hashable, Sendable {
    public var indicator: Indicator
    /// Catalog polarity, or the scheme's override; never neutral.
    public var polarity: Indicator.Polarity
    public var normalisation: NormalisationMethod
    /// For `target`: the value that earns full marks.
    public var target: Double?
    /// Figures beyond the cap, in the good direction, count as the cap (达到即满分).
    public var cap: Double?
}

/// A node of a scheme: a component or group of weighted children, or an indicator.
public struct SchemeNode: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case group([SchemeNode])
        case indicator(SchemeIndicator)
    }

    /// The group's name, or the indicator's code.
    public var name: String
    /// The weight among its siblings, as written (siblings add up to 1 or to 100).
    public var weight: Double
    public var kind: Kind
    /// Where the node is in the scheme file, e.g. `components[1].indicators[0]`.
    public var path: String

    /// Every indicator under the node, in scheme order.
    public var leaves: [SchemeIndicator] {
        switch kind {
        case .indicator(let i): return [i]
        case .group(let c): return c.flatMap(\.leaves)
        }
    }
}

/// An assessment scheme (考评方案): weighted components of weighted indicators or groups.
public struct AssessmentScheme: Hashable, Sendable {
    /// The scheme's name: its file name without `.json`, or the `name` field.
    public var name: String
    public var title: String
    /// The peer group: regions of `level` within `within` (both may be overridden per request).
    public var within: String?
    public var level: Region.Level?
    public var missing: MissingRule
    /// The top-level components (平时考评, 年度考评 …); always groups.
    public var components: [SchemeNode]
    /// The file the scheme was read from, for messages.
    public var file: String

    /// Every indicator of the scheme, in scheme order.
    public var indicators: [SchemeIndicator] { components.flatMap(\.leaves) }
}
