/// One observation as held in memory: fixed size, codes interned.
struct ObsRow {
    var id: Int64
    /// 0 for an imported figure.
    var reportId: Int64
    var value: Double
    /// Indicator id (index into ``MemoryIndex/indicators``), -1 for a free subject.
    var indicator: Int32
    /// Region id in the ``RegionDirectory``, -1 when the stored code is not in it.
    var region: Int32
    var period: Int32
    var unit: Int32
    var subject: Int32
    /// The quote for a report figure, the source string for an imported one.
    var text: Int32
    var spanStart: Int32
    var spanEnd: Int32
    var bound: UInt8
    var kind: UInt8
    var alive: Bool

    static let boundCases = Bound.allCases
    static let kindCases = ObservationKind.allCases

    static func code(_ b: Bound) -> UInt8 { UInt8(boundCases.firstIndex(of: b) ?? 0) }
    static func code(_ k: ObservationKind) -> UInt8 { UInt8(kindCases.firstIndex(of: k) ?? 0) }
    var boundValue: Bound { ObsRow.boundCases[Int(bound)] }
    var kindValue: ObservationKind { ObsRow.kindCases[Int(kind)] }
}

/// One row of a series list.
struct SeriesEntry {
    var period: Int32
    var row: Int32
    var kind: UInt8
}

struct SeriesKey: Hashable {
    var indicator: Int32
    var region: Int32
}

/// The in-memory indexes the queries are answered from.
///
/// Built from the store at open and changed only after a write has committed.
/// Not thread-safe by itself: ``LexstatStore`` guards it (see its lock discipline).
final class MemoryIndex {
    let regions: RegionDirectory

    // Catalog.
    var indicators: [Indicator] = []
    var indicatorDbIds: [Int64] = []
    var indicatorIdByCode: [String: Int32] = [:]
    var indicatorIdByDbId: [Int64: Int32] = [:]
    /// Live observations per indicator id.
    var observationCounts: [Int] = []

    // Observations, in id order; deleted rows stay as tombstones (`alive == false`).
    var strings = StringTable()
    var rows: [ObsRow] = []
    var aliveCount = 0
    /// `series[indicator][region]`: that pair's rows, in id order, with period and
    /// kind inline so a lookup scans one small contiguous list without touching
    /// the rows. Dense arrays, not a dictionary: a compare over 3,000 counties
    /// is 3,000 lookups, and hashing plus probing a large table was most of its time.
    var series: [[[SeriesEntry]]] = []
    /// Row indexes by region id, in id order (dense, like `series`: hashing
    /// two keys per row was a sixth of loading 1.7 M rows at start).
    var byRegion: [[Int32]]
    /// Row indexes by indicator id, in id order.
    var byIndicator: [[Int32]] = []
    /// report id → row indexes.
    var byReport: [Int64: [Int32]] = [:]

    // Reports, without their text.
    var reports: [Int64: Report] = [:]
    var reportIds: [Int64] = []
    /// Text length in code points, by report id.
    var reportLengths: [Int64: Int] = [:]

    init(regions: RegionDirectory) {
        self.regions = regions
        byRegion = [[Int32]](repeating: [], count: regions.count)
    }

    /// The rows of one indicator in one region.
    func seriesEntries(_ indicator: Int32, _ region: Int32) -> [SeriesEntry] {
        series[Int(indicator)][Int(region)]
    }

    // MARK: catalog

    func putIndicator(_ ind: Indicator, dbId: Int64) {
        if let id = indicatorIdByCode[ind.code] {
            indicators[Int(id)] = ind
            return
        }
        let id = Int32(indicators.count)
        indicators.append(ind)
        indicatorDbIds.append(dbId)
        indicatorIdByCode[ind.code] = id
        indicatorIdByDbId[dbId] = id
        observationCounts.append(0)
        byIndicator.append([])
        series.append([[SeriesEntry]](repeating: [], count: regions.count))
    }

    // MARK: observations

    /// Adds committed observations; rows must come in increasing id order.
    ///
    /// The indexes are held in locals while it runs: appended to through the
    /// class's properties, every row paid exclusivity checks and a uniqueness
    /// check per index (a fifth of loading 1.7 M rows at start).
    func add(contentsOf new: [ObsRow]) {
        var rows = self.rows, series = self.series, byRegion = self.byRegion, byIndicator = self.byIndicator
        var byReport = self.byReport, counts = observationCounts
        // The locals must be the only references, or every append would copy.
        self.rows = []; self.series = []; self.byRegion = []; self.byIndicator = []; self.byReport = [:]
        if rows.isEmpty { rows = new } else { rows.append(contentsOf: new) }
        let first = rows.count - new.count
        for (k, row) in new.enumerated() {
            let idx = Int32(first + k)
            if row.indicator >= 0 {
                counts[Int(row.indicator)] += 1
                byIndicator[Int(row.indicator)].append(idx)
                if row.region >= 0 {
                    series[Int(row.indicator)][Int(row.region)].append(SeriesEntry(period: row.period, row: idx, kind: row.kind))
                }
            }
            if row.region >= 0 { byRegion[Int(row.region)].append(idx) }
            if row.reportId != 0 { byReport[row.reportId, default: []].append(idx) }
        }
        self.rows = rows; self.series = series; self.byRegion = byRegion; self.byIndicator = byIndicator
        self.byReport = byReport; observationCounts = counts
        aliveCount += new.count
    }

    /// Removes a report and its observations; returns how many observations went.
    func removeReport(_ id: Int64) -> Int {
        reports[id] = nil
        reportLengths[id] = nil
        if let i = reportIds.firstIndex(of: id) { reportIds.remove(at: i) }
        guard let idxs = byReport.removeValue(forKey: id) else { return 0 }
        let gone = Set(idxs)
        var regionsTouched = Set<Int32>(), indicatorsTouched = Set<Int32>()
        var seriesTouched = Set<SeriesKey>()
        for i in idxs {
            let r = rows[Int(i)]
            rows[Int(i)].alive = false
            aliveCount -= 1
            if r.region >= 0 { regionsTouched.insert(r.region) }
            if r.indicator >= 0 {
                observationCounts[Int(r.indicator)] -= 1
                indicatorsTouched.insert(r.indicator)
                if r.region >= 0 { seriesTouched.insert(SeriesKey(indicator: r.indicator, region: r.region)) }
            }
        }
        for k in seriesTouched { series[Int(k.indicator)][Int(k.region)].removeAll { gone.contains($0.row) } }
        for g in regionsTouched { byRegion[Int(g)].removeAll { gone.contains($0) } }
        for x in indicatorsTouched { byIndicator[Int(x)].removeAll { gone.contains($0) } }
        return idxs.count
    }

    /// The figure of one indicator, region, period and kind: the most recently
    /// stored one when several sources give it.
    func best(indicator: Int32, region: Int32, period: Int32, kind: ObservationKind = .actual) -> ObsRow? {
        bestIndex(indicator: indicator, region: region, period: period, kind: kind).map { rows[Int($0)] }
    }

    /// The row index of ``best(indicator:region:period:kind:)``.
    func bestIndex(indicator: Int32, region: Int32, period: Int32, kind: ObservationKind = .actual) -> Int32? {
        guard indicator >= 0, region >= 0 else { return nil }
        let k = ObsRow.code(kind)
        return series[Int(indicator)][Int(region)].last { $0.period == period && $0.kind == k }?.row
    }

    /// What a listing shows of a stored report: no text, no sections.
    func info(ofReport id: Int64) -> ReportInfo? {
        guard let r = reports[id] else { return nil }
        return ReportInfo(report: r, regionName: regions.fullName(of: r.region), sections: [],
                          observationCount: byReport[id]?.count ?? 0, length: reportLengths[id] ?? 0)
    }

    /// The public value of a row.
    func observation(_ r: ObsRow) -> Observation {
        // Only the code and name: copying the whole Indicator (aliases and all) per row is measurable at scale.
        let code = r.indicator >= 0 ? indicators[Int(r.indicator)].code : nil
        let subject = strings[r.subject]
        return Observation(id: r.id, indicator: code,
                           subject: subject.isEmpty && r.indicator >= 0 ? indicators[Int(r.indicator)].name : subject,
                           region: r.region >= 0 ? regions.all[Int(r.region)].code : "",
                           period: PeriodCode.decode(r.period), value: r.value, unit: strings[r.unit],
                           bound: r.boundValue, kind: r.kindValue, provenance: provenance(r))
    }

    /// Where a row's figure came from: a span of its report, or its import's source.
    func provenance(_ r: ObsRow) -> Provenance {
        r.reportId != 0 ? .report(id: r.reportId, start: Int(r.spanStart), end: Int(r.spanEnd), quote: strings[r.text])
                        : .source(strings[r.text])
    }

    /// The index of the first row with an id above `id` (rows are in id order).
    func firstRow(after id: Int64) -> Int {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid].id <= id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
