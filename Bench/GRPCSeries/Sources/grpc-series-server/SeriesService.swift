import GRPCCore
import LexstatCore
import SeriesProto

/// GetSeries over gRPC: the same LexstatCore query the Lexstat handler runs,
/// turned into the same message (swift-protobuf instead of protobuf-c).
struct SeriesService: Lexstat_V1_Lexstat.SimpleServiceProtocol {
    let store: LexstatStore

    func getSeries(request: Lexstat_V1_GetSeriesRequest, context: ServerContext) async throws -> Lexstat_V1_GetSeriesResponse {
        let by: Granularity
        switch request.by {
        case .unspecified, .year: by = .year
        case .quarter: by = .quarter
        case .month: by = .month
        default: throw RPCError(code: .invalidArgument, message: "by: not year, quarter or month")
        }
        let series: Series
        do {
            series = try store.series(indicator: request.indicator, region: request.region,
                                      from: request.from.isEmpty ? nil : request.from,
                                      to: request.to.isEmpty ? nil : request.to, by: by)
        } catch {
            if case .notFound = error { throw RPCError(code: .notFound, message: error.message) }
            throw RPCError(code: .invalidArgument, message: error.message)
        }
        var r = Lexstat_V1_GetSeriesResponse()
        r.indicator = indicator(series.indicator)
        r.region = region(series.region)
        r.points = series.points.map { p in
            var w = Lexstat_V1_SeriesPoint()
            w.period = p.period.text
            if let v = p.value { w.hasValue_p = true; w.value = v }
            w.bound = bound(p.bound ?? .exact)
            if let c = p.change { w.hasChange_p = true; w.change = c; w.changePct = p.changePercent ?? .nan }
            if let y = p.yearOnYearChange { w.hasYoy_p = true; w.yoyChange = y; w.yoyPct = p.yearOnYearPercent ?? .nan }
            w.derived = p.derived
            w.parts = UInt32(clamping: p.parts)
            w.partsExpected = UInt32(clamping: p.partsExpected)
            if let o = p.observation { w.provenance = provenance(o.provenance) }
            return w
        }
        return r
    }

    func indicator(_ i: Indicator) -> Lexstat_V1_Indicator {
        var w = Lexstat_V1_Indicator()
        w.code = i.code
        w.name = i.name
        w.area = i.area
        w.areaName = FunctionArea.name(of: i.area)
        w.unit = i.unit
        switch i.polarity {
        case .higherIsBetter: w.polarity = .higherIsBetter
        case .lowerIsBetter: w.polarity = .lowerIsBetter
        case .neutral: w.polarity = .neutral
        }
        w.aggregation = i.aggregation == .sum ? .sum : .none
        w.aliases = i.aliases
        w.system = i.system
        return w
    }

    func region(_ r: Region) -> Lexstat_V1_Region {
        var w = Lexstat_V1_Region()
        w.code = r.code
        w.name = r.name
        w.shortName = r.shortName
        switch r.level {
        case .province: w.level = .province
        case .city: w.level = .city
        case .county: w.level = .county
        }
        w.parentCode = r.parent ?? ""
        w.fullName = store.regions.fullName(of: r.code)
        return w
    }

    func provenance(_ p: Provenance) -> Lexstat_V1_Provenance {
        var w = Lexstat_V1_Provenance()
        switch p {
        case .report(let id, let start, let end, let quote):
            w.reportID = id
            w.start = UInt32(clamping: start)
            w.end = UInt32(clamping: end)
            w.quote = quote
        case .source(let s):
            w.source = s
        }
        return w
    }

    func bound(_ b: Bound) -> Lexstat_V1_Bound {
        switch b {
        case .exact: return .exact
        case .approx: return .approx
        case .atLeast: return .atLeast
        case .atMost: return .atMost
        }
    }
}
