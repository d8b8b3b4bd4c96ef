import XCTest
@testable import LexstatCore

final class IndicatorTSVTests: XCTestCase {
    func testBundledCatalogLoads() throws {
        let all = try IndicatorTSV.bundled()
        XCTAssertGreaterThan(all.count, 50)
        let loss = try XCTUnwrap(all.first { $0.code == "litig.loss_rate" })
        XCTAssertEqual(loss.polarity, .lowerIsBetter)
        XCTAssertEqual(loss.aggregation, .none)
        XCTAssertTrue(loss.aliases.contains("败诉率"))
    }

    func testRoundTrips() throws {
        let all = try IndicatorTSV.bundled()
        XCTAssertEqual(try IndicatorTSV.parse(IndicatorTSV.format(all)), all)
    }

    func testNamesLineAndRule() {
        let bad = "code\tname\tarea\tunit\tpolarity\taggregate\nx.y\t某指标\tcoord\t件\t2\tsum\n"
        XCTAssertThrowsError(try IndicatorTSV.parse(bad, source: "f.tsv")) { e in
            XCTAssertEqual((e as? LexstatError)?.message, "f.tsv:2: polarity \"2\" is not 1, -1 or 0")
        }
        XCTAssertThrowsError(try IndicatorTSV.parse("code\tname\n", source: "g.tsv")) { e in
            XCTAssertTrue((e as? LexstatError)?.message.hasPrefix("g.tsv:1: header lacks") ?? false)
        }
    }
}
