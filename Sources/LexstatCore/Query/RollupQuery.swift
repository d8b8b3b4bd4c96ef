/// One child region in a rollup.
public struct RollupChild: Hashable, Sendable {
    public var region: Region
    /// The child's figure, `nil` when neither it nor any of its descendants reported.
    public var value: Double?
    /// The value is the sum of the child's own descendants, the child having no figure itself.
    public var derived: Bool
}

/// An additive indicator summed over a region's children, beside the region's own figure.
public struct Rollup: Hashable, Sendable {
    public var indicator: Indicator
    public var region: Region
    public var period: Period
    /// Sum over the children that have a value.
    public var sum: Double
    /// Children with a value (own or derived) and all children.
    public var childrenReported: Int
    public var childrenTotal: Int
    /// The region's own reported figure, if any.
    public var own: Double?
    /// `own − sum`, when the region reported its own figure.
    public var difference: Double?
    public var children: [RollupChild]
}

extension LexstatStore {
    /// Sums an additive indicator over a region's children for one period.
    ///
    /// A child counts with its own actual figure (or the sum of all of its
    /// quarters or months, where it reported the period only by its parts);
    /// a child without one counts
    /// with the sum of *its* children, by the same rule, when at least one of
    /// them reported (`derived`). Coverage is children with a value / all
    /// children; a partial sum is a lower bound of the true total. The
    /// region's own figure is shown beside the sum with the difference.
    ///
    /// - Throws: `LexstatError.failedPrecondition` for an indicator that does
    ///   not add up (a rate or share: aggregation `none`); `.notFound` for an
    ///   unknown indicator or region; `.invalidArgument` for a malformed period
    ///   or a region without children.
    public func rollup(indicator: String, region: String, period: String) throws(LexstatError) -> Rollup {
        let p = try LexstatStore.period(period, field: "period")
        let rid: Int32
        do throws(LexstatError) { rid = try regions.resolveId(region) } catch { throw LexstatStore.prefix("region", error) }
        let pc = PeriodCode.encode(p)
        return try read { (m) throws(LexstatError) in
            let ind: Int32
            do throws(LexstatError) { ind = try indicatorId(indicator, in: m) } catch { throw LexstatStore.prefix("indicator", error) }
            let indicatorValue = m.indicators[Int(ind)]
            guard indicatorValue.aggregation == .sum else {
                throw .failedPrecondition("indicator \(indicatorValue.code) (\(indicatorValue.name), \(indicatorValue.unit)) is a rate or share: its values do not add up across regions (aggregation none), so it cannot be rolled up; compare the regions instead")
            }
            let kids = regions.childIds[Int(rid)]
            guard !kids.isEmpty else {
                throw .invalidArgument("region: \(regions.label(regions.all[Int(rid)])) has no child regions to roll up")
            }
            // A region's figure for the period: reported, or the sum of all of its quarters or
            // months (as compare and targets count it); a partial sum is no figure.
            func figure(_ g: Int32) -> Double? {
                if let r = m.best(indicator: ind, region: g, period: pc) { return r.value }
                guard let s = LexstatStore.sumOfParts(indicator: ind, region: g, regionCode: regions.all[Int(g)].code,
                                                      period: pc, in: m), s.parts == s.expected else { return nil }
                return s.value
            }
            func total(_ g: Int32) -> (Double, Bool)? {
                if let v = figure(g) { return (v, false) }
                var s = 0.0, any = false
                for c in regions.childIds[Int(g)] {
                    if let (v, _) = total(c) { s += v; any = true }
                }
                return any ? (s, true) : nil
            }
            var children: [RollupChild] = []
            var sum = 0.0, reported = 0
            for c in kids {
                let t = total(c)
                if let (v, _) = t { sum += v; reported += 1 }
                children.append(RollupChild(region: regions.all[Int(c)], value: t?.0, derived: t?.1 ?? false))
            }
            let own = figure(rid)
            return Rollup(indicator: indicatorValue, region: regions.all[Int(rid)], period: p, sum: sum,
                          childrenReported: reported, childrenTotal: kids.count, own: own,
                          difference: own.map { $0 - sum }, children: children)
        }
    }
}
