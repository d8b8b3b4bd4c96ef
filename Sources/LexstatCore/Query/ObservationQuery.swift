/// Which observations a listing or an export takes. Every field is optional.
public struct ObservationFilter: Hashable, Sendable {
    /// Indicator code or Chinese name.
    public var indicator: String?
    /// Region code or name.
    public var region: String?
    /// With `region`: its descendants too.
    public var descendants: Bool
    /// First period, inclusive (`2020`, `2020Q2`, `2020-05`); periods must lie wholly in the range.
    public var from: String?
    /// Last period, inclusive.
    public var to: String?
    public var kind: ObservationKind?

    public init(indicator: String? = nil, region: String? = nil, descendants: Bool = false,
                from: String? = nil, to: String? = nil, kind: ObservationKind? = nil) {
        self.indicator = indicator
        self.region = region
        self.descendants = descendants
        self.from = from
        self.to = to
        self.kind = kind
    }
}

/// One page of observations, in the order they were stored.
public struct ObservationPage: Hashable, Sendable {
    public var observations: [Observation]
    /// Empty on the last page.
    public var nextPageToken: String
    /// How many observations match in all.
    public var total: Int
}

extension LexstatStore {
    /// Observations matching the filters, a page at a time.
    ///
    /// - Parameters:
    ///   - pageSize: 1…10000; `nil` or 0 for 100.
    ///   - pageToken: `nextPageToken` of the previous page, with the same filters.
    /// - Throws: `LexstatError.invalidArgument` naming the field (period, page
    ///   size, token); `.notFound` for an unknown indicator or region.
    public func observations(indicator: String? = nil, region: String? = nil, descendants: Bool = false,
                             from: String? = nil, to: String? = nil, kind: ObservationKind? = nil,
                             pageSize: Int? = nil, pageToken: String? = nil) throws(LexstatError) -> ObservationPage {
        let filter = ObservationFilter(indicator: indicator, region: region, descendants: descendants, from: from, to: to, kind: kind)
        let size = try Paging.size(pageSize)
        return try read { (m) throws(LexstatError) in
            let (rowsFound, fp) = try matching(filter, in: m)
            let after = try Paging.resume(pageToken, kind: "observations", fingerprint: fp)
            var page: [Observation] = []
            var more = false
            for i in rowsFound where m.rows[Int(i)].id > after {
                if page.count == size { more = true; break }
                page.append(m.observation(m.rows[Int(i)]))
            }
            let next = more ? Paging.token(kind: "observations", fingerprint: fp, lastId: page.last?.id ?? 0) : ""
            return ObservationPage(observations: page, nextPageToken: next, total: rowsFound.count)
        }
    }

    /// Row indexes matching a filter, in id order, and the filter's fingerprint for page tokens.
    func matching(_ f: ObservationFilter, in m: MemoryIndex) throws(LexstatError) -> ([Int32], String) {
        var ind: Int32?
        if let q = f.indicator, !q.isEmpty {
            do throws(LexstatError) { ind = try indicatorId(q, in: m) } catch { throw LexstatStore.prefix("indicator", error) }
        }
        var scope: [Int32]?
        if let q = f.region, !q.isEmpty {
            let rid: Int32
            do throws(LexstatError) { rid = try regions.resolveId(q) } catch { throw LexstatStore.prefix("region", error) }
            scope = [rid] + (f.descendants ? regions.descendantIds(of: rid) : [])
        }
        let periods = try PeriodFilter(from: f.from, to: f.to)
        let kindCode = f.kind.map { ObsRow.code($0) }
        let fp = Paging.fingerprint([ind.map { m.indicators[Int($0)].code } ?? "", scope.map { regions.all[Int($0[0])].code } ?? "",
                                     f.descendants ? "d" : "", periods.key, f.kind?.rawValue ?? ""])
        func keep(_ r: ObsRow) -> Bool {
            r.alive && (kindCode == nil || r.kind == kindCode) && (periods.isOpen || periods.contains(PeriodCode.decode(r.period)))
        }
        var out: [Int32] = []
        if let scope {
            for g in scope {
                let list = ind.map { m.seriesEntries($0, g).map(\.row) } ?? m.byRegion[Int(g)]
                for i in list where keep(m.rows[Int(i)]) { out.append(i) }
            }
            if scope.count > 1 { out.sort() }
        } else if let ind {
            for i in m.byIndicator[Int(ind)] where keep(m.rows[Int(i)]) { out.append(i) }
        } else {
            for (i, r) in m.rows.enumerated() where keep(r) { out.append(Int32(i)) }
        }
        return (out, fp)
    }
}
