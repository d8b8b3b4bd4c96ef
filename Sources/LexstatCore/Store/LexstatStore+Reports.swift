import Foundation

/// What ``LexstatStore/ingest(report:sections:observations:)`` did.
public struct IngestResult: Hashable, Sendable {
    /// The new report's id, or the existing one's for a duplicate.
    public var reportId: Int64
    /// The same text (by content hash) was stored before; nothing was stored now.
    public var duplicate: Bool
    /// Observations stored, targets included.
    public var observationsStored: Int
    /// Of those, how many are targets.
    public var targetsStored: Int
}

/// A stored report with what is known about it. `report.text` is empty unless asked for.
public struct ReportInfo: Hashable, Sendable {
    public var report: Report
    /// The region's full name, e.g. `重庆市江北区`.
    public var regionName: String
    /// Empty unless asked for.
    public var sections: [ReportSection]
    public var observationCount: Int
    /// Length of the text in Unicode code points (the unit of spans).
    public var length: Int
}

/// One page of a report listing.
public struct ReportPage: Hashable, Sendable {
    public var reports: [ReportInfo]
    /// Empty on the last page.
    public var nextPageToken: String
}

extension LexstatStore {
    /// Stores a report with its sections and observations (targets included) in one transaction.
    ///
    /// The same text again (same content hash) stores nothing and returns the
    /// existing id with `duplicate: true`. Observation provenance of kind
    /// `.report` gets the new report's id whatever id it carried; its span must
    /// lie within the text. An observation's region may be empty (the report's
    /// region), a code or a name; its indicator a code or `nil` with a subject.
    ///
    /// - Parameters:
    ///   - report: the report; `id` is ignored; an empty `contentHash` is computed
    ///     (``SHA256/contentHash(of:)``); `region` may be a code or a name.
    ///   - sections: its sections, offsets in code points.
    ///   - observations: the figures found in it.
    /// - Throws: `LexstatError.invalidArgument` naming the observation and field,
    ///   `.notFound` for an unknown region or indicator; nothing is stored then.
    public func ingest(report: Report, sections: [ReportSection] = [], observations: [Observation]) throws(LexstatError) -> IngestResult {
        guard !report.text.isEmpty else { throw .invalidArgument("report.text: empty") }
        var rep = report
        let regionId: Int32
        do throws(LexstatError) { regionId = try regions.resolveId(report.region) } catch { throw LexstatStore.prefix("report.region", error) }
        rep.region = regions.all[Int(regionId)].code
        if rep.contentHash.isEmpty { rep.contentHash = SHA256.contentHash(of: rep.text) }
        if rep.title.isEmpty { rep.title = "(untitled)" }
        let length = rep.text.unicodeScalars.count
        for (i, s) in sections.enumerated() where s.start < 0 || s.end < s.start || s.end > length {
            throw .invalidArgument("sections[\(i)]: span \(s.start)–\(s.end) is outside the text (length \(length))")
        }
        let sectionsJSON: String
        do {
            sectionsJSON = String(decoding: try JSONEncoder().encode(sections), as: UTF8.self)
        } catch {
            throw .internalError("cannot encode sections: \(error)")
        }
        var pending: [PendingObservation] = []
        try read { (m) throws(LexstatError) in
            for (i, o) in observations.enumerated() {
                let ind: Int32
                if let code = o.indicator, !code.isEmpty {
                    do throws(LexstatError) { ind = try indicatorId(code, in: m) } catch { throw LexstatStore.prefix("observations[\(i)].indicator", error) }
                } else {
                    guard !o.subject.isEmpty else {
                        throw .invalidArgument("observations[\(i)]: neither indicator nor subject given")
                    }
                    ind = -1
                }
                let reg: Int32
                if o.region.isEmpty {
                    reg = regionId
                } else {
                    do throws(LexstatError) { reg = try regions.resolveId(o.region) } catch { throw LexstatStore.prefix("observations[\(i)].region", error) }
                }
                guard o.value.isFinite else { throw .invalidArgument("observations[\(i)].value: not a finite number") }
                var obs = o
                obs.region = regions.all[Int(reg)].code
                if case .report(_, let s, let e, let q) = o.provenance {
                    guard s >= 0, e >= s, e <= length else {
                        throw .invalidArgument("observations[\(i)].span: \(s)–\(e) is outside the text (length \(length))")
                    }
                    obs.provenance = .report(id: 0, start: s, end: e, quote: q)
                }
                pending.append(PendingObservation(observation: obs, indicator: ind, region: reg, reportId: 0))
            }
        }
        let now = LexstatStore.nowMs()
        return try write { (db, m) throws(LexstatError) in
            let dup = try db.prepare("SELECT id FROM reports WHERE content_hash = ?")
            try dup.bind([.text(rep.contentHash)])
            if try dup.step() {
                return (IngestResult(reportId: dup.int(0), duplicate: true, observationsStored: 0, targetsStored: 0), { _ in })
            }
            try db.prepare("""
                INSERT INTO reports (title, publisher, region, period, kind, published, source, text, content_hash,
                                     sections, length, stored_at_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                """).run([.text(rep.title), .text(rep.publisher), .text(rep.region), .text(rep.period.text),
                          .text(rep.kind.rawValue), .text(rep.published), .text(rep.source), .text(rep.text),
                          .text(rep.contentHash), .text(sectionsJSON), .int(Int64(length)), .int(now)])
            let id = db.lastInsertRowID
            rep.id = id
            try db.prepare("INSERT INTO report_fts (rowid, title, text) VALUES (?,?,?)").run([.int(id), .text(rep.title), .text(rep.text)])
            for i in pending.indices {
                pending[i].reportId = id
                if case .report(_, let s, let e, let q) = pending[i].observation.provenance {
                    pending[i].observation.provenance = .report(id: id, start: s, end: e, quote: q)
                }
            }
            let ids = try ObservationWriter.insert(pending, db: db, m: m)
            let targets = pending.filter { $0.observation.kind == .target }.count
            var meta = rep
            meta.text = ""
            return (IngestResult(reportId: id, duplicate: false, observationsStored: ids.count, targetsStored: targets), { m in
                m.reports[id] = meta
                m.reportLengths[id] = length
                m.reportIds.append(id)
                ObservationWriter.apply(pending, ids: ids, to: m)
            })
        }
    }

    /// Reports, oldest first, optionally of one region (and its descendants), year and kind.
    ///
    /// - Parameters:
    ///   - region: a code or name; reports of its descendants are included.
    ///   - year: the year of the report's period.
    ///   - pageSize: 1…10000, default 100.
    ///   - pageToken: from the previous page.
    /// - Throws: `LexstatError.invalidArgument` for a bad year, page size or token; `.notFound` for an unknown region.
    public func reports(region: String? = nil, year: Int? = nil, kind: Report.Kind? = nil,
                        pageSize: Int? = nil, pageToken: String? = nil) throws(LexstatError) -> ReportPage {
        let size = try Paging.size(pageSize)
        if let year { try LexstatStore.checkYear(year) }
        var regionId: Int32?
        if let region, !region.isEmpty {
            do throws(LexstatError) { regionId = try regions.resolveId(region) } catch { throw LexstatStore.prefix("region", error) }
        }
        let fp = Paging.fingerprint([regionId.map { String($0) } ?? "", year.map { String($0) } ?? "", kind?.rawValue ?? ""])
        let after = try Paging.resume(pageToken, kind: "reports", fingerprint: fp)
        return read { m in
            var out: [ReportInfo] = []
            var more = false
            for id in m.reportIds where id > after {
                guard let info = m.info(ofReport: id) else { continue }
                let r = info.report
                if let y = year, r.period.year != y { continue }
                if let k = kind, r.kind != k { continue }
                if let g = regionId {
                    guard let rid = regions.id(of: r.region), regions.isWithin(rid, g) else { continue }
                }
                if out.count == size { more = true; break }
                out.append(info)
            }
            let next = more ? Paging.token(kind: "reports", fingerprint: fp, lastId: out.last?.report.id ?? 0) : ""
            return ReportPage(reports: out, nextPageToken: next)
        }
    }

    /// The titles of stored reports, by id (ids of no stored report are left out).
    public func reportTitles<S: Sequence>(_ ids: S) -> [Int64: String] where S.Element == Int64 {
        read { m in
            var out: [Int64: String] = [:]
            for id in ids where out[id] == nil { if let r = m.reports[id] { out[id] = r.title } }
            return out
        }
    }

    /// One report, with its text and sections if asked.
    ///
    /// - Throws: `LexstatError.notFound` for an unknown id.
    public func report(id: Int64, withText: Bool = true, withSections: Bool = true) throws(LexstatError) -> ReportInfo {
        guard var info = read({ m in m.info(ofReport: id) }) else { throw .notFound("report \(id): no such report") }
        if withText || withSections {
            let (text, sectionsJSON) = try withReader { (db) throws(LexstatError) in
                let st = try db.prepare("SELECT text, sections FROM reports WHERE id = ?")
                try st.bind([.int(id)])
                guard try st.step() else { throw LexstatError.notFound("report \(id): no such report") }
                return (st.text(0), st.text(1))
            }
            if withText { info.report.text = text }
            if withSections {
                do {
                    info.sections = try JSONDecoder().decode([ReportSection].self, from: Data(sectionsJSON.utf8))
                } catch {
                    throw .internalError("report \(id): stored sections are unreadable: \(error)")
                }
            }
        }
        return info
    }

    /// Deletes a report and every observation taken from it.
    ///
    /// - Returns: how many observations were deleted.
    /// - Throws: `LexstatError.notFound` for an unknown id.
    public func deleteReport(id: Int64) throws(LexstatError) -> Int {
        try write { (db, m) throws(LexstatError) in
            guard m.reports[id] != nil else { throw .notFound("report \(id): no such report") }
            try db.prepare("DELETE FROM observations WHERE report_id = ?").run([.int(id)])
            let n = db.changes
            try db.prepare("DELETE FROM report_fts WHERE rowid = ?").run([.int(id)])
            try db.prepare("DELETE FROM reports WHERE id = ?").run([.int(id)])
            return (n, { m in _ = m.removeReport(id) })
        }
    }

    /// Re-labels an error with the field it concerns.
    static func prefix(_ field: String, at location: String? = nil, _ e: LexstatError) -> LexstatError {
        // A message that already starts with the field's name (`region "江北" is ambiguous`) keeps it once.
        func named(_ m: String) -> String {
            let m = m.hasPrefix(field + " ") || m.hasPrefix(field + ":") ? m : "\(field): \(m)"
            return location.map { "\($0): \(m)" } ?? m
        }
        switch e {
        case .invalidArgument(let m): return .invalidArgument(named(m))
        case .notFound(let m): return .notFound(named(m))
        default: return e
        }
    }
}
