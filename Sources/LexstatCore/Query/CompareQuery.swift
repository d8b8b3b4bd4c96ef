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
            var missing: [Region] = []
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
                    missing.append(regions.all[Int(g)])
                }
            }
            let lowerFirst = m.indicators[Int(ind)].polarity == .lowerIsBetter
            have.sort { a, b in
                if a.value != b.value { return lowerFirst ? a.value < b.value : a.value > b.value }
                return a.region < b.region
            }
            var entries: [CompareEntry] = []
            entries.reserveCapacity(have.count)
            for (i, h) in have.enumerated() {
                let obs = h.slot >= 0 ? m.observation(found[Int(h.slot)]) : sums[Int(-1 - h.slot)]
                let rank = (i > 0 && have[i - 1].value == h.value) ? entries[i - 1].rank : i + 1
                entries.append(CompareEntry(rank: rank, region: regions.all[Int(h.region)], value: h.value, bound: obs.bound,
                                            observation: obs))
            }
            return Comparison(indicator: m.indicators[Int(ind)], period: p,
                              within: withinId.map { regions.all[Int($0)] }, level: lv, entries: entries, missing: missing)
        }
    }
}
