import Foundation

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
    /// then go in one transaction.
    ///
    /// - Parameters:
    ///   - csv: the CSV text.
    ///   - source: the file name, for messages and for rows without a source.
    /// - Returns: how many observations were stored.
    /// - Throws: `LexstatError.invalidArgument` (or `.notFound` for an unknown
    ///   region or indicator) as `FILE:LINE: FIELD: …`; nothing is stored then.
    public func importObservations(csv: String, source: String) throws(LexstatError) -> Int {
        let records = try CSV.parse(csv, source: source)
        guard let header = records.first else { throw .invalidArgument("\(source): empty; expected the header \(LexstatStore.csvColumns.joined(separator: ","))") }
        var col: [String: Int] = [:]
        for (i, h) in header.fields.enumerated() { col[h.trimmingCharacters(in: .whitespaces).lowercased()] = i }
        for c in LexstatStore.csvColumns where col[c] == nil {
            throw .invalidArgument("\(source):\(header.line): header lacks the column \"\(c)\" (expected \(LexstatStore.csvColumns.joined(separator: ",")))")
        }
        let pending: [PendingObservation] = try read { (m) throws(LexstatError) in
            var out: [PendingObservation] = []
            out.reserveCapacity(records.count)
            var regionCache: [String: Int32] = [:]
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
                    do throws(LexstatError) { reg = try regions.resolveId(regionText) } catch { throw LexstatStore.prefix("\(at): region", error) }
                    regionCache[regionText] = reg
                }
                let subject = f("subject")
                var ind: Int32 = -1
                if !f("indicator").isEmpty {
                    do throws(LexstatError) { ind = try indicatorId(f("indicator"), in: m) } catch { throw LexstatStore.prefix("\(at): indicator", error) }
                } else if subject.isEmpty {
                    throw .invalidArgument("\(at): indicator: empty (give a catalog code, or a subject column)")
                }
                let period: Period
                do throws(LexstatError) { period = try Period(parsing: f("period")) } catch { throw LexstatStore.prefix("\(at): period", error) }
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
                if unit.isEmpty, ind >= 0 { unit = kind == .change ? "%" : m.indicators[Int(ind)].unit }
                let src = f("source").isEmpty ? source : f("source")
                let obs = Observation(indicator: ind >= 0 ? m.indicators[Int(ind)].code : nil, subject: subject,
                                      region: regions.all[Int(reg)].code, period: period, value: value, unit: unit,
                                      bound: bound, kind: kind, provenance: .source(src))
                out.append(PendingObservation(observation: obs, indicator: ind, region: reg, reportId: 0))
            }
            return out
        }
        return try write { (db, m) throws(LexstatError) in
            let ids = try ObservationWriter.insert(pending, db: db, m: m)
            return (ids.count, { m in ObservationWriter.apply(pending, ids: ids, to: m) })
        }
    }

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
