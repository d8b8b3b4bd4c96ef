import XCTest
@testable import LexstatCore

final class RegionDirectoryTests: XCTestCase {
    let dir = StoreFixture.regions

    func testCountsByLevel() {
        XCTAssertEqual(dir.all.filter { $0.level == .province }.count, 34)
        XCTAssertEqual(dir.all.filter { $0.level == .city }.count, 333)
        XCTAssertGreaterThan(dir.all.filter { $0.level == .county }.count, 2800)
    }

    func testLooksUpByCodeAndNames() throws {
        XCTAssertEqual(try dir.resolve("510100").name, "成都市")
        XCTAssertEqual(try dir.resolve("51").name, "四川省")
        XCTAssertEqual(try dir.resolve("成都市").code, "510100")
        XCTAssertEqual(try dir.resolve("成都").code, "510100")
        XCTAssertEqual(try dir.resolve("四川成都").code, "510100")
        XCTAssertEqual(try dir.resolve("四川省成都市锦江区").code, "510104")
        XCTAssertEqual(try dir.resolve("重庆市江北区").code, "500105")
        XCTAssertEqual(try dir.resolve("温州市龙湾区").code, "330303")
        XCTAssertEqual(try dir.resolve("广西").code, "450000")
        XCTAssertEqual(try dir.resolve("龙湾区").code, "330303")
    }

    func testMunicipalityDistrictsHangOffTheProvinceLevel() throws {
        let jiangbei = try XCTUnwrap(dir.region(code: "500105"))
        XCTAssertEqual(jiangbei.parent, "500000")
        XCTAssertEqual(jiangbei.level, .county)
        XCTAssertEqual(dir.children(of: "500000").count, 38)
        XCTAssertEqual(dir.fullName(of: "500105"), "重庆市江北区")
        XCTAssertEqual(dir.ancestors(of: "510104").map(\.code), ["510000", "510100"])
    }

    func testShortNames() throws {
        XCTAssertEqual(dir.region(code: "450000")?.shortName, "广西")
        XCTAssertEqual(dir.region(code: "510000")?.shortName, "四川")
        XCTAssertEqual(dir.region(code: "513400")?.shortName, "凉山")
        XCTAssertEqual(dir.region(code: "500233")?.shortName, "忠县")
    }

    func testAmbiguousNameListsCandidates() {
        XCTAssertThrowsError(try dir.resolve("江北区")) { e in
            guard case .invalidArgument(let m) = e as? LexstatError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("重庆市江北区 (500105)"), m)
            XCTAssertTrue(m.contains("浙江省宁波市江北区 (330205)"), m)
        }
    }

    func testUnknownNameSuggestsNearMisses() {
        XCTAssertThrowsError(try dir.resolve("成都巿")) { e in
            guard case .notFound(let m) = e as? LexstatError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("四川省成都市 (510100)"), m)
        }
        XCTAssertThrowsError(try dir.resolve("123")) { e in
            guard case .invalidArgument = e as? LexstatError else { return XCTFail("\(e)") }
        }
        XCTAssertThrowsError(try dir.resolve("999999")) { e in
            guard case .notFound = e as? LexstatError else { return XCTFail("\(e)") }
        }
    }

    func testListsByParentAndLevel() throws {
        let chengdu = try dir.regions(parent: "成都")
        XCTAssertEqual(chengdu.count, 20)
        XCTAssertTrue(chengdu.allSatisfy { $0.parent == "510100" })
        let sichuanCounties = try dir.regions(parent: "四川省", level: .county)
        XCTAssertTrue(sichuanCounties.contains { $0.code == "510104" })
        XCTAssertFalse(sichuanCounties.contains { $0.level != .county })
        XCTAssertEqual(try dir.regions().count, 34)
        XCTAssertEqual(try dir.regions(level: .city).count, 333)
    }
}

extension RegionDirectoryTests {
    func testAShortNameSharedAcrossLevelsIsAmbiguous() {
        // 海南 is the province's short name, and also 海南区 (乌海市) and 海南藏族自治州's.
        XCTAssertThrowsError(try dir.resolve("海南")) { e in
            guard case .invalidArgument(let m) = e as? LexstatError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("海南省 (460000)") && m.contains("632500"), m)
        }
        XCTAssertEqual(try? dir.resolve("海南省").code, "460000")
    }
}
