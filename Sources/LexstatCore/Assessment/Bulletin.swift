/// What a ranking bulletin (通报晾晒) shows: gathered by the caller, rendered by ``BulletinRenderer``.
public struct Bulletin: Hashable, Sendable {
    /// One region on one indicator.
    public struct Row: Hashable, Sendable {
        public var rank: Int
        public var region: String
        public var value: Double
        /// 约, 以上 … as a prefix or suffix to the value; empty for an exact figure.
        public var bound: Bound

        public init(rank: Int, region: String, value: Double, bound: Bound = .exact) {
            self.rank = rank
            self.region = region
            self.value = value
            self.bound = bound
        }
    }

    /// A key indicator with its ranked regions.
    public struct IndicatorRanking: Hashable, Sendable {
        public var code: String
        public var name: String
        public var unit: String
        public var lowerIsBetter: Bool
        /// Best first.
        public var rows: [Row]
        /// Regions without a figure.
        public var missing: [String]

        public init(code: String, name: String, unit: String, lowerIsBetter: Bool, rows: [Row], missing: [String]) {
            self.code = code
            self.name = name
            self.unit = unit
            self.lowerIsBetter = lowerIsBetter
            self.rows = rows
            self.missing = missing
        }
    }

    /// A region in the overall index, with its movement against the last period.
    public struct IndexRow: Hashable, Sendable {
        public var rank: Int
        public var region: String
        public var overall: Double
        public var previousRank: Int?
        public var change: Double?

        public init(rank: Int, region: String, overall: Double, previousRank: Int? = nil, change: Double? = nil) {
            self.rank = rank
            self.region = region
            self.overall = overall
            self.previousRank = previousRank
            self.change = change
        }
    }

    /// A target that was missed.
    public struct MissedTarget: Hashable, Sendable {
        public var region: String
        public var indicator: String
        public var target: Double
        public var actual: Double
        public var unit: String

        public init(region: String, indicator: String, target: Double, actual: Double, unit: String) {
            self.region = region
            self.indicator = indicator
            self.target = target
            self.actual = actual
            self.unit = unit
        }
    }

    public var title: String
    public var period: String
    /// The peer group, e.g. `四川省成都市 · 区县`.
    public var scope: String
    public var index: [IndexRow]
    public var indicators: [IndicatorRanking]
    public var targetsMissed: [MissedTarget]
    /// (rule, message) of each consistency finding.
    public var findings: [(rule: String, message: String)]

    public init(title: String, period: String, scope: String, index: [IndexRow], indicators: [IndicatorRanking],
                targetsMissed: [MissedTarget], findings: [(rule: String, message: String)]) {
        self.title = title
        self.period = period
        self.scope = scope
        self.index = index
        self.indicators = indicators
        self.targetsMissed = targetsMissed
        self.findings = findings
    }

    /// Regions whose index rank moved, biggest moves first (risers before fallers on a tie).
    public var movers: [IndexRow] {
        index.filter { $0.previousRank != nil && $0.previousRank != $0.rank }
            .sorted { a, b in
                let ma = a.previousRank! - a.rank, mb = b.previousRank! - b.rank
                if abs(ma) != abs(mb) { return abs(ma) > abs(mb) }
                if ma != mb { return ma > mb }
                return a.rank < b.rank
            }
    }

    public static func == (a: Bulletin, b: Bulletin) -> Bool {
        a.title == b.title && a.period == b.period && a.scope == b.scope && a.index == b.index && a.indicators == b.indicators
            && a.targetsMissed == b.targetsMissed && a.findings.map(\.rule) == b.findings.map(\.rule)
            && a.findings.map(\.message) == b.findings.map(\.message)
    }

    public func hash(into h: inout Hasher) {
        h.combine(title)
        h.combine(period)
        h.combine(indicators)
    }
}
