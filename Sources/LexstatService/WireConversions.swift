import CProtobufC
import LexstatCore
import LexstatRPC
import LexstatWire

// Domain values -> protobuf-c messages. Strings and nested messages live in
// the arena given, which must outlive the encoding of the answer.

extension Region.Level {
    var wire: Lexstat__V1__RegionLevel {
        switch self {
        case .province: return LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_PROVINCE
        case .city: return LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_CITY
        case .county: return LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY
        }
    }

    /// `nil` for UNSPECIFIED; an unknown number is an error naming the field.
    static func from(_ w: Lexstat__V1__RegionLevel, field: String = "level") throws(RPCError) -> Region.Level? {
        switch w {
        case LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_UNSPECIFIED: return nil
        case LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_PROVINCE: return .province
        case LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_CITY: return .city
        case LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY: return .county
        default: throw RPCError(.invalidArgument, "\(field): \(w.rawValue) is not a region level")
        }
    }
}

extension Bound {
    var wire: Lexstat__V1__Bound {
        switch self {
        case .exact: return LEXSTAT__V1__BOUND__BOUND_EXACT
        case .approx: return LEXSTAT__V1__BOUND__BOUND_APPROX
        case .atLeast: return LEXSTAT__V1__BOUND__BOUND_AT_LEAST
        case .atMost: return LEXSTAT__V1__BOUND__BOUND_AT_MOST
        }
    }
}

extension ObservationKind {
    var wire: Lexstat__V1__ObservationKind {
        switch self {
        case .actual: return LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_ACTUAL
        case .target: return LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_TARGET
        case .change: return LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_CHANGE
        }
    }

    static func from(_ w: Lexstat__V1__ObservationKind, field: String = "kind") throws(RPCError) -> ObservationKind? {
        switch w {
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_UNSPECIFIED: return nil
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_ACTUAL: return .actual
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_TARGET: return .target
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_CHANGE: return .change
        default: throw RPCError(.invalidArgument, "\(field): \(w.rawValue) is not an observation kind")
        }
    }
}

extension Report.Kind {
    var wire: Lexstat__V1__ReportKind {
        switch self {
        case .annualSummary: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_ANNUAL_SUMMARY
        case .ruleOfLawReport: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_RULE_OF_LAW_REPORT
        case .highlights: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_HIGHLIGHTS
        case .meetingNews: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_MEETING_NEWS
        case .other: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_OTHER
        }
    }

    static func from(_ w: Lexstat__V1__ReportKind, field: String = "kind") throws(RPCError) -> Report.Kind? {
        switch w {
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_UNSPECIFIED: return nil
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_ANNUAL_SUMMARY: return .annualSummary
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_RULE_OF_LAW_REPORT: return .ruleOfLawReport
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_HIGHLIGHTS: return .highlights
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_MEETING_NEWS: return .meetingNews
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_OTHER: return .other
        default: throw RPCError(.invalidArgument, "\(field): \(w.rawValue) is not a report kind")
        }
    }
}

extension ReportSection.Role {
    var wire: Lexstat__V1__SectionClass {
        switch self {
        case .results: return LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_RESULTS
        case .plans: return LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_PLANS
        case .shortcomings: return LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_SHORTCOMINGS
        case .other: return LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_OTHER
        }
    }
}

/// Builds wire messages from domain values, owning their C memory.
struct WireBuilder {
    let arena: WireArena
    let regions: RegionDirectory
    /// The directory's regions, already in wire form (see ``WireRegions``).
    let wireRegions: WireRegions

    /// Report titles to put in the `source` of report provenance, by report id
    /// (the proto's promise); left empty where a message does not need them.
    var reportTitles: [Int64: String] = [:]

    init(arena: WireArena, regions: RegionDirectory, reportTitles: [Int64: String] = [:]) {
        self.arena = arena
        self.regions = regions
        self.reportTitles = reportTitles
        wireRegions = WireRegions.table(for: regions)
    }

    func s(_ v: String) -> UnsafeMutablePointer<CChar> { arena.string(v) }

    func region(_ r: Region) -> Lexstat__V1__Region {
        if let shared = wireRegions.message(r) { return shared.pointee }
        var w = Lexstat__V1__Region.make()
        w.code = s(r.code)
        w.name = s(r.name)
        w.short_name = s(r.shortName)
        w.level = r.level.wire
        w.parent_code = s(r.parent ?? "")
        w.full_name = s(regions.fullName(of: r.code))
        return w
    }

    func regionPtr(_ r: Region) -> UnsafeMutablePointer<Lexstat__V1__Region> {
        wireRegions.message(r) ?? arena.box(region(r))
    }

    /// The number of a message's field, from its generated descriptor (so a
    /// renumbered proto cannot leave a stale number here).
    static func fieldNumber(_ descriptor: ProtobufCMessageDescriptor, _ name: String) -> UInt32 {
        withUnsafePointer(to: descriptor) { d in
            guard let f = protobuf_c_message_descriptor_get_field_by_name(d, name) else {
                fatalError("\(String(cString: descriptor.name)) has no field \(name)")
            }
            return f.pointee.id
        }
    }

    /// The directory's region at `index` (of its `all`) as the unknown field
    /// `number`, packed once per process; an index outside the directory is
    /// an internal error (indices come from the same directory).
    func packedRegionField(at index: Int32, number: UInt32) throws(RPCError) -> ProtobufCMessageUnknownField {
        guard let f = wireRegions.packedField(at: index, number: number) else { throw outsideDirectory(index) }
        return f
    }

    /// The shared message of the directory's region at `index` (of its `all`).
    func regionPtr(at index: Int32) throws(RPCError) -> UnsafeMutablePointer<Lexstat__V1__Region> {
        guard let m = wireRegions.message(at: index) else { throw outsideDirectory(index) }
        return m
    }

    private func outsideDirectory(_ index: Int32) -> RPCError {
        RPCError(.internalError, "region index \(index) is outside the directory of \(regions.count)")
    }

    /// One region as the unknown field `number`, packed once per process: for
    /// the region field of each entry of a long list (no Swift array per entry).
    func packedRegion(_ r: Region, number: UInt32) -> (count: UInt32, fields: UnsafeMutablePointer<ProtobufCMessageUnknownField>?)? {
        guard let f = wireRegions.packedField(r, number: number) else { return nil }
        return (1, arena.box(f))
    }

    func indicator(_ i: Indicator) -> Lexstat__V1__Indicator {
        var w = Lexstat__V1__Indicator.make()
        w.code = s(i.code)
        w.name = s(i.name)
        w.area = s(i.area)
        w.area_name = s(FunctionArea.name(of: i.area))
        w.unit = s(i.unit)
        switch i.polarity {
        case .higherIsBetter: w.polarity = LEXSTAT__V1__POLARITY__POLARITY_HIGHER_IS_BETTER
        case .lowerIsBetter: w.polarity = LEXSTAT__V1__POLARITY__POLARITY_LOWER_IS_BETTER
        case .neutral: w.polarity = LEXSTAT__V1__POLARITY__POLARITY_NEUTRAL
        }
        w.aggregation = i.aggregation == .sum ? LEXSTAT__V1__AGGREGATION__AGGREGATION_SUM : LEXSTAT__V1__AGGREGATION__AGGREGATION_NONE
        w.n_aliases = i.aliases.count
        w.aliases = arena.strings(i.aliases)
        w.system = s(i.systems.first ?? "")
        w.n_systems = i.systems.count
        w.systems = arena.strings(i.systems)
        return w
    }

    func provenance(_ p: Provenance) -> Lexstat__V1__Provenance {
        var w = Lexstat__V1__Provenance.make()
        switch p {
        case .report(let id, let start, let end, let quote):
            w.report_id = id
            w.start = UInt32(clamping: start)
            w.end = UInt32(clamping: end)
            w.quote = s(quote)
            if let title = reportTitles[id] { w.source = s(title) }
        case .source(let src):
            w.source = s(src)
        }
        return w
    }

    func observation(_ o: Observation) -> Lexstat__V1__Observation {
        var w = Lexstat__V1__Observation.make()
        w.id = o.id
        w.indicator = s(o.indicator ?? "")
        w.subject = s(o.subject)
        w.region = s(o.region)
        w.region_name = s(regions.fullName(of: o.region))
        w.period = s(o.period.text)
        w.value = o.value
        w.unit = s(o.unit)
        w.bound = o.bound.wire
        w.kind = o.kind.wire
        w.provenance = arena.box(provenance(o.provenance))
        return w
    }

    func change(_ c: IndicatorChange) -> Lexstat__V1__IndicatorChange {
        var w = Lexstat__V1__IndicatorChange.make()
        w.code = s(c.code)
        w.field = s(c.field)
        w.old_value = s(c.oldValue)
        w.new_value = s(c.newValue)
        w.changed_at_ms = c.changedAtMs
        w.source = s(c.source)
        return w
    }

    func section(_ x: ReportSection) -> Lexstat__V1__Section {
        var w = Lexstat__V1__Section.make()
        w.heading = s(x.heading)
        w.depth = UInt32(clamping: x.depth)
        w.start = UInt32(clamping: x.start)
        w.end = UInt32(clamping: x.end)
        w.class_ = x.role.wire
        w.parent = Int32(clamping: x.parent)
        return w
    }

    func report(_ info: ReportInfo) -> Lexstat__V1__Report {
        let r = info.report
        var w = Lexstat__V1__Report.make()
        w.id = r.id
        w.title = s(r.title)
        w.publisher = s(r.publisher)
        w.region = s(r.region)
        w.region_name = s(info.regionName)
        w.period = s(r.period.text)
        w.kind = r.kind.wire
        w.published = s(r.published)
        w.source = s(r.source)
        w.content_hash = s(r.contentHash)
        w.text = s(r.text)
        w.length = UInt32(clamping: info.length)
        let sections = info.sections.map(section)
        w.n_sections = sections.count
        w.sections = arena.messages(sections)
        w.observation_count = UInt32(clamping: info.observationCount)
        return w
    }
}

/// Reads an optional string field: empty is "not given".
func optional(_ p: UnsafeMutablePointer<CChar>?) -> String? {
    let v = wireString(p)
    return v.isEmpty ? nil : v
}
