/// One stored figure used by an assessment: its value and the observation it came from.
public struct Figure: Hashable, Sendable {
    public var value: Double
    public var observation: Observation

    public init(value: Double, observation: Observation) {
        self.value = value
        self.observation = observation
    }
}

/// The figures of a peer group for one year: what scoring and the index work on.
///
/// Built from the store by ``LexstatStore/peerData(indicators:year:within:level:)``,
/// or by hand in tests; everything computed from it is a pure function.
public struct PeerData: Hashable, Sendable {
    public var year: Int
    /// The region compared within, `nil` for the whole country.
    public var within: Region?
    /// The level compared; `nil` when the peer group is `within`'s direct children, whatever their level.
    public var level: Region.Level?
    /// The peer group, by code.
    public var regions: [Region]
    /// The indicators asked for, by code.
    public var indicators: [String: Indicator]
    /// Indicator code → region code → the region's actual figure of the year.
    public var values: [String: [String: Figure]]

    public init(year: Int, within: Region?, level: Region.Level?, regions: [Region],
                indicators: [String: Indicator], values: [String: [String: Figure]]) {
        self.year = year
        self.within = within
        self.level = level
        self.regions = regions.sorted { $0.code < $1.code }
        self.indicators = indicators
        self.values = values
    }

    /// A region's figure, if it has one.
    public func figure(_ indicator: String, _ region: String) -> Figure? { values[indicator]?[region] }

    /// The peer group in words: `county-level regions of 重庆市`, `the regions directly under 海南省`.
    public func describe(_ directory: RegionDirectory) -> String {
        let place = within.map { directory.fullName(of: $0.code) } ?? "China"
        if let level { return "\(level.rawValue)-level regions of \(place)" }
        return "the regions directly under \(place)"
    }

    /// Share of the peer group with a figure for an indicator.
    public func coverage(of indicator: String) -> Double {
        guard !regions.isEmpty else { return 0 }
        return Double(values[indicator]?.count ?? 0) / Double(regions.count)
    }
}

extension LexstatStore {
    /// The actual figures of a peer group for one year, one indicator at a time.
    ///
    /// Each figure is the one ``compare(indicator:period:within:level:)``
    /// ranks: the latest stored actual of the year.
    ///
    /// - Parameters:
    ///   - indicators: catalog codes or names.
    ///   - within: a region code or name; the whole country when `nil`.
    ///   - level: the level compared; by default `within`'s direct children (provinces for the country).
    /// - Throws: `LexstatError.notFound` for an unknown indicator or region;
    ///   `.invalidArgument` for a year outside 1949–2100 or a level with no regions.
    public func peerData(indicators: [String], year: Int, within: String?, level: Region.Level?) throws(LexstatError) -> PeerData {
        guard Period.validYears.contains(year) else {
            throw .invalidArgument("year: \(year) is outside \(Period.validYears.lowerBound)–\(Period.validYears.upperBound)")
        }
        var regionsByCode: [String: Region] = [:]
        var values: [String: [String: Figure]] = [:]
        var inds: [String: Indicator] = [:]
        var withinRegion: Region?
        var lv = level
        if indicators.isEmpty {
            // Still resolve the peer group, through any indicator of the catalog.
            let any = self.indicators().first?.code ?? ""
            let c = try compare(indicator: any, period: String(year), within: within, level: level)
            for e in c.entries { regionsByCode[e.region.code] = e.region }
            for r in c.missing { regionsByCode[r.code] = r }
            return PeerData(year: year, within: c.within, level: c.level, regions: Array(regionsByCode.values),
                            indicators: [:], values: [:])
        }
        for q in indicators {
            let c = try compare(indicator: q, period: String(year), within: within, level: level)
            withinRegion = c.within
            lv = c.level
            inds[c.indicator.code] = c.indicator
            var col: [String: Figure] = [:]
            for e in c.entries {
                regionsByCode[e.region.code] = e.region
                col[e.region.code] = Figure(value: e.value, observation: e.observation)
            }
            for r in c.missing { regionsByCode[r.code] = r }
            values[c.indicator.code] = col
        }
        return PeerData(year: year, within: withinRegion, level: lv, regions: Array(regionsByCode.values),
                        indicators: inds, values: values)
    }
}
