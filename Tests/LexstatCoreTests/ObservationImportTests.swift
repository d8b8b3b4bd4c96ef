import XCTest
@testable import LexstatCore

final class ObservationImportTests: XCTestCase {
    func testImportsResolvingNamesAndDefaults() throws {
        let s = try StoreFixture.loaded()
        let page = try s.observations(indicator: "service.legal_aid_cases", region: "500112")
        XCTAssertEqual(page.total, 1)
        let o = try XCTUnwrap(page.observations.first)
        XCTAssertEqual(o.region, "500112")
        XCTAssertEqual(o.bound, .exact)
        XCTAssertEqual(o.kind, .actual)
        XCTAssertEqual(o.provenance, .source("fixture"))
        // An empty source column falls back to the file name.
        let nanan = try s.observations(indicator: "service.legal_aid_cases", region: "重庆市南岸区").observations
        XCTAssertEqual(nanan.first?.provenance, .source("fixture.csv"))
    }

    func testAFailingRowHalfwayStoresNothing() throws {
        let s = try StoreFixture.open()
        let csv = """
            region,indicator,period,value,unit,bound,kind,source
            重庆市江北区,service.legal_aid_cases,2023,1200,件,,,t
            重庆市渝北区,service.legal_aid_cases,2023,1500,件,,,t
            重庆市渝中区,service.legal_aid_cases,20x3,1300,件,,,t
            重庆市南岸区,service.legal_aid_cases,2023,900,件,,,t
            """
        XCTAssertThrowsError(try s.importObservations(csv: csv, source: "half.csv")) { e in
            guard case .invalidArgument(let m) = e as? LexstatError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.hasPrefix("half.csv:4: period"), m)
        }
        XCTAssertEqual(try s.observations().total, 0)
        XCTAssertEqual(try s.exportObservations().split(separator: "\n").count, 1)
    }

    func testErrorsNameLineAndField() throws {
        let s = try StoreFixture.open()
        let header = "region,indicator,period,value,unit,bound,kind,source\n"
        func message(_ row: String) -> String {
            do {
                _ = try s.importObservations(csv: header + row, source: "f.csv")
                return "no error"
            } catch { return error.message }
        }
        XCTAssertTrue(message("火星市,service.legal_aid_cases,2023,1,件,,,x").hasPrefix("f.csv:2: region"))
        XCTAssertTrue(message("重庆市,service.legal_aid_casez,2023,1,件,,,x").contains("service.legal_aid_cases"))
        XCTAssertTrue(message("重庆市,service.legal_aid_cases,1900,1,件,,,x").hasPrefix("f.csv:2: period"))
        XCTAssertTrue(message("重庆市,service.legal_aid_cases,2023,many,件,,,x").hasPrefix("f.csv:2: value"))
        XCTAssertTrue(message("重庆市,service.legal_aid_cases,2023,1,件,roughly,,x").hasPrefix("f.csv:2: bound"))
        XCTAssertTrue(message("重庆市,service.legal_aid_cases,2023,1,件,,guess,x").hasPrefix("f.csv:2: kind"))
        XCTAssertTrue(message("重庆市,service.legal_aid_cases,2023").hasPrefix("f.csv:2: 3 fields"))
        XCTAssertEqual(message(",service.legal_aid_cases,2023,1,件,,,x"), "f.csv:2: region: empty", "the field is named once")
        let mars = message("火星市,service.legal_aid_cases,2023,1,件,,,x")
        XCTAssertTrue(mars.hasPrefix("f.csv:2: region \"火星市\": no such region"), mars)
        XCTAssertThrowsError(try s.importObservations(csv: "region,value\n", source: "h.csv")) { e in
            XCTAssertTrue((e as? LexstatError)?.message.hasPrefix("h.csv:1: header lacks the column \"indicator\"") ?? false, "\(e)")
        }
    }

    func testExportImportsAgainToTheSameFigures() throws {
        let s = try StoreFixture.loaded()
        let filter = ObservationFilter(region: "重庆市", descendants: true, from: "2023", to: "2023")
        let csv = try s.exportObservations(filter)
        XCTAssertTrue(csv.hasPrefix("region,indicator,period,value,unit,bound,kind,source"))
        let other = try StoreFixture.open()
        let n = try other.importObservations(csv: csv, source: "export.csv").imported
        XCTAssertEqual(n, try s.observations(region: "重庆市", descendants: true, from: "2023", to: "2023").total)
        XCTAssertEqual(try other.exportObservations(filter), csv)
    }

    func testFreeSubjectRowsWithASubjectColumn() throws {
        let s = try StoreFixture.open()
        let csv = "region,indicator,period,value,unit,bound,kind,source,subject\n重庆市,,2023,7,项,,,x,重点内容\n"
        XCTAssertEqual(try s.importObservations(csv: csv, source: "s.csv").imported, 1)
        let o = try XCTUnwrap(try s.observations(region: "重庆市").observations.first)
        XCTAssertNil(o.indicator)
        XCTAssertEqual(o.subject, "重点内容")
    }

    func testUnitsMustMeasureTheIndicator() throws {
        let s = try StoreFixture.open()
        let header = "region,indicator,period,value,unit,bound,kind,source\n"
        func message(_ row: String) -> String {
            do {
                _ = try s.importObservations(csv: header + row, source: "u.csv")
                return "no error"
            } catch { return error.message }
        }
        let metres = message("重庆市,service.legal_aid_cases,2023,12,米,,,x")
        XCTAssertTrue(metres.hasPrefix("u.csv:2: unit: \"米\" does not measure service.legal_aid_cases"), metres)
        XCTAssertTrue(metres.contains("which is in 件"), metres)
        XCTAssertTrue(message("重庆市,service.legal_aid_cases,2023,12,%,,,x").hasPrefix("u.csv:2: unit"), "a count is no rate")
        XCTAssertTrue(message("重庆市,service.legal_aid_cases,2023,12,元,,,x").hasPrefix("u.csv:2: unit"), "a count is no sum of money")
        XCTAssertTrue(message("重庆市,service.losses_recovered,2023,12,件,,,x").hasPrefix("u.csv:2: unit"), "money is no count")
        XCTAssertTrue(message("重庆市,service.legal_aid_cases,2023,12,吨,,,x").hasPrefix("u.csv:2: unit"), "a weight is no count")
        XCTAssertEqual(try s.observations().total, 0)

        // Same family, a change in % or pp, and money scaled to 元 are all taken.
        let csv = header + """
            重庆市,service.legal_aid_cases,2023,12,件次,,,x
            重庆市,service.legal_aid_cases,2024,12,起,,,x
            重庆市,service.legal_aid_cases,2023,5,pp,,change,x
            重庆市,service.losses_recovered,2023,1.5,万元,,,x
            """
        XCTAssertEqual(try s.importObservations(csv: csv, source: "u.csv").imported, 4)
        let money = try XCTUnwrap(try s.observations(indicator: "service.losses_recovered").observations.first)
        XCTAssertEqual(money.unit, "元")
        XCTAssertEqual(money.value, 15_000)
    }

    func testAFigureGivenTwiceInOneFileIsRefused() throws {
        let s = try StoreFixture.open()
        let csv = """
            region,indicator,period,value,unit,bound,kind,source
            重庆市江北区,service.legal_aid_cases,2023,1200,件,,,t
            重庆市渝北区,service.legal_aid_cases,2023,1500,件,,,t
            500105,service.legal_aid_cases,2023,1200,,exact,actual,t
            """
        XCTAssertThrowsError(try s.importObservations(csv: csv, source: "d.csv")) { e in
            XCTAssertEqual((e as? LexstatError)?.message, "d.csv:4: the same figure as line 2; remove one of the two")
        }
        XCTAssertEqual(try s.observations().total, 0)
        // The same figure from two sources is two observations (a check compares them).
        let two = csv.replacingOccurrences(of: "actual,t", with: "actual,u")
        XCTAssertEqual(try s.importObservations(csv: two, source: "d.csv").imported, 3)
    }

    func testTheSameFileImportedAgainAddsNothing() throws {
        let s = try StoreFixture.open()
        let csv = """
            region,indicator,period,value,unit,bound,kind,source,subject
            重庆市江北区,service.legal_aid_cases,2023,1200,件,,,t,
            重庆市渝北区,service.legal_aid_cases,2024,1500,件,,target,t,
            重庆市,,2023,3,个,,,t,示范点
            """
        XCTAssertEqual(try s.importObservations(csv: csv, source: "a.csv"), ImportResult(imported: 3, alreadyStored: 0))
        XCTAssertEqual(try s.importObservations(csv: csv, source: "a.csv"), ImportResult(imported: 0, alreadyStored: 3))
        XCTAssertEqual(try s.observations().total, 3)
        // One figure changed: only it is new.
        let changed = csv.replacingOccurrences(of: "2023,1200", with: "2023,1201")
        XCTAssertEqual(try s.importObservations(csv: changed, source: "a.csv"), ImportResult(imported: 1, alreadyStored: 2))
        // The same figures from another source are kept beside them (a check compares sources).
        let other = csv.replacingOccurrences(of: ",t,", with: ",u,")
        XCTAssertEqual(try s.importObservations(csv: other, source: "b.csv"), ImportResult(imported: 3, alreadyStored: 0))
    }
}
