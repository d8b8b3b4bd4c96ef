import Foundation

/// One recorded change of a catalog entry.
public struct IndicatorChange: Hashable, Sendable, Codable {
    public var code: String
    /// The field changed, or `created` for a new indicator.
    public var field: String
    public var oldValue: String
    public var newValue: String
    /// Milliseconds since 1970.
    public var changedAtMs: Int64
    /// Where the change came from, e.g. the imported file's name.
    public var source: String
}

/// An indicator with its function area's name, change history and use.
public struct IndicatorDetail: Hashable, Sendable {
    public var indicator: Indicator
    /// The area's Chinese name, e.g. `行政复议`.
    public var areaName: String
    /// Oldest first.
    public var history: [IndicatorChange]
    /// Observations stored for it.
    public var observationCount: Int
}

/// What a catalog import did.
public struct CatalogImportResult: Hashable, Sendable {
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    /// Every change made, in file order.
    public var changes: [IndicatorChange]
}

extension LexstatStore {
    /// The whole catalog, in code order.
    public func indicators() -> [Indicator] {
        read { m in m.indicators }.sorted { $0.code < $1.code }
    }

    /// The catalog, in code order, of one function area or system only.
    ///
    /// - Parameters:
    ///   - area: an area code or Chinese name (`review`, `行政复议`); `nil` or empty for any.
    ///   - system: an indicator system name; `nil` or empty for any.
    /// - Throws: `LexstatError.invalidArgument` for an area or system no
    ///   indicator belongs to, listing those there are (an empty answer would
    ///   read as "no indicators", not "no such area").
    public func indicators(area: String?, system: String? = nil) throws(LexstatError) -> [Indicator] {
        let a = area.flatMap { $0.isEmpty ? nil : (FunctionArea.find($0)?.code ?? $0) }
        let s = system.flatMap { $0.isEmpty ? nil : $0 }
        let all = read { m in m.indicators }
        if let a, !all.contains(where: { $0.area == a }) {
            let known = Set(all.map(\.area)).sorted().joined(separator: ", ")
            throw .invalidArgument("area: \"\(area ?? "")\" is no function area of the catalog; areas are \(known)")
        }
        if let s, !all.contains(where: { $0.systems.contains(s) }) {
            let known = Set(all.flatMap(\.systems)).sorted().map { "「\($0)」" }.joined(separator: ", ")
            throw .invalidArgument("system: \"\(s)\" is no indicator system of the catalog; systems are \(known)")
        }
        return all.filter { (a == nil || $0.area == a) && (s.map($0.systems.contains) ?? true) }.sorted { $0.code < $1.code }
    }

    /// One indicator with its history and observation count.
    ///
    /// - Parameter code: a code or Chinese name.
    /// - Throws: `LexstatError.notFound` with suggestions.
    public func indicator(code: String) throws(LexstatError) -> IndicatorDetail {
        let (ind, dbId, count) = try read { (m) throws(LexstatError) in
            let id = try indicatorId(code, in: m)
            return (m.indicators[Int(id)], m.indicatorDbIds[Int(id)], m.observationCounts[Int(id)])
        }
        let history = try withReader { (db) throws(LexstatError) in
            let st = try db.prepare("SELECT field, old_value, new_value, changed_at_ms, source FROM indicator_history WHERE indicator_id = ? ORDER BY id")
            try st.bind([.int(dbId)])
            var out: [IndicatorChange] = []
            while try st.step() {
                out.append(IndicatorChange(code: ind.code, field: st.text(0), oldValue: st.text(1), newValue: st.text(2),
                                           changedAtMs: st.int(3), source: st.text(4)))
            }
            return out
        }
        return IndicatorDetail(indicator: ind, areaName: FunctionArea.name(of: ind.area), history: history,
                               observationCount: count)
    }

    /// Adds or updates indicators from a catalog file; codes stay stable.
    ///
    /// An existing code keeps its identity and its observations; each field
    /// that differs is updated and the change recorded (field, old, new, time,
    /// source). The import is one transaction.
    ///
    /// - Parameters:
    ///   - tsv: the catalog text, as ``IndicatorTSV`` reads it.
    ///   - system: the indicator system for rows without a `system` column. An
    ///     existing indicator joins the systems named and stays in those it was
    ///     in (an indicator may sit in several systems); the change is recorded.
    ///   - source: a name for messages and history, e.g. the file name.
    /// - Throws: `LexstatError.invalidArgument` naming the line and column.
    public func importIndicators(tsv: String, system: String, source: String) throws(LexstatError) -> CatalogImportResult {
        let parsed = try IndicatorTSV.parse(tsv, source: source, system: system)
        let now = LexstatStore.nowMs()
        return try write { (db, m) throws(LexstatError) in
            let insert = try db.prepare("INSERT INTO indicators (code, name, area, unit, polarity, aggregation, aliases, system) VALUES (?,?,?,?,?,?,?,?)")
            let update = try db.prepare("UPDATE indicators SET name=?, area=?, unit=?, polarity=?, aggregation=?, aliases=?, system=? WHERE id=?")
            let hist = try db.prepare("INSERT INTO indicator_history (indicator_id, field, old_value, new_value, changed_at_ms, source) VALUES (?,?,?,?,?,?)")
            var result = CatalogImportResult(added: 0, updated: 0, unchanged: 0, changes: [])
            var applied: [(Indicator, Int64)] = []
            for var ind in parsed {
                // An existing entry keeps the systems it is in and joins those the file names.
                if let id = m.indicatorIdByCode[ind.code] {
                    let was = m.indicators[Int(id)].systems
                    ind.systems = was + ind.systems.filter { !was.contains($0) }
                }
                let values: [SQLValue] = [.text(ind.name), .text(ind.area), .text(ind.unit), .text(ind.polarity.rawValue),
                                          .text(ind.aggregation.rawValue), .text(ind.aliases.joined(separator: "|")), .text(ind.system)]
                if let id = m.indicatorIdByCode[ind.code] {
                    let old = m.indicators[Int(id)]
                    let diffs = LexstatStore.differences(old, ind)
                    if diffs.isEmpty { result.unchanged += 1; continue }
                    let dbId = m.indicatorDbIds[Int(id)]
                    try update.run(values + [.int(dbId)])
                    for (field, o, n) in diffs {
                        try hist.run([.int(dbId), .text(field), .text(o), .text(n), .int(now), .text(source)])
                        result.changes.append(IndicatorChange(code: ind.code, field: field, oldValue: o, newValue: n,
                                                              changedAtMs: now, source: source))
                    }
                    result.updated += 1
                    applied.append((ind, dbId))
                } else {
                    try insert.run([.text(ind.code)] + values)
                    let dbId = db.lastInsertRowID
                    let summary = LexstatStore.describe(ind)
                    try hist.run([.int(dbId), .text("created"), .text(""), .text(summary), .int(now), .text(source)])
                    result.changes.append(IndicatorChange(code: ind.code, field: "created", oldValue: "", newValue: summary,
                                                          changedAtMs: now, source: source))
                    result.added += 1
                    applied.append((ind, dbId))
                }
            }
            return (result, { m in for (ind, dbId) in applied { m.putIndicator(ind, dbId: dbId) } })
        }
    }

    /// An indicator's fields in one readable line, for the `created` entry of its history.
    static func describe(_ i: Indicator) -> String {
        var parts = ["name \(i.name)", "area \(i.area)", "unit \(i.unit.isEmpty ? "none" : i.unit)",
                     "polarity \(i.polarity.rawValue)", "aggregation \(i.aggregation.rawValue)"]
        if !i.aliases.isEmpty { parts.append("aliases \(i.aliases.joined(separator: "|"))") }
        if !i.systems.isEmpty { parts.append("system \(i.system)") }
        return parts.joined(separator: "; ")
    }

    static func differences(_ a: Indicator, _ b: Indicator) -> [(String, String, String)] {
        var d: [(String, String, String)] = []
        if a.name != b.name { d.append(("name", a.name, b.name)) }
        if a.area != b.area { d.append(("area", a.area, b.area)) }
        if a.unit != b.unit { d.append(("unit", a.unit, b.unit)) }
        if a.polarity != b.polarity { d.append(("polarity", a.polarity.rawValue, b.polarity.rawValue)) }
        if a.aggregation != b.aggregation { d.append(("aggregation", a.aggregation.rawValue, b.aggregation.rawValue)) }
        if a.aliases != b.aliases { d.append(("aliases", a.aliases.joined(separator: "|"), b.aliases.joined(separator: "|"))) }
        if a.system != b.system { d.append(("system", a.system, b.system)) }
        return d
    }
}
