import ArgumentParser
import LexstatRPC
import LexstatWire

/// The filters of `observations` and `export`.
struct ObservationFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this indicator: a catalog code or its Chinese name.", valueName: "code"))
    var indicator: String?

    @Option(help: ArgumentHelp("Only this region: a code or name, e.g. 500105 or 重庆市江北区.", valueName: "region"))
    var region: String?

    @Flag(help: "With --region, the figures of its cities, districts and counties too.")
    var descendants = false

    @Option(help: ArgumentHelp("First period, inclusive: a year, a quarter like 2024Q2, or a month like 2024-05.", valueName: "period"))
    var from: String?

    @Option(help: ArgumentHelp("Last period, inclusive: a year, a quarter or a month.", valueName: "period"))
    var to: String?

    @Option(help: "Only figures of this kind.")
    var kind: ObservationKindOption?

    func validate() throws {
        if descendants && region == nil { throw ValidationError("--descendants needs --region") }
    }

    /// A request with these filters; its strings live in `arena`.
    func request(_ arena: WireArena) -> Lexstat__V1__QueryObservationsRequest {
        var r = Lexstat__V1__QueryObservationsRequest.make()
        r.indicator = arena.string(indicator ?? "")
        r.region = arena.string(region ?? "")
        r.descendants = descendants ? 1 : 0
        r.from = arena.string(from ?? "")
        r.to = arena.string(to ?? "")
        if let kind { r.kind = kind.wire }
        return r
    }
}

/// Where a figure came from, in a few words: the source string, or `report 7`.
func provenanceText(_ p: UnsafeMutablePointer<Lexstat__V1__Provenance>?) -> String {
    guard let p = p?.pointee else { return "" }
    let source = wireString(p.source)
    if p.report_id != 0 { return source.isEmpty ? "report \(p.report_id)" : "report \(p.report_id): \(source)" }
    return source
}
