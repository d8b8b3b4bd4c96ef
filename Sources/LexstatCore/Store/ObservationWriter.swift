/// An observation checked and resolved, ready to store.
struct PendingObservation {
    var observation: Observation
    /// Indicator id, -1 for a free subject.
    var indicator: Int32
    var region: Int32
    /// 0 for an imported figure.
    var reportId: Int64
}

/// Writes observations inside a caller's transaction and, after commit, mirrors them in memory.
enum ObservationWriter {
    /// Inserts the observations; returns their new ids in order.
    static func insert(_ list: [PendingObservation], db: SQLiteDatabase, m: MemoryIndex) throws(LexstatError) -> [Int64] {
        let st = try db.prepare("""
            INSERT INTO observations (indicator_id, subject, region, period, value, unit, bound, kind,
                                      report_id, span_start, span_end, quote, source)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        var ids: [Int64] = []
        ids.reserveCapacity(list.count)
        for p in list {
            let o = p.observation
            var start = 0, end = 0, quote = "", source = ""
            switch o.provenance {
            case .report(_, let s, let e, let q): (start, end, quote) = (s, e, q)
            case .source(let s): source = s
            }
            try st.run([
                p.indicator >= 0 ? .int(m.indicatorDbIds[Int(p.indicator)]) : .null,
                .text(o.subject), .text(m.regions.all[Int(p.region)].code), .text(o.period.text), .double(o.value),
                .text(o.unit), .text(o.bound.rawValue), .text(o.kind.rawValue),
                p.reportId != 0 ? .int(p.reportId) : .null, .int(Int64(start)), .int(Int64(end)),
                .text(quote), .text(source),
            ])
            ids.append(db.lastInsertRowID)
        }
        return ids
    }

    /// Adds committed observations to the indexes.
    static func apply(_ list: [PendingObservation], ids: [Int64], to m: MemoryIndex) {
        var rows: [ObsRow] = []
        rows.reserveCapacity(list.count)
        for (p, id) in zip(list, ids) {
            let o = p.observation
            var start = 0, end = 0, text = ""
            switch o.provenance {
            case .report(_, let s, let e, let q): (start, end, text) = (s, e, q)
            case .source(let s): text = s
            }
            rows.append(ObsRow(id: id, reportId: p.reportId, value: o.value, indicator: p.indicator, region: p.region,
                         period: PeriodCode.encode(o.period), unit: m.strings.intern(o.unit),
                         subject: m.strings.intern(o.subject), text: m.strings.intern(text),
                         spanStart: Int32(clamping: start), spanEnd: Int32(clamping: end),
                         bound: ObsRow.code(o.bound), kind: ObsRow.code(o.kind), alive: true))
        }
        m.add(contentsOf: rows)
    }
}
