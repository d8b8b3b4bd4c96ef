import XCTest
@testable import LexstatCore

final class DemoTests: XCTestCase {
    func testLoadsOnceIntoAnEmptyStoreAndGivesEachQuerySomethingToShow() throws {
        let s = try StoreFixture.open()
        let summary = try Demo.load(into: s)
        XCTAssertTrue(summary.loaded)
        XCTAssertEqual(summary.reports, 3)
        XCTAssertEqual(summary.observations, try s.observations().total)
        XCTAssertFalse(try Demo.load(into: s).loaded)

        // The seed reports' figures, with the report named as source.
        let loss = try s.observations(indicator: "litig.loss_rate", region: "温州市龙湾区", from: "2022", to: "2022", kind: .actual)
        XCTAssertEqual(loss.observations.first?.value, 10.65)
        guard case .source(let src) = loss.observations.first?.provenance else { return XCTFail() }
        XCTAssertTrue(src.contains("温州市龙湾区司法局") && src.contains("2023-01-20"), src)

        XCTAssertGreaterThanOrEqual(try s.compare(indicator: "service.legal_aid_cases", period: "2023", within: "重庆市").entries.count, 5)
        let chengdu = try s.rollup(indicator: "service.legal_aid_cases", region: "成都市", period: "2023")
        XCTAssertGreaterThan(chengdu.childrenReported, 5)
        XCTAssertLessThan(chengdu.childrenReported, chengdu.childrenTotal)
        XCTAssertEqual(chengdu.own, 16500)
        let yuzhong = try s.series(indicator: "service.legal_aid_cases", region: "重庆市渝中区", from: "2020", to: "2024")
        XCTAssertEqual(yuzhong.points.last?.derived, true)
        XCTAssertEqual(yuzhong.points.last?.parts, 4)
        // Targets of every status, and one held against the sum of its quarters.
        let targets = try s.targets(year: 2024)
        XCTAssertEqual(Set(targets.map(\.status)), Set(TargetStatus.allCases), "\(targets.map(\.status))")
        XCTAssertTrue(targets.contains { $0.partsExpected == 4 && $0.parts == 4 })
        // The made-up figures agree with the reports' own: the checks find nothing the demo did not mean.
        let findings = try s.check(region: nil, year: nil)
        XCTAssertFalse(findings.contains { $0.rule == .sourcesDisagree }, findings.map(\.message).joined(separator: "\n"))
        // Every figure of the seed reports' gold annotations is in the demo set (141).
        let seedFigures = try s.observations(pageSize: 10_000).observations.filter {
            if case .source(let src) = $0.provenance { return !src.hasPrefix("demo data") } else { return false }
        }
        XCTAssertEqual(seedFigures.count, 141)
        XCTAssertEqual(try s.searchReports("援助案件").count, 2)
        let report = try XCTUnwrap(try s.reports(region: "510104").reports.first)
        XCTAssertEqual(try s.report(id: report.report.id).sections.map(\.role), [.results, .shortcomings, .plans])
    }
}
