import LexstatCore
import LexstatRPC
import LexstatWire

extension MethodTableBuilder {
    /// Figures: import, listing, export, series, comparison, rollup, targets.
    public mutating func addObservations(_ store: LexstatStore) {
        let regions = store.regions
        unary("ImportObservations", Lexstat__V1__ImportObservationsRequest.self, Lexstat__V1__ImportObservationsResponse.self,
              execution: .worker, writes: true,
              summary: "Imports figures from CSV (region,indicator,period,value,unit,bound,kind,source), all or nothing.") { (_, req, _) throws(RPCError) in
            let n = try domain { () throws(LexstatError) in
                try store.importObservations(csv: wireString(req.csv), source: optional(req.source) ?? "import")
            }
            var r = Lexstat__V1__ImportObservationsResponse.make()
            r.imported = UInt32(clamping: n.imported)
            r.already_stored = UInt32(clamping: n.alreadyStored)
            return r
        }
        unary("QueryObservations", Lexstat__V1__QueryObservationsRequest.self, Lexstat__V1__QueryObservationsResponse.self,
              execution: .worker, cachedBy: store, summary: "Figures matching filters, with their sources, a page at a time.") { (_, req, arena) throws(RPCError) in
            let page = try queryPage(store, req)
            return observationPage(page, WireBuilder(arena: arena, regions: regions, reportTitles: titles(store, page)))
        }
        streaming("ExportObservations", Lexstat__V1__QueryObservationsRequest.self, Lexstat__V1__QueryObservationsResponse.self,
                  summary: "Every figure matching filters, streamed page by page.") { (ctx, req, writer) throws(RPCError) in
            var request = req
            var token: String?
            repeat {
                try ctx.checkCancelled()
                let arena = WireArena()
                let page = try withExtendedLifetime(arena) { () throws(RPCError) -> ObservationPage in
                    request.page_token = arena.string(token ?? "")
                    if request.page_size == 0 { request.page_size = 1000 }
                    return try queryPage(store, request)
                }
                let msg = observationPage(page, WireBuilder(arena: arena, regions: regions, reportTitles: titles(store, page)))
                try withExtendedLifetime(arena) { () throws(RPCError) in try writer.send(msg) }
                token = page.nextPageToken.isEmpty ? nil : page.nextPageToken
            } while token != nil
        }
        unary("GetSeries", Lexstat__V1__GetSeriesRequest.self, Lexstat__V1__GetSeriesResponse.self,
              cachedBy: store, summary: "An indicator in a region by year, quarter or month, with changes and coverage.") { (_, req, arena) throws(RPCError) in
            let by: Granularity
            switch req.by {
            case LEXSTAT__V1__GRANULARITY__GRANULARITY_UNSPECIFIED, LEXSTAT__V1__GRANULARITY__GRANULARITY_YEAR: by = .year
            case LEXSTAT__V1__GRANULARITY__GRANULARITY_QUARTER: by = .quarter
            case LEXSTAT__V1__GRANULARITY__GRANULARITY_MONTH: by = .month
            default: throw RPCError(.invalidArgument, "by: \(req.by.rawValue) is not year, quarter or month")
            }
            let series = try domain { () throws(LexstatError) in
                try store.series(indicator: wireString(req.indicator), region: wireString(req.region),
                                 from: optional(req.from), to: optional(req.to), by: by)
            }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__GetSeriesResponse.make()
            r.indicator = arena.box(b.indicator(series.indicator))
            r.region = b.regionPtr(series.region)
            let points = series.points.map { p -> Lexstat__V1__SeriesPoint in
                var w = Lexstat__V1__SeriesPoint.make()
                w.period = arena.string(p.period.text)
                if let v = p.value { w.has_value = 1; w.value = v }
                w.bound = (p.bound ?? .exact).wire
                if let c = p.change { w.has_change = 1; w.change = c; w.change_pct = p.changePercent ?? .nan }
                if let y = p.yearOnYearChange { w.has_yoy = 1; w.yoy_change = y; w.yoy_pct = p.yearOnYearPercent ?? .nan }
                w.derived = p.derived ? 1 : 0
                w.parts = UInt32(clamping: p.parts)
                w.parts_expected = UInt32(clamping: p.partsExpected)
                if let o = p.observation { w.provenance = arena.box(b.provenance(o.provenance)) }
                return w
            }
            r.n_points = points.count
            r.points = arena.messages(points)
            return r
        }
        unary("Compare", Lexstat__V1__CompareRequest.self, Lexstat__V1__CompareResponse.self,
              cachedBy: store, summary: "Regions ranked best first on an indicator in a period; ties share a rank.") { (_, req, arena) throws(RPCError) in
            let level = try Region.Level.from(req.level)
            let period = wireString(req.period)
            guard !period.isEmpty else { throw RPCError(.invalidArgument, "period: empty; give a year such as 2024") }
            // By reference: regions as directory indices, figures as value, bound and source.
            let rk = try domain { () throws(LexstatError) in
                try store.compareCompact(indicator: wireString(req.indicator), period: period, within: optional(req.within), level: level)
            }
            let b = WireBuilder(arena: arena, regions: rk.regions)
            var r = Lexstat__V1__CompareResponse.make()
            r.indicator = arena.box(b.indicator(rk.indicator))
            let entryRegion = WireBuilder.fieldNumber(lexstat__v1__compare_entry__descriptor, "region")
            // Each entry's region and provenance go packed, as two unknown fields side by side in
            // one block for the whole answer (a Compare over every county lists 2,850): regions
            // packed once per process, provenances once per answer, and once only for a run of
            // entries from the same source.
            let provenanceField = WireBuilder.fieldNumber(lexstat__v1__compare_entry__descriptor, "provenance")
            let n = rk.entries.count
            var fields: [ProtobufCMessageUnknownField] = []
            fields.reserveCapacity(2 * n)
            var last: (provenance: Provenance, field: ProtobufCMessageUnknownField)?
            for e in rk.entries {
                fields.append(try b.packedRegionField(at: e.region, number: entryRegion))
                if let l = last, l.provenance == e.provenance {
                    fields.append(l.field)
                } else {
                    let f = arena.packedField(b.provenance(e.provenance), number: provenanceField)
                    fields.append(f)
                    last = (e.provenance, f)
                }
            }
            let entryFields = arena.array(fields)
            let entries = rk.entries.enumerated().map { (i, e) -> Lexstat__V1__CompareEntry in
                var w = Lexstat__V1__CompareEntry.make()
                w.rank = UInt32(clamping: e.rank)
                (w.base.n_unknown_fields, w.base.unknown_fields) = (2, entryFields.map { $0 + 2 * i })
                w.value = e.value
                w.bound = e.bound.wire
                return w
            }
            r.n_entries = n
            r.entries = arena.messages(entries)
            // The regions without a figure: packed too.
            let missing = WireBuilder.fieldNumber(lexstat__v1__compare_response__descriptor, "missing")
            fields = []
            fields.reserveCapacity(rk.missing.count)
            for g in rk.missing { fields.append(try b.packedRegionField(at: g, number: missing)) }
            (r.base.n_unknown_fields, r.base.unknown_fields) = (UInt32(fields.count), arena.array(fields))
            if let w = rk.within { r.within = try b.regionPtr(at: w) }
            return r
        }
        unary("Rollup", Lexstat__V1__RollupRequest.self, Lexstat__V1__RollupResponse.self,
              cachedBy: store, summary: "An additive indicator summed over a region's children, beside its own figure.") { (_, req, arena) throws(RPCError) in
            let period = wireString(req.period)
            guard !period.isEmpty else { throw RPCError(.invalidArgument, "period: empty; give a year such as 2024") }
            let roll = try domain { () throws(LexstatError) in
                try store.rollup(indicator: wireString(req.indicator), region: wireString(req.region), period: period)
            }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__RollupResponse.make()
            r.indicator = arena.box(b.indicator(roll.indicator))
            r.region = b.regionPtr(roll.region)
            r.sum = roll.sum
            r.children_reported = UInt32(clamping: roll.childrenReported)
            r.children_total = UInt32(clamping: roll.childrenTotal)
            if let own = roll.own { r.has_own = 1; r.own = own }
            r.difference = roll.difference ?? 0
            let childRegion = WireBuilder.fieldNumber(lexstat__v1__rollup_child__descriptor, "region")
            let children = roll.children.map { c -> Lexstat__V1__RollupChild in
                var w = Lexstat__V1__RollupChild.make()
                // The region, packed once per process.
                if let p = b.packedRegion(c.region, number: childRegion) {
                    (w.base.n_unknown_fields, w.base.unknown_fields) = p
                } else {
                    w.region = b.regionPtr(c.region)
                }
                if let v = c.value { w.has_value = 1; w.value = v }
                return w
            }
            r.n_children = children.count
            r.children = arena.messages(children)
            return r
        }
        unary("ListTargets", Lexstat__V1__ListTargetsRequest.self, Lexstat__V1__ListTargetsResponse.self,
              execution: .worker, cachedBy: store, summary: "Targets with the actual figure of their period: met, missed or no data.") { (_, req, arena) throws(RPCError) in
            let list = try domain { () throws(LexstatError) in
                if req.descendants != 0 && optional(req.region) == nil {
                    throw .invalidArgument("descendants: needs a region")
                }
                return try store.targets(region: optional(req.region), descendants: req.descendants != 0,
                                         year: req.year == 0 ? nil : Int(req.year))
            }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__ListTargetsResponse.make()
            let items = list.map { t -> Lexstat__V1__TargetAttainment in
                var w = Lexstat__V1__TargetAttainment.make()
                w.target = arena.box(b.observation(t.target))
                if let a = t.actual { w.has_actual = 1; w.actual = arena.box(b.observation(a)) }
                w.actual_parts = UInt32(clamping: t.parts)
                w.actual_parts_expected = UInt32(clamping: t.partsExpected)
                switch t.status {
                case .met: w.status = LEXSTAT__V1__TARGET_STATUS__TARGET_STATUS_MET
                case .missed: w.status = LEXSTAT__V1__TARGET_STATUS__TARGET_STATUS_MISSED
                case .noData: w.status = LEXSTAT__V1__TARGET_STATUS__TARGET_STATUS_NO_DATA
                }
                return w
            }
            r.n_targets = items.count
            r.targets = arena.messages(items)
            return r
        }
    }
}

private func queryPage(_ store: LexstatStore, _ req: Lexstat__V1__QueryObservationsRequest) throws(RPCError) -> ObservationPage {
    let kind = try ObservationKind.from(req.kind)
    if req.descendants != 0 && optional(req.region) == nil {
        throw RPCError(.invalidArgument, "descendants: needs a region")
    }
    return try domain { () throws(LexstatError) in
        try store.observations(indicator: optional(req.indicator), region: optional(req.region), descendants: req.descendants != 0,
                               from: optional(req.from), to: optional(req.to), kind: kind,
                               pageSize: req.page_size == 0 ? nil : Int(req.page_size), pageToken: optional(req.page_token))
    }
}

/// The titles of the reports a page's figures were read from.
private func titles(_ store: LexstatStore, _ page: ObservationPage) -> [Int64: String] {
    store.reportTitles(page.observations.lazy.compactMap { o -> Int64? in
        if case .report(let id, _, _, _) = o.provenance { return id }
        return nil
    })
}

private func observationPage(_ page: ObservationPage, _ b: WireBuilder) -> Lexstat__V1__QueryObservationsResponse {
    var r = Lexstat__V1__QueryObservationsResponse.make()
    r.n_observations = page.observations.count
    r.observations = b.arena.messages(page.observations.map(b.observation))
    r.next_page_token = b.arena.string(page.nextPageToken)
    r.total = UInt64(page.total)
    return r
}
