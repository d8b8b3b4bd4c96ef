import LexstatRPC
import LexstatWire
import XCTest

final class WireMessageTests: XCTestCase {
    func testRoundTripWithNestedAndRepeatedFields() throws {
        let arena = WireArena()
        var region = Lexstat__V1__Region.make()
        region.code = arena.string("500105")
        region.name = arena.string("江北区")
        region.level = LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY
        var resp = Lexstat__V1__ListRegionsResponse.make()
        resp.n_regions = 2
        resp.regions = arena.messages([region, region])
        resp.next_page_token = arena.string("abc")
        let bytes = resp.encoded()

        let decoded = try Lexstat__V1__ListRegionsResponse.decode(bytes)
        decoded.read { m in
            XCTAssertEqual(m.n_regions, 2)
            let r = wireList(m.n_regions, m.regions).compactMap { $0?.pointee }
            XCTAssertEqual(r.map { wireString($0.name) }, ["江北区", "江北区"])
            XCTAssertEqual(r.first?.level, LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY)
            XCTAssertEqual(wireString(m.next_page_token), "abc")
        }
    }

    func testGarbageIsInvalidArgumentNamingTheType() {
        XCTAssertThrowsError(try Lexstat__V1__HealthRequest.decode([0xff, 0xff, 0xff, 0xff])) { e in
            let rpc = e as? RPCError
            XCTAssertEqual(rpc?.code, .invalidArgument)
            XCTAssertEqual(rpc?.message, "request body is not a valid lexstat.v1.HealthRequest message")
        }
    }

    func testEmptyBytesDecodeToDefaults() throws {
        let d = try Lexstat__V1__HealthRequest.decode([])
        XCTAssertEqual(d.read { wireString($0.service) }, "")
    }

    func testJSONRendersEveryFieldWithEnumNames() throws {
        let arena = WireArena()
        var o = Lexstat__V1__Observation.make()
        o.indicator = arena.string("review.cases_received")
        o.value = 158
        o.bound = LEXSTAT__V1__BOUND__BOUND_AT_LEAST
        o.kind = LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_CHANGE
        o.subject = arena.string("受理\"案件\"")
        let d = try Lexstat__V1__Observation.decode(o.encoded())
        let json = ProtoJSON.render(d)
        XCTAssertTrue(json.contains("\"indicator\":\"review.cases_received\""), json)
        XCTAssertTrue(json.contains("\"value\":158"), json)
        XCTAssertTrue(json.contains("\"bound\":\"at_least\""), json)
        XCTAssertTrue(json.contains("\"kind\":\"change\""), json)
        XCTAssertTrue(json.contains("\"subject\":\"受理\\\"案件\\\"\""), json)
        XCTAssertTrue(json.contains("\"provenance\":null"), json)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        XCTAssertEqual(parsed?["region"] as? String, "")
    }

    func testJSONRendersMapsAsObjects() throws {
        let arena = WireArena()
        var e1 = Lexstat__V1__RegionScore__ComponentsEntry.make()
        e1.key = arena.string("平时")
        e1.value = 40.5
        var s = Lexstat__V1__RegionScore.make()
        s.n_components = 1
        s.components = arena.messages([e1])
        let d = try Lexstat__V1__RegionScore.decode(s.encoded())
        let obj = try JSONSerialization.jsonObject(with: Data(ProtoJSON.render(d).utf8)) as? [String: Any]
        XCTAssertEqual((obj?["components"] as? [String: Double])?["平时"], 40.5)
    }
}
