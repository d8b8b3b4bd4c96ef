import LexstatCore
import LexstatRPC
import LexstatWire

extension MethodTableBuilder {
    /// Stored reports: listing, reading, full-text search, deletion.
    public mutating func addReports(_ store: LexstatStore) {
        let regions = store.regions
        unary("ListReports", Lexstat__V1__ListReportsRequest.self, Lexstat__V1__ListReportsResponse.self,
              execution: .worker, cachedBy: store, summary: "Reports, optionally of a region, year and kind, a page at a time.") { (_, req, arena) throws(RPCError) in
            let kind = try Report.Kind.from(req.kind)
            let page = try domain { () throws(LexstatError) in
                try store.reports(region: optional(req.region), year: req.year == 0 ? nil : Int(req.year), kind: kind,
                                  pageSize: req.page_size == 0 ? nil : Int(req.page_size), pageToken: optional(req.page_token))
            }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__ListReportsResponse.make()
            r.n_reports = page.reports.count
            r.reports = arena.messages(page.reports.map(b.report))
            r.next_page_token = arena.string(page.nextPageToken)
            return r
        }
        unary("GetReport", Lexstat__V1__GetReportRequest.self, Lexstat__V1__Report.self,
              execution: .worker, cachedBy: store, summary: "One report, with its text and sections when asked.") { (_, req, arena) throws(RPCError) in
            let info = try domain { () throws(LexstatError) in
                try store.report(id: req.id, withText: req.with_text != 0, withSections: req.with_sections != 0)
            }
            return WireBuilder(arena: arena, regions: regions).report(info)
        }
        unary("SearchReports", Lexstat__V1__SearchReportsRequest.self, Lexstat__V1__SearchReportsResponse.self,
              execution: .worker, cachedBy: store, summary: "Full-text search over report titles and texts, Chinese included, with snippets.") { (_, req, arena) throws(RPCError) in
            let hits = try domain { () throws(LexstatError) in
                try store.searchReports(wireString(req.query), limit: req.limit == 0 ? nil : Int(req.limit))
            }
            let b = WireBuilder(arena: arena, regions: regions)
            var r = Lexstat__V1__SearchReportsResponse.make()
            let list = hits.map { h -> Lexstat__V1__SearchHit in
                var w = Lexstat__V1__SearchHit.make()
                w.report = arena.box(b.report(h.report))
                w.snippet = arena.string(h.snippet)
                w.mark_open = arena.string(h.markOpen)
                w.mark_close = arena.string(h.markClose)
                w.score = h.score
                return w
            }
            r.n_hits = list.count
            r.hits = arena.messages(list)
            return r
        }
        unary("DeleteReport", Lexstat__V1__DeleteReportRequest.self, Lexstat__V1__DeleteReportResponse.self,
              execution: .worker, writes: true, summary: "Deletes a report and the figures taken from it.") { (_, req, _) throws(RPCError) in
            let n = try domain { () throws(LexstatError) in try store.deleteReport(id: req.id) }
            var r = Lexstat__V1__DeleteReportResponse.make()
            r.observations_deleted = UInt32(clamping: n)
            return r
        }
    }
}
