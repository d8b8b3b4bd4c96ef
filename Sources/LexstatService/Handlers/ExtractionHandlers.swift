import Foundation
import LexstatCore
import LexstatRPC
import LexstatWire

extension MethodTableBuilder {
    /// Extract (figures from text, nothing stored) and Ingest (a report with its figures, in one transaction).
    ///
    /// - Parameter onIngest: called after a report was stored (metrics: last ingest time).
    public mutating func addExtraction(_ store: LexstatStore, maxBytes: Int = Extractor.defaultMaxBytes,
                                       onIngest: (@Sendable (IngestResult) -> Void)? = nil) {
        let regions = store.regions
        unary("Extract", Lexstat__V1__ExtractRequest.self, Lexstat__V1__ExtractResponse.self, execution: .worker,
              summary: "Reads a report's text into sections and figures with their spans; stores nothing.") { (ctx, req, arena) throws(RPCError) in
            let region = try optionalRegion(regions, optional(req.region))
            let year = try reportYear(req.year)
            let result = try extract(store, maxBytes, bytes(req.content), name: optional(req.name) ?? "request",
                                     region: region?.code ?? "", year: year)
            try ctx.checkCancelled()
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__ExtractResponse.make()
            let sections = flatten(result.sections)
            r.n_sections = sections.count
            r.sections = arena.messages(sections.map(b.section))
            let mentions = result.mentions.map { b.mention($0, sections: sections) }
            r.n_mentions = mentions.count
            r.mentions = arena.messages(mentions)
            r.encoding = arena.string(result.encoding.rawValue)
            r.text = arena.string(result.text)
            r.n_notes = result.notes.count
            r.notes = arena.strings(result.notes)
            r.year = Int32(result.year ?? 0)
            return r
        }
        unary("Ingest", Lexstat__V1__IngestRequest.self, Lexstat__V1__IngestResponse.self, execution: .worker, writes: true,
              summary: "Stores a report with the figures read from it, in one transaction; the same text twice is stored once.") { (ctx, req, arena) throws(RPCError) in
            guard let regionName = optional(req.region) else {
                throw RPCError(.invalidArgument, "region: required; give the code or name of the report's region")
            }
            let region = try domain { () throws(LexstatError) in try regions.resolve(regionName) }
            let kind = try Report.Kind.from(req.kind) ?? .other
            let given = try reportYear(req.year)
            let title = optional(req.title)
            let result = try extract(store, maxBytes, bytes(req.content), name: title ?? "report", region: region.code, year: given)
            guard let year = result.year else {
                throw RPCError(.invalidArgument, "year: not given, and no year found in the text; pass the report's year")
            }
            let sections = flatten(result.sections)
            let report = Report(title: title ?? defaultTitle(result, region: region, regions: regions, year: year),
                                publisher: optional(req.publisher) ?? "", region: region.code, period: .year(year), kind: kind,
                                published: optional(req.published) ?? "", source: optional(req.source) ?? "",
                                text: result.text, contentHash: "")
            let observations = result.mentions.compactMap { $0.observation(reportID: 0) }
            var stored: IngestResult?
            if req.dry_run == 0 {
                try ctx.checkCancelled()
                let done = try domain { () throws(LexstatError) in
                    try store.ingest(report: report, sections: sections, observations: observations)
                }
                if !done.duplicate { onIngest?(done) }
                stored = done
            }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__IngestResponse.make()
            r.report_id = stored?.reportId ?? 0
            r.duplicate = stored?.duplicate == true ? 1 : 0
            let mentions = result.mentions.map { b.mention($0, sections: sections) }
            r.n_mentions = mentions.count
            r.mentions = arena.messages(mentions)
            r.observations_stored = UInt32(clamping: stored?.observationsStored ?? 0)
            r.targets_stored = UInt32(clamping: stored?.targetsStored ?? 0)
            r.encoding = arena.string(result.encoding.rawValue)
            var notes = result.notes
            if result.mentions.count > observations.count {
                notes.append("\(result.mentions.count - observations.count) figures without a period were not stored")
            }
            r.n_notes = notes.count
            r.notes = arena.strings(notes)
            return r
        }
    }
}

private func bytes(_ b: ProtobufCBinaryData) -> Data {
    guard let p = b.data, b.len > 0 else { return Data() }
    return Data(bytes: p, count: b.len)
}

private func reportYear(_ y: Int32) throws(RPCError) -> Int? {
    guard y != 0 else { return nil }
    guard Period.validYears.contains(Int(y)) else {
        throw RPCError(.invalidArgument, "year: \(y) is outside \(Period.validYears.lowerBound)–\(Period.validYears.upperBound)")
    }
    return Int(y)
}

private func optionalRegion(_ regions: RegionDirectory, _ name: String?) throws(RPCError) -> Region? {
    guard let name else { return nil }
    return try domain { () throws(LexstatError) in try regions.resolve(name) }
}

/// Extracts with the store's current catalog.
private func extract(_ store: LexstatStore, _ maxBytes: Int, _ data: Data, name: String, region: String,
                     year: Int?) throws(RPCError) -> ExtractionResult {
    guard data.count <= maxBytes else {
        throw RPCError(.invalidArgument, "content: \(name): the report has \(data.count) bytes, more than the report limit "
                       + "of \(maxBytes) bytes (limits.max_report_bytes)")
    }
    let extractor = Extractor(indicators: store.indicators(), maxBytes: maxBytes)
    do {
        return try domain { () throws(LexstatError) in try extractor.extract(data: data, name: name, region: region, year: year) }
    } catch where error.code == .invalidArgument {
        // What the extractor refuses is the request's text: name the field, as every other refusal does.
        throw RPCError(.invalidArgument, "content: \(error.message)")
    }
}

/// A title for a report given without one: its first line when it reads like a title, else region and year.
private func defaultTitle(_ r: ExtractionResult, region: Region, regions: RegionDirectory, year: Int) -> String {
    let first = r.cleanedText.split(whereSeparator: \.isNewline).lazy
        .map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? ""
    if (4...60).contains(first.count), !first.hasSuffix("。") { return first }
    return "\(regions.fullName(of: region.code)) \(year) 年报告"
}

/// The section tree in pre-order, each with its parent's index.
func flatten(_ tree: [Section]) -> [ReportSection] {
    var out: [ReportSection] = []
    func walk(_ s: Section, parent: Int) {
        let role: ReportSection.Role
        switch s.kind {
        case .results: role = .results
        case .plans: role = .plans
        case .shortcomings: role = .shortcomings
        case .other: role = .other
        }
        let index = out.count
        out.append(ReportSection(heading: s.title, depth: s.marker.level, start: s.start, end: s.end, role: role, parent: parent))
        for c in s.children { walk(c, parent: index) }
    }
    for s in tree { walk(s, parent: -1) }
    return out
}

extension WireBuilder {
    func mention(_ m: Mention, sections: [ReportSection]) -> Lexstat__V1__Mention {
        var w = Lexstat__V1__Mention.make()
        w.start = UInt32(clamping: m.start)
        w.end = UInt32(clamping: m.end)
        w.quote = s(m.quote)
        w.number_text = s(m.numberText)
        w.subject = s(m.subject)
        w.value = m.value
        w.unit = s(m.unit)
        w.bound = m.bound.wire
        w.kind = m.kind.wire
        w.period = s(m.period?.text ?? "")
        w.indicator = s(m.indicator ?? "")
        w.confidence = m.confidence
        w.change_of = s(m.changeOf)
        // The innermost section holding the mention.
        var inner = -1
        for (i, x) in sections.enumerated() where x.start <= m.start && m.start < x.end { inner = i }
        w.section = Int32(inner)
        return w
    }
}
