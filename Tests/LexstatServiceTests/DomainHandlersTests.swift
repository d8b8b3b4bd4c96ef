import Foundation
import LexstatCore
import LexstatRPC
import LexstatService
import LexstatWire
import XCTest

/// The domain methods called through the method table: requests decoded,
/// domain answers encoded, domain errors turned into statuses.
final class DomainHandlersTests: XCTestCase {
    var dir: URL!
    var store: LexstatStore!
    var table: MethodTable!

    // Figures written for this test: two districts of 重庆市, an additive count and a rate.
    static let fixture = """
        region,indicator,period,value,unit,bound,kind,source
        重庆市江北区,service.legal_aid_cases,2023,600,件,exact,actual,fixture
        重庆市江北区,service.legal_aid_cases,2024,660,件,exact,actual,fixture
        重庆市渝中区,service.legal_aid_cases,2024,660,件,exact,actual,fixture
        重庆市沙坪坝区,service.legal_aid_cases,2024,700,件,exact,actual,fixture
        重庆市江北区,litig.loss_rate,2024,3.5,%,exact,actual,fixture
        重庆市渝中区,litig.loss_rate,2024,1.5,%,exact,actual,fixture
        重庆市江北区,service.legal_aid_cases,2025,700,件,at_least,target,fixture
        """

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("handlers-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try LexstatStore(path: dir.appendingPathComponent("t.db").path)
        _ = try store.importObservations(csv: DomainHandlersTests.fixture, source: "fixture.csv")
        var b = MethodTableBuilder()
        b.addCatalog(store)
        b.addReports(store)
        b.addObservations(store)
        table = b.build()
    }

    override func tearDownWithError() throws {
        store.close()
        try? FileManager.default.removeItem(at: dir)
    }

    func call<Resp: WireMessage>(_ method: String, _ body: [UInt8], _ t: Resp.Type) throws -> Decoded<Resp> {
        let out = try table.invokeUnary("lexstat.v1.Lexstat/" + method, RequestContext(method: method), body)
        return try Resp.decode(out)
    }

    func status(_ method: String, _ body: [UInt8]) -> (StatusCode, String)? {
        do {
            _ = try table.invokeUnary("lexstat.v1.Lexstat/" + method, RequestContext(method: method), body)
            return nil
        } catch {
            return ((error as? RPCError)?.code ?? .unknown, (error as? RPCError)?.message ?? "\(error)")
        }
    }

    /// Compare through the method table.
    func compare(_ indicator: String, _ period: String, within: String) throws -> Decoded<Lexstat__V1__CompareResponse> {
        let a = WireArena()
        var req = Lexstat__V1__CompareRequest.make()
        req.indicator = a.string(indicator)
        req.period = a.string(period)
        req.within = a.string(within)
        return try call("Compare", withExtendedLifetime(a) { req.encoded() }, Lexstat__V1__CompareResponse.self)
    }

    func testCompareRanksBestFirstWithTiesAndLowerIsBetter() throws {
        let d = try compare("service.legal_aid_cases", "2024", within: "重庆市")
        let ranks = d.read { m in wireList(m.n_entries, m.entries).compactMap { $0?.pointee }.map { (wireString($0.region.pointee.name), $0.rank, $0.value) } }
        XCTAssertEqual(ranks.first?.0, "沙坪坝区")
        XCTAssertEqual(Set(ranks.dropFirst().map(\.0)), ["江北区", "渝中区"])
        XCTAssertEqual(ranks.map(\.1), [1, 2, 2], "equal values share a rank")
        XCTAssertGreaterThan(d.read { $0.n_missing }, 30, "the other districts of 重庆市 are listed as missing")

        let rate = try compare("litig.loss_rate", "2024", within: "重庆市")
        let first = rate.read { m in wireString(m.entries[0]!.pointee.region.pointee.name) }
        XCTAssertEqual(first, "渝中区", "a lower 败诉率 ranks higher")
    }

    /// Compare and Rollup send their regions packed once per process (as unknown
    /// fields with the region field's number): a reader gets every field of each.
    func testPackedRegionsDecodeAsTheRegionsThemselves() throws {
        func fields(_ r: Lexstat__V1__Region?) -> [String] {
            guard let r else { return [] }
            return [wireString(r.code), wireString(r.name), wireString(r.short_name), wireString(r.parent_code),
                    wireString(r.full_name), String(r.level.rawValue)]
        }
        let d = try compare("service.legal_aid_cases", "2024", within: "重庆市")
        let (first, missing, n, unknown) = d.read { m in
            (fields(m.entries[0]?.pointee.region?.pointee), wireList(m.n_missing, m.missing).map { fields($0?.pointee) },
             m.n_entries, m.base.n_unknown_fields + (m.entries[0]?.pointee.base.n_unknown_fields ?? 0))
        }
        XCTAssertEqual(n, 3)
        XCTAssertEqual(first, ["500106", "沙坪坝区", "沙坪坝", "500000", "重庆市沙坪坝区", String(LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY.rawValue)])
        XCTAssertEqual(missing.count, 38 - 3)
        XCTAssertTrue(missing.contains(["500101", "万州区", "万州", "500000", "重庆市万州区", String(LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY.rawValue)]), "\(missing.prefix(3))")
        XCTAssertEqual(unknown, 0, "a reader sees the regions as the fields they are")

        let a = WireArena()
        var roll = Lexstat__V1__RollupRequest.make()
        roll.indicator = a.string("service.legal_aid_cases")
        roll.region = a.string("重庆市")
        roll.period = a.string("2024")
        let r = try call("Rollup", withExtendedLifetime(a) { roll.encoded() }, Lexstat__V1__RollupResponse.self)
        let kids = r.read { m in wireList(m.n_children, m.children).map { (fields($0?.pointee.region?.pointee), $0?.pointee.value ?? 0) } }
        XCTAssertEqual(kids.count, 38)
        XCTAssertEqual(kids.first { $0.0.first == "500106" }?.1, 700)
        XCTAssertTrue(kids.allSatisfy { $0.0.count == 6 && !$0.0[4].isEmpty })
    }

    /// Compare packs each entry's region and provenance ahead (one provenance
    /// for a run of entries from the same source): every entry still decodes
    /// to the figure the domain ranked, with its own source.
    func testCompareEntriesCarryTheirOwnProvenance() throws {
        _ = try store.importObservations(csv: """
            region,indicator,period,value,unit,bound,kind,source
            重庆市南岸区,service.legal_aid_cases,2024,680,件,approx,actual,second source
            重庆市北碚区,service.legal_aid_cases,2024Q1,100,件,exact,actual,quarters
            重庆市北碚区,service.legal_aid_cases,2024Q2,100,件,exact,actual,quarters
            重庆市北碚区,service.legal_aid_cases,2024Q3,100,件,exact,actual,quarters
            重庆市北碚区,service.legal_aid_cases,2024Q4,100,件,exact,actual,quarters
            """, source: "second.csv")
        let d = try compare("service.legal_aid_cases", "2024", within: "重庆市")
        struct Row: Equatable { var code: String; var rank: UInt32; var value: Double; var bound: UInt32; var source: String; var quote: String }
        let wire = d.read { m in
            wireList(m.n_entries, m.entries).compactMap { $0?.pointee }.map { e in
                Row(code: wireString(e.region.pointee.code), rank: e.rank, value: e.value, bound: e.bound.rawValue,
                    source: wireString(e.provenance.pointee.source), quote: wireString(e.provenance.pointee.quote))
            }
        }
        let domain = try store.compare(indicator: "service.legal_aid_cases", period: "2024", within: "重庆市").entries.map { e in
            let (source, quote): (String, String)
            switch e.observation.provenance {
            case .source(let s): (source, quote) = (s, "")
            case .report(_, _, _, let q): (source, quote) = ("", q)
            }
            let bound: Lexstat__V1__Bound = switch e.bound {
            case .exact: LEXSTAT__V1__BOUND__BOUND_EXACT
            case .approx: LEXSTAT__V1__BOUND__BOUND_APPROX
            case .atLeast: LEXSTAT__V1__BOUND__BOUND_AT_LEAST
            case .atMost: LEXSTAT__V1__BOUND__BOUND_AT_MOST
            }
            return Row(code: e.region.code, rank: UInt32(e.rank), value: e.value, bound: bound.rawValue, source: source, quote: quote)
        }
        XCTAssertEqual(wire, domain)
        XCTAssertEqual(wire.count, 5)
        XCTAssertEqual(Set(wire.map(\.source)).count, 3, "three sources among five entries: \(wire.map(\.source))")
        XCTAssertTrue(wire.contains { $0.source == "sum of 4 of 4 quarters" && $0.value == 400 })
        XCTAssertEqual(d.read { m in (0..<m.n_entries).map { m.entries[$0]!.pointee.base.n_unknown_fields } }, Array(repeating: 0, count: 5),
                       "a reader sees region and provenance as the fields they are")
    }

    func testRollupOfARateIsFailedPrecondition() {
        let a = WireArena()
        var req = Lexstat__V1__RollupRequest.make()
        req.indicator = a.string("litig.loss_rate")
        req.region = a.string("重庆市")
        req.period = a.string("2024")
        let s = status("Rollup", withExtendedLifetime(a) { req.encoded() })
        XCTAssertEqual(s?.0, .failedPrecondition)
    }

    func testRollupSumsChildrenWithCoverage() throws {
        let a = WireArena()
        var req = Lexstat__V1__RollupRequest.make()
        req.indicator = a.string("service.legal_aid_cases")
        req.region = a.string("重庆市")
        req.period = a.string("2024")
        let d = try call("Rollup", withExtendedLifetime(a) { req.encoded() }, Lexstat__V1__RollupResponse.self)
        d.read { m in
            XCTAssertEqual(m.sum, 2020)
            XCTAssertEqual(m.children_reported, 3)
            XCTAssertGreaterThan(m.children_total, 3)
            XCTAssertEqual(m.has_own, 0)
        }
    }

    func testSeriesCarriesChangesAndProvenance() throws {
        let a = WireArena()
        var req = Lexstat__V1__GetSeriesRequest.make()
        req.indicator = a.string("service.legal_aid_cases")
        req.region = a.string("重庆市江北区")
        let d = try call("GetSeries", withExtendedLifetime(a) { req.encoded() }, Lexstat__V1__GetSeriesResponse.self)
        d.read { m in
            let pts = wireList(m.n_points, m.points).compactMap { $0?.pointee }
            XCTAssertEqual(pts.map { wireString($0.period) }, ["2023", "2024"])
            XCTAssertEqual(pts.last?.value, 660)
            XCTAssertEqual(pts.last?.has_change, 1)
            XCTAssertEqual(pts.last?.change, 60)
            XCTAssertEqual(pts.last.map { wireString($0.provenance.pointee.source) }, "fixture")
            XCTAssertEqual(wireString(m.region.pointee.full_name), "重庆市江北区")
        }
    }

    func testTargetsCarryStatus() throws {
        let d = try call("ListTargets", Lexstat__V1__ListTargetsRequest.make().encoded(), Lexstat__V1__ListTargetsResponse.self)
        d.read { m in
            XCTAssertEqual(m.n_targets, 1)
            XCTAssertEqual(m.targets[0]!.pointee.status, LEXSTAT__V1__TARGET_STATUS__TARGET_STATUS_NO_DATA)
            XCTAssertEqual(m.targets[0]!.pointee.target.pointee.bound, LEXSTAT__V1__BOUND__BOUND_AT_LEAST)
        }
    }

    func testTargetsOfARegionAndItsDescendants() throws {
        let a = WireArena()
        var req = Lexstat__V1__ListTargetsRequest.make()
        req.region = a.string("重庆市")
        let own = try call("ListTargets", withExtendedLifetime(a) { req.encoded() }, Lexstat__V1__ListTargetsResponse.self)
        XCTAssertEqual(own.read { $0.n_targets }, 0, "重庆市 itself set no target")
        req.descendants = 1
        let all = try call("ListTargets", withExtendedLifetime(a) { req.encoded() }, Lexstat__V1__ListTargetsResponse.self)
        XCTAssertEqual(all.read { m in wireString(m.targets[0]!.pointee.target.pointee.region) }, "500105")
        XCTAssertEqual(all.read { $0.n_targets }, 1)
        var bare = Lexstat__V1__ListTargetsRequest.make()
        bare.descendants = 1
        XCTAssertEqual(status("ListTargets", bare.encoded())?.0, .invalidArgument, "descendants without a region")
    }

    func testImportingTheSameFileAgainReportsWhatWasAlreadyStored() throws {
        let a = WireArena()
        var req = Lexstat__V1__ImportObservationsRequest.make()
        req.csv = a.string(DomainHandlersTests.fixture)
        req.source = a.string("fixture.csv")
        let again = try call("ImportObservations", withExtendedLifetime(a) { req.encoded() }, Lexstat__V1__ImportObservationsResponse.self)
        XCTAssertEqual(again.read { $0.imported }, 0)
        XCTAssertEqual(again.read { $0.already_stored }, 7)
    }

    func testUnknownRegionIsNotFoundWithSuggestions() {
        let a = WireArena()
        var req = Lexstat__V1__GetSeriesRequest.make()
        req.indicator = a.string("service.legal_aid_cases")
        req.region = a.string("江北区")
        let s = status("GetSeries", withExtendedLifetime(a) { req.encoded() })
        XCTAssertEqual(s?.0, .invalidArgument)
        XCTAssertTrue(s?.1.contains("重庆市江北区 (500105)") ?? false, "an ambiguous name lists the candidates: \(s?.1 ?? "")")
        var g = Lexstat__V1__GetRegionRequest.make()
        g.query = a.string("成都X市")
        let s2 = status("GetRegion", withExtendedLifetime(a) { g.encoded() })
        XCTAssertEqual(s2?.0, .notFound)
    }

    func testRegionsPageThrough() throws {
        var req = Lexstat__V1__ListRegionsRequest.make()
        req.level = LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_PROVINCE
        req.page_size = 10
        var codes: [String] = []
        var token = ""
        repeat {
            let a = WireArena()
            req.page_token = a.string(token)
            let d = try call("ListRegions", withExtendedLifetime(a) { req.encoded() }, Lexstat__V1__ListRegionsResponse.self)
            d.read { m in
                codes += wireList(m.n_regions, m.regions).compactMap { $0.map { wireString($0.pointee.code) } }
                token = wireString(m.next_page_token)
            }
        } while !token.isEmpty
        XCTAssertEqual(codes.count, 34, "31 provinces, autonomous regions and municipalities, plus 台湾, 香港, 澳门")
        XCTAssertEqual(Set(codes).count, codes.count)
    }

    func testBadEnumsAndPageSizesAreInvalidArgumentNamingTheField() {
        var req = Lexstat__V1__ListRegionsRequest.make()
        req.level = Lexstat__V1__RegionLevel(rawValue: 9)
        XCTAssertEqual(status("ListRegions", req.encoded())?.1,
                       "level: 9 is not a RegionLevel (REGION_LEVEL_UNSPECIFIED, REGION_LEVEL_PROVINCE, REGION_LEVEL_CITY, REGION_LEVEL_COUNTY)")
        req.level = LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_UNSPECIFIED
        req.page_size = 20_000
        XCTAssertEqual(status("ListRegions", req.encoded())?.1, "page_size: 20000 is outside 1–10000")
        var q = Lexstat__V1__QueryObservationsRequest.make()
        q.descendants = 1
        XCTAssertEqual(status("QueryObservations", q.encoded())?.1, "descendants: needs a region")
    }

    func testImportThatFailsHalfwayStoresNothing() throws {
        let before = try store.counts().observations
        let a = WireArena()
        var req = Lexstat__V1__ImportObservationsRequest.make()
        req.csv = a.string("region,indicator,period,value,unit,bound,kind,source\n重庆市江北区,service.legal_aid_cases,2020,1,件,exact,actual,x\n重庆市江北区,service.legal_aid_cases,1800,1,件,exact,actual,x\n")
        req.source = a.string("bad.csv")
        let s = status("ImportObservations", withExtendedLifetime(a) { req.encoded() })
        XCTAssertEqual(s?.0, .invalidArgument)
        XCTAssertTrue(s?.1.contains("3") ?? false, "names the line: \(s?.1 ?? "")")
        XCTAssertEqual(try store.counts().observations, before)
    }
}
