/// The step of a series.
public enum Granularity: String, Sendable, Codable, CaseIterable {
    case year, quarter, month
}

/// One period of a series.
public struct SeriesPoint: Hashable, Sendable {
    public var period: Period
    /// `nil` when the period has no figure.
    public var value: Double?
    public var bound: Bound?
    /// Against the point before (absolute, and in % of the earlier value).
    public var change: Double?
    public var changePercent: Double?
    /// Against the same period a year earlier (quarters and months only).
    public var yearOnYearChange: Double?
    public var yearOnYearPercent: Double?
    /// The value was added up from quarters or months, the period itself not being reported.
    public var derived: Bool
    /// For a derived value: parts found and parts a whole period has (4 quarters, 12 or 3 months).
    public var parts: Int
    public var partsExpected: Int
    /// The figure itself when reported directly.
    public var observation: Observation?

    /// A sum of only some of the period's parts: a lower bound on the period's
    /// figure, which no change is computed from or against.
    public var isPartial: Bool { derived && parts < partsExpected }
}

/// Values of one indicator in one region, period by period.
public struct Series: Hashable, Sendable {
    public var indicator: Indicator
    public var region: Region
    public var granularity: Granularity
    public var points: [SeriesPoint]
}

extension LexstatStore {
    /// Actual figures of an indicator in a region by year, quarter or month.
    ///
    /// Each point has the change against the point before and, for quarters
    /// and months, against the same period a year earlier, where both are
    /// whole (a sum of some of a period's parts is marked partial and
    /// compared with nothing). For an additive
    /// indicator (aggregation `sum`) a period not reported itself is the sum
    /// of its parts where any were reported: a year from its quarters (else
    /// from its months), a quarter from its months, with the parts found and
    /// expected as coverage. Where sources give one period twice, the figure
    /// stored last counts. Without `from`/`to` the series spans the data (by
    /// quarter or month: the data reported by quarter or month, where there is any).
    ///
    /// - Throws: `LexstatError.notFound` for an unknown indicator or region,
    ///   `.invalidArgument` for a malformed period or `from` after `to`. (Years
    ///   are bounded to 1949–2100, so a series has at most 1,824 points.)
    public func series(indicator: String, region: String, from: String? = nil, to: String? = nil,
                       by granularity: Granularity = .year) throws(LexstatError) -> Series {
        let rid: Int32
        do throws(LexstatError) { rid = try regions.resolveId(region) } catch { throw LexstatStore.prefix("region", error) }
        var range = try PeriodFilter(from: from, to: to)
        return try read { (m) throws(LexstatError) in
            let ind: Int32
            do throws(LexstatError) { ind = try indicatorId(indicator, in: m) } catch { throw LexstatStore.prefix("indicator", error) }
            let indicatorValue = m.indicators[Int(ind)]
            var byPeriod: [Int32: ObsRow] = [:]
            let actual = ObsRow.code(ObservationKind.actual)
            for e in m.seriesEntries(ind, rid) {
                let r = m.rows[Int(e.row)]
                if r.kind == actual { byPeriod[r.period] = r }
            }
            if range.from == nil || range.to == nil {
                // A quarterly or monthly view spans the periods reported that finely: the years
                // reported only whole would otherwise pad it with rows of no data.
                let all = byPeriod.keys.map { PeriodCode.decode($0) }
                let fine = all.filter { p in
                    switch (granularity, p) {
                    case (.year, _): return true
                    case (.quarter, .quarter), (.quarter, .month), (.month, .month): return true
                    default: return false
                    }
                }
                // None that fine (a region that reports whole years only): nothing to show by
                // quarter or month, rather than a row of no data for every one of them.
                let spans = fine.compactMap(\.monthSpan)
                if range.from == nil { range.from = spans.map(\.lowerBound).min() }
                if range.to == nil { range.to = spans.map(\.upperBound).max() }
            }
            guard let lo = range.from, let hi = range.to, lo <= hi else {
                return Series(indicator: indicatorValue, region: regions.all[Int(rid)], granularity: granularity, points: [])
            }
            let periods = LexstatStore.periods(from: lo, to: hi, by: granularity)
            let additive = indicatorValue.aggregation == .sum
            func value(_ p: Period) -> (Double, Bound, Int, Int, ObsRow?)? {
                if let r = byPeriod[PeriodCode.encode(p)] { return (r.value, r.boundValue, 0, 0, r) }
                guard additive else { return nil }
                func sum(_ parts: [Period]) -> (Double, Bound, Int, Int, ObsRow?)? {
                    let found = parts.compactMap { byPeriod[PeriodCode.encode($0)] }
                    guard !found.isEmpty else { return nil }
                    let exact = found.allSatisfy { $0.boundValue == .exact }
                    return (found.reduce(0) { $0 + $1.value }, exact ? .exact : .approx, found.count, parts.count, nil)
                }
                switch p {
                case .year(let y):
                    return sum((1...4).map { .quarter(y, $0) }) ?? sum((1...12).map { .month(y, $0) })
                case .quarter(let y, let q):
                    return sum((1...3).map { .month(y, 3 * (q - 1) + $0) })
                default:
                    return nil
                }
            }
            // A sum of only some of a period's parts is a lower bound, not the period's figure:
            // no change is computed from it or against it.
            func whole(_ p: Period) -> Double? {
                guard let v = value(p), v.2 == v.3 else { return nil }
                return v.0
            }
            var points: [SeriesPoint] = []
            var previous: Double?
            for p in periods {
                let v = value(p)
                var pt = SeriesPoint(period: p, value: v?.0, bound: v?.1, derived: v != nil && v?.4 == nil,
                                     parts: v?.2 ?? 0, partsExpected: v?.3 ?? 0, observation: v?.4.map(m.observation))
                let now = pt.isPartial ? nil : v?.0
                if let now, let before = previous {
                    pt.change = now - before
                    pt.changePercent = before != 0 ? (now - before) / abs(before) * 100 : nil
                }
                if granularity != .year, let now, let earlier = whole(LexstatStore.yearBefore(p)) {
                    pt.yearOnYearChange = now - earlier
                    pt.yearOnYearPercent = earlier != 0 ? (now - earlier) / abs(earlier) * 100 : nil
                }
                previous = now
                points.append(pt)
            }
            return Series(indicator: indicatorValue, region: regions.all[Int(rid)], granularity: granularity, points: points)
        }
    }

    /// The periods of a granularity that overlap months `lo…hi`.
    static func periods(from lo: Int, to hi: Int, by g: Granularity) -> [Period] {
        switch g {
        case .year: return (lo / 12...hi / 12).map { .year($0) }
        case .quarter: return (lo / 3...hi / 3).map { .quarter($0 / 4, $0 % 4 + 1) }
        case .month: return (lo...hi).map { .month($0 / 12, $0 % 12 + 1) }
        }
    }

    static func yearBefore(_ p: Period) -> Period {
        switch p {
        case .year(let y): return .year(y - 1)
        case .quarter(let y, let q): return .quarter(y - 1, q)
        case .month(let y, let m): return .month(y - 1, m)
        case .cumulative: return .cumulative
        }
    }
}
