/// A region's place in a comparison.
public struct CompareEntry: Hashable, Sendable {
    /// 1 for the best; equal values share a rank (1, 2, 2, 4).
    public var rank: Int
    public var region: Region
    public var value: Double
    public var bound: Bound
    public var observation: Observation
}

/// Regions ranked on one indicator in one period.
public struct Comparison: Hashable, Sendable {
    public var indicator: Indicator
    public var period: Period
    /// The region compared within, `nil` for the whole country.
    public var within: Region?
    /// The level compared; `nil` when the scope is `within`'s direct children, whatever their level.
    public var level: Region.Level?
    /// Best first.
    public var entries: [CompareEntry]
    /// Regions in scope without a figure, by code.
    public var missing: [Region]
}

/// A comparison by reference, for answers that list thousands of regions.
///
/// The same ranking as ``Comparison``, with regions as indices into the
/// store's ``RegionDirectory/all`` and each figure as its value, bound and
/// source only: an answer on the wire needs no more, and building a public
/// ``Region`` and ``Observation`` per entry (a dozen strings retained and
/// released each) was a third of a Compare over every county.
public struct CompactComparison: Sendable {
    public struct Entry: Sendable {
        /// 1 for the best; equal values share a rank (1, 2, 2, 4).
        public var rank: Int
        /// Index into ``CompactComparison/regions``' ``RegionDirectory/all``.
        public var region: Int32
        public var value: Double
        public var bound: Bound
        public var provenance: Provenance
    }

    /// The directory `region` indices refer to.
    public var regions: RegionDirectory
    public var indicator: Indicator
    public var period: Period
    /// Index of the region compared within, `nil` for the whole country.
    public var within: Int32?
    public var level: Region.Level?
    /// Best first.
    public var entries: [Entry]
    /// Indices of the regions in scope without a figure, in scope order.
    public var missing: [Int32]
}

/// What both views of a comparison are built from, under the read lock.
private struct RankedRows {
    var indicator: Int32
    var within: Int32?
    var level: Region.Level?
    /// Best first; `slot` indexes `found` when ≥ 0, `sums` at `-1 - slot` otherwise.
    var order: [(value: Double, region: Int32, slot: Int32)]
    var found: [ObsRow]
    var sums: [Observation]
    var missing: [Int32]

    /// Ranks by position: equal values share the rank of the first of them.
    func ranks() -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(order.count)
        for i in order.indices {
            out.append(i > 0 && order[i - 1].value == order[i].value ? out[i - 1] : i + 1)
        }
        return out
    }
}

extension LexstatStore {
    /// Ranks the regions of one level on an indicator's actual figures of one period.
    ///
    /// Best first by polarity: a higher-is-better or neutral indicator ranks
    /// the highest value first, a lower-is-better one (败诉率) the lowest.
    /// Equal values share a rank and the next rank skips (1, 2, 2, 4). For an
    /// additive indicator a region that reported a year (or quarter) only by
    /// its parts is ranked on their sum when every part is there (source
    /// `sum of 4 of 4 quarters`); with parts missing it is listed as without data.
    ///
    /// - Parameters:
    ///   - period: e.g. `2024`.
    ///   - within: a code or name; the whole country when `nil`.
    ///   - level: the level compared (all of `within`'s descendants of that
    ///     level); by default `within`'s direct children, whatever their level
    ///     (districts for 重庆市; cities for 四川省; cities and the directly
    ///     administered county-level cities for 海南省), provinces for the country.
    /// - Throws: `LexstatError.notFound` for an unknown indicator or region,
    ///   `.invalidArgument` for a malformed period or a level with no regions under `within`.
    public func compare(indicator: String, period: String, within: String? = nil,
                        level: Region.Level? = nil) throws(LexstatError) -> Comparison {
        let p = try LexstatStore.period(period, field: "period")
        return try ranked(indicator: indicator, period: p, within: within, level: level) { (r, m) in
            let ranks = r.ranks()
            var entries: [CompareEntry] = []
            entries.reserveCapacity(r.order.count)
            for (i, h) in r.order.enumerated() {
                let obs = h.slot >= 0 ? m.observation(r.found[Int(h.slot)]) : r.sums[Int(-1 - h.slot)]
                entries.append(CompareEntry(rank: ranks[i], region: regions.all[Int(h.region)], value: h.value, bound: obs.bound,
                                            observation: obs))
            }
            return Comparison(indicator: m.indicators[Int(r.indicator)], period: p,
                              within: r.within.map { regions.all[Int($0)] }, level: r.level, entries: entries,
                              missing: r.missing.map { regions.all[Int($0)] })
        }
    }

    /// ``compare(indicator:period:within:level:)`` by reference: the same
    /// ranking, the same errors, regions as directory indices and figures
    /// as value, bound and source (see ``CompactComparison``).
    public func compareCompact(indicator: String, period: String, within: String? = nil,
                        level: Region.Level? = nil) throws(LexstatError) -> CompactComparison {
        let p = try LexstatStore.period(period, field: "period")
        return try ranked(indicator: indicator, period: p, within: within, level: level) { (r, m) in
            let ranks = r.ranks()
            var entries: [CompactComparison.Entry] = []
            entries.reserveCapacity(r.order.count)
            for (i, h) in r.order.enumerated() {
                if h.slot >= 0 {
                    let row = r.found[Int(h.slot)]
                    entries.append(CompactComparison.Entry(rank: ranks[i], region: h.region, value: h.value, bound: row.boundValue,
                                                 provenance: m.provenance(row)))
                } else {
                    let sum = r.sums[Int(-1 - h.slot)]
                    entries.append(CompactComparison.Entry(rank: ranks[i], region: h.region, value: h.value, bound: sum.bound,
                                                 provenance: sum.provenance))
                }
            }
            return CompactComparison(regions: regions, indicator: m.indicators[Int(r.indicator)], period: p, within: r.within,
                           level: r.level, entries: entries, missing: r.missing)
        }
    }

    /// Finds and ranks the figures of a comparison, then hands them to `view`
    /// under the read lock.
    private func ranked<T>(indicator: String, period p: Period, within: String?, level: Region.Level?,
                           _ view: (RankedRows, MemoryIndex) -> T) throws(LexstatError) -> T {
        var withinId: Int32?
        if let w = within, !w.isEmpty {
            do throws(LexstatError) { withinId = try regions.resolveId(w) } catch { throw LexstatStore.prefix("within", error) }
        }
        let lv: Region.Level? = level ?? (withinId == nil ? .province : nil)
        let scope: [Int32]
        switch (withinId, lv) {
        case (let w?, let l?): scope = regions.descendantIds(of: w, level: l)
        case (let w?, nil): scope = regions.childIds[Int(w)]
        case (nil, let l): scope = regions.idsByLevel[l ?? .province] ?? []
        }
        guard !scope.isEmpty else {
            let place = withinId.map { regions.label(regions.all[Int($0)]) } ?? "China"
            throw .invalidArgument(lv == nil ? "within: \(place) has no child regions to compare"
                                              : "level: no \(lv.map(\.rawValue) ?? "")-level regions within \(place)")
        }
        let pc = PeriodCode.encode(p)
        return try read { (m) throws(LexstatError) in
            let ind: Int32
            do throws(LexstatError) { ind = try indicatorId(indicator, in: m) } catch { throw LexstatStore.prefix("indicator", error) }
            // Rank small (value, region, slot) triples; build the public values only for the result.
            // Each row is read once, in scope order, into `found`: read again after the sort, in
            // ranking order, every read was a cache miss in the 1.7 M-row array (a sixth of a
            // Compare over every county).
            var have: [(value: Double, region: Int32, slot: Int32)] = []
            have.reserveCapacity(scope.count)
            var found: [ObsRow] = []
            found.reserveCapacity(scope.count)
            var missing: [Int32] = []
            // Sums of all of a period's quarters or months, for regions that reported no whole
            // figure (slot -1 - index); a partial sum would rank a region on part of its year.
            var sums: [Observation] = []
            let additive = m.indicators[Int(ind)].aggregation == .sum
            for g in scope {
                if let i = m.bestIndex(indicator: ind, region: g, period: pc) {
                    let r = m.rows[Int(i)]
                    have.append((r.value, g, Int32(found.count)))
                    found.append(r)
                } else if additive,
                          let sum = LexstatStore.sumOfParts(indicator: ind, region: g, regionCode: regions.all[Int(g)].code, period: pc, in: m),
                          sum.parts == sum.expected {
                    have.append((sum.value, g, -1 - Int32(sums.count)))
                    sums.append(sum.observation)
                } else {
                    missing.append(g)
                }
            }
            let lowerFirst = m.indicators[Int(ind)].polarity == .lowerIsBetter
            // Equal values in region order: the sort is stable, so start from region order.
            if !have.indices.dropFirst().allSatisfy({ have[$0 - 1].region < have[$0].region }) {
                have.sort { $0.region < $1.region }
            }
            var keys = have.indices.map { (key: RankOrder.key(have[$0].value, lowerFirst: lowerFirst), index: UInt32($0)) }
            RankOrder.sort(&keys)
            let order = keys.map { have[Int($0.index)] }
            return view(RankedRows(indicator: ind, within: withinId, level: lv, order: order, found: found, sums: sums,
                                   missing: missing), m)
        }
    }
}
