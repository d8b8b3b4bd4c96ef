import Foundation

/// What an import stored.
public struct ImportResult: Hashable, Sendable {
    /// Figures stored by this import.
    public var imported: Int
    /// Rows left out because the same figure, from the same source, was stored before
    /// (the same file imported again).
    public var alreadyStored: Int
}

extension LexstatStore {
    /// The CSV layout of imports and exports.
    public static let csvColumns = ["region", "indicator", "period", "value", "unit", "bound", "kind", "source"]

    /// Imports observations from CSV, all or nothing.
    ///
    /// Header `region,indicator,period,value,unit,bound,kind,source` (any
    /// order; an optional ninth column `subject` names a figure no indicator
    /// fits, with `indicator` empty). `region` is a code or a name;
    /// `indicator` a code or Chinese name; `unit` defaults to the indicator's;
    /// `bound` to `exact`; `kind` to `actual`; `source` to the `source`
    /// argument. Every row is checked before anything is written; the rows
    /// then go in one transaction. A row whose figure is already stored with
    /// the same source (the same file imported twice) is left out and counted,
    /// so importing again adds nothing twice; a row given twice in one file is
    /// refused.
    ///
    /// - Parameters:
    ///   - csv: the CSV text.
    ///   - source: the file name, for messages and for rows without a source.
    /// - Returns: how many observations were stored, and how many rows were already.
    /// - Throws: `LexstatError.invalidArgument` (or `.notFound` for an unknown
    ///   region or indicator) as `FILE:LINE: FIELD: …`; nothing is stored then.
    public func importObservations(csv: String, source: String) throws(LexstatError) -> ImportResult {
        let records = try CSV.parse(csv, source: source)
        guard let header = records.first else { throw .invalidArgument("\(source): empty; expected the header \(LexstatStore.csvColumns.joined(separator: ","))") }
        var col: [String: Int] = [:]
        for (i, h) in header.fields.enumerated() { col[h.trimmingCharacters(in: .whitespaces).lowercased()] = i }
        for c in LexstatStore.csvColumns where col[c] == nil {
            throw .invalidArgument("\(source):\(header.line): header lacks the column \"\(c)\" (expected \(LexstatStore.csvColumns.joined(separator: ",")))")
        }
        let rows: [PendingObservation] = try read { (m) throws(LexstatError) in
            var out: [PendingObservation] = []
            out.reserveCapacity(records.count)
            var regionCache: [String: Int32] = [:]
            var seen: [String: Int] = [:]  // a row's figure → its line, to refuse a figure given twice
            for rec in records.dropFirst() {
                let at = "\(source):\(rec.line)"
                func f(_ name: String) -> String {
                    guard let i = col[name], i < rec.fields.count else { return "" }
                    return rec.fields[i].trimmingCharacters(in: .whitespaces)
                }
                guard rec.fields.count == header.fields.count else {
                    throw .invalidArgument("\(at): \(rec.fields.count) fields, the header has \(header.fields.count)")
                }
                let regionText = f("region")
                let reg: Int32
                if let r = regionCache[regionText] {
                    reg = r
                } else {
                    do throws(LexstatError) { reg = try regions.resolveId(regionText) } catch { throw LexstatStore.prefix("region", at: at, error) }
                    regionCache[regionText] = reg
                }
                let subject = f("subject")
                var ind: Int32 = -1
                if !f("indicator").isEmpty {
                    do throws(LexstatError) { ind = try indicatorId(f("indicator"), in: m) } catch { throw LexstatStore.prefix("indicator", at: at, error) }
                } else if subject.isEmpty {
                    throw .invalidArgument("\(at): indicator: empty (give a catalog code, or a subject column)")
                }
                let period: Period
                do throws(LexstatError) { period = try Period(parsing: f("period")) } catch { throw LexstatStore.prefix("period", at: at, error) }
                guard let value = Double(f("value")), value.isFinite else {
                    throw .invalidArgument("\(at): value: \"\(f("value"))\" is not a number")
                }
                let bound: Bound
                if f("bound").isEmpty { bound = .exact } else {
                    guard let b = Bound(rawValue: f("bound")) else {
                        throw .invalidArgument("\(at): bound: \"\(f("bound"))\" is not one of \(Bound.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    bound = b
                }
                let kind: ObservationKind
                if f("kind").isEmpty { kind = .actual } else {
                    guard let k = ObservationKind(rawValue: f("kind")) else {
                        throw .invalidArgument("\(at): kind: \"\(f("kind"))\" is not one of \(ObservationKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    kind = k
                }
                var unit = f("unit")
                var scaled = value
                if ind >= 0 {
                    let catalogUnit = m.indicators[Int(ind)].unit
                    if unit.isEmpty { unit = kind == .change ? "%" : catalogUnit }
                    let (u, factor) = try LexstatStore.importUnit(unit, of: m.indicators[Int(ind)], kind: kind, at: at)
                    unit = u
                    scaled = value * factor
                }
                let src = f("source").isEmpty ? source : f("source")
                let obs = Observation(indicator: ind >= 0 ? m.indicators[Int(ind)].code : nil, subject: subject,
                                      region: regions.all[Int(reg)].code, period: period, value: scaled, unit: unit,
                                      bound: bound, kind: kind, provenance: .source(src))
                let key = [String(reg), String(ind), subject, period.text, kind.rawValue,
                           bound.rawValue, CSV.number(scaled), unit, src].joined(separator: "\u{1f}")
                if let first = seen[key] {
                    throw .invalidArgument("\(at): the same figure as line \(first); remove one of the two")
                }
                seen[key] = rec.line
                out.append(PendingObservation(observation: obs, indicator: ind, region: reg, reportId: 0))
            }
            return out
        }
        return try write { (db, m) throws(LexstatError) in
            // Checked under the write lock, so two imports of one file cannot both store it.
            let pending = rows.filter { !LexstatStore.isStored($0.observation, indicator: $0.indicator, region: $0.region, in: m) }
            let already = rows.count - pending.count
            let ids = try ObservationWriter.insert(pending, db: db, m: m)
            return (ImportResult(imported: ids.count, alreadyStored: already),
                    { m in ObservationWriter.apply(pending, ids: ids, to: m) })
        }
    }

    /// Whether an imported figure equal to `obs` is stored and alive: same
    /// indicator, region, period, kind, bound, value, unit and source (and,
    /// for a free subject, the same subject; an indicator's figure is that
    /// indicator's whatever phrase named it).
    static func isStored(_ obs: Observation, indicator: Int32, region: Int32, in m: MemoryIndex) -> Bool {
        guard region >= 0, case .source(let src) = obs.provenance,
              let text = m.strings.id(of: src), let unit = m.strings.id(of: obs.unit) else { return false }
        let subject = indicator >= 0 ? nil : m.strings.id(of: obs.subject)
        if indicator < 0 && subject == nil { return false }
        let period = PeriodCode.encode(obs.period), kind = ObsRow.code(obs.kind), bound = ObsRow.code(obs.bound)
        func same(_ r: ObsRow) -> Bool {
            r.alive && r.reportId == 0 && r.indicator == indicator && r.region == region && r.period == period
                && r.kind == kind && r.bound == bound && r.value == obs.value && r.unit == unit
                && r.text == text && (subject == nil || r.subject == subject)
        }
        if indicator >= 0 {
            return m.seriesEntries(indicator, region).contains { $0.period == period && same(m.rows[Int($0.row)]) }
        }
        return m.byRegion[Int(region)].contains { same(m.rows[Int($0)]) }
    }

    /// The unit an imported figure of `indicator` is stored in, and the factor
    /// its value is multiplied by. Taken: the catalog's unit; for a count, any
    /// counting word (bureaus count 示范户 in 家 and checks in 个 as well as 次);
    /// money scaled to 元 (万元 × 10⁴, 亿元 × 10⁸); for a change also `%` or `pp`.
    ///
    /// - Throws: `LexstatError.invalidArgument` for a unit that measures
    ///   something else (`米` or `%` for a count of 件), naming the catalog's unit.
    static func importUnit(_ unit: String, of indicator: Indicator, kind: ObservationKind,
                           at: String) throws(LexstatError) -> (String, Double) {
        let want = indicator.unit
        if unit == want || want.isEmpty { return (unit, 1) }
        if kind == .change, unit == "%" || unit == "pp" { return (unit, 1) }
        if want == "元", let f = moneyScale[unit] { return ("元", f) }
        if want != "%", want != "元", countWords.contains(want), countWords.contains(unit) { return (unit, 1) }
        let allowed = kind == .change ? "\(want), % or pp" : want
        throw .invalidArgument("\(at): unit: \"\(unit)\" does not measure \(indicator.code) (\(indicator.name)), which is in \(allowed); convert the value, or leave the unit empty for \(want)")
    }

    /// Counting words of the extractor's table, less the ones that measure rather than count.
    private static let countWords: Set<String> = Set(CountingUnits.standard.entries.lazy.filter { $0.role == .count }.map(\.unit))
        .subtracting(["亩", "吨", "公里", "平方米", "字", "分", "课时"])

    private static let moneyScale: [String: Double] = ["千元": 1e3, "万元": 1e4, "十万元": 1e5, "百万元": 1e6, "千万元": 1e7, "亿元": 1e8]

    /// The observations matching `filter` as CSV in the import layout, plus a
    /// `subject` column, so an export imports again.
    ///
    /// A figure from a report has as source `report N: TITLE`.
    ///
    /// - Throws: as ``observations(indicator:region:descendants:from:to:kind:pageSize:pageToken:)``.
    public func exportObservations(_ filter: ObservationFilter = ObservationFilter()) throws(LexstatError) -> String {
        try read { (m) throws(LexstatError) in
            let (found, _) = try matching(filter, in: m)
            var out = (LexstatStore.csvColumns + ["subject"]).joined(separator: ",") + "\n"
            for i in found {
                let r = m.rows[Int(i)]
                let source: String
                if r.reportId != 0 {
                    source = "report \(r.reportId): \(m.reports[r.reportId]?.title ?? "")"
                } else {
                    source = m.strings[r.text]
                }
                let fields = [
                    r.region >= 0 ? regions.all[Int(r.region)].code : "",
                    r.indicator >= 0 ? m.indicators[Int(r.indicator)].code : "",
                    PeriodCode.decode(r.period).text, CSV.number(r.value), m.strings[r.unit],
                    r.boundValue.rawValue, r.kindValue.rawValue, source,
                    m.strings[r.subject],
                ]
                out += fields.map(CSV.field).joined(separator: ",") + "\n"
            }
            return out
        }
    }
}
