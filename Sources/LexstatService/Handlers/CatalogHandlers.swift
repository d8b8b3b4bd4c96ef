import LexstatCore
import LexstatRPC
import LexstatWire

extension MethodTableBuilder {
    /// Regions and the indicator catalog.
    public mutating func addCatalog(_ store: LexstatStore) {
        let regions = store.regions
        unary("ListRegions", Lexstat__V1__ListRegionsRequest.self, Lexstat__V1__ListRegionsResponse.self,
              cachedBy: store, summary: "Regions, optionally under a parent and of one level, a page at a time.") { (_, req, arena) throws(RPCError) in
            let level = try Region.Level.from(req.level)
            let all = try domain { () throws(LexstatError) in try store.regions(parent: optional(req.parent), level: level) }
            let size = req.page_size == 0 ? 1000 : Int(req.page_size)
            guard (1...10_000).contains(size) else {
                throw RPCError(.invalidArgument, "page_size: \(req.page_size) is outside 1–10000")
            }
            var start = 0
            if let token = optional(req.page_token) {
                guard let n = Int(token), n >= 0, n <= all.count else {
                    throw RPCError(.invalidArgument, "page_token: \"\(token)\" is not a token this listing gave")
                }
                start = n
            }
            let end = min(all.count, start + size)
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__ListRegionsResponse.make()
            let page = all[start..<end].map(b.region)
            r.n_regions = page.count
            r.regions = arena.messages(page)
            r.next_page_token = arena.string(end < all.count ? String(end) : "")
            return r
        }
        unary("GetRegion", Lexstat__V1__GetRegionRequest.self, Lexstat__V1__Region.self,
              cachedBy: store, summary: "One region by code or name (成都市, 成都, 重庆市江北区); ambiguous names list the candidates.") { (_, req, arena) throws(RPCError) in
            let q = wireString(req.query)
            guard !q.isEmpty else { throw RPCError(.invalidArgument, "query: empty; give a code or a name") }
            let region = try domain { () throws(LexstatError) in try regions.resolve(q) }
            return WireBuilder(arena: arena, regions: regions).region(region)
        }
        unary("ListIndicators", Lexstat__V1__ListIndicatorsRequest.self, Lexstat__V1__ListIndicatorsResponse.self,
              cachedBy: store, summary: "The indicator catalog, optionally one function area or indicator system.") { (_, req, arena) throws(RPCError) in
            let list = try domain { () throws(LexstatError) in try store.indicators(area: optional(req.area), system: optional(req.system)) }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__ListIndicatorsResponse.make()
            r.n_indicators = list.count
            r.indicators = arena.messages(list.map(b.indicator))
            return r
        }
        unary("GetIndicator", Lexstat__V1__GetIndicatorRequest.self, Lexstat__V1__GetIndicatorResponse.self,
              execution: .worker, cachedBy: store, summary: "One indicator with its history of changes and how many figures use it.") { (_, req, arena) throws(RPCError) in
            let detail = try domain { () throws(LexstatError) in try store.indicator(code: wireString(req.code)) }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__GetIndicatorResponse.make()
            var ind = b.indicator(detail.indicator)
            ind.area_name = arena.string(detail.areaName)
            r.indicator = arena.box(ind)
            r.n_history = detail.history.count
            r.history = arena.messages(detail.history.map(b.change))
            r.observation_count = UInt64(detail.observationCount)
            return r
        }
        unary("ImportIndicators", Lexstat__V1__ImportIndicatorsRequest.self, Lexstat__V1__ImportIndicatorsResponse.self,
              execution: .worker, writes: true,
              summary: "Adds or updates catalog entries from TSV; codes stay stable and every change is kept.") { (_, req, arena) throws(RPCError) in
            let result = try domain { () throws(LexstatError) in
                try store.importIndicators(tsv: wireString(req.tsv), system: wireString(req.system),
                                           source: optional(req.source) ?? "import")
            }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__ImportIndicatorsResponse.make()
            r.added = UInt32(result.added)
            r.updated = UInt32(result.updated)
            r.unchanged = UInt32(result.unchanged)
            r.n_changes = result.changes.count
            r.changes = arena.messages(result.changes.map(b.change))
            return r
        }
    }
}
