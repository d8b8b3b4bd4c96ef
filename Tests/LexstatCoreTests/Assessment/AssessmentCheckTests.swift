import XCTest
@testable import LexstatCore

/// Consistency checks on figures written by hand; each finding must name the figures and their sources.
final class AssessmentCheckTests: XCTestCase {
    let catalog: [String: Indicator] = Dictionary(uniqueKeysWithValues: [
        Indicator(code: "service.legal_aid_cases", name: "法律援助案件数", area: "service", unit: "件", polarity: .higherIsBetter, aggregation: .sum, aliases: []),
        Indicator(code: "litig.loss_rate", name: "行政诉讼败诉率", area: "litig", unit: "%", polarity: .lowerIsBetter, aggregation: .none, aliases: []),
        Indicator(code: "mediation.success_rate", name: "调解成功率", area: "mediation", unit: "%", polarity: .higherIsBetter, aggregation: .none, aliases: []),
    ].map { ($0.code, $0) })

    var nextId: Int64 = 0

    func obs(_ region: String, _ indicator: String, _ year: Int, _ value: Double, _ unit: String,
             kind: ObservationKind = .actual, bound: Bound = .exact, source: String) -> Observation {
        nextId += 1
        return Observation(id: nextId, indicator: indicator, subject: indicator, region: region, period: .year(year), value: value,
                           unit: unit, bound: bound, kind: kind, provenance: .source(source))
    }

    func run(_ list: [Observation], year: Int? = nil) -> [Finding] {
        ConsistencyChecks.run(list, catalog: catalog, regions: StoreFixture.regions, year: year) { o in
            if case .source(let s) = o.provenance { return s }
            return "?"
        }
    }

    func testRateOutsideZeroToHundred() {
        let f = run([obs("500105", "mediation.success_rate", 2023, 105, "%", source: "江北区报告"),
                     obs("500103", "mediation.success_rate", 2023, 100, "%", source: "渝中区报告"),
                     obs("500108", "mediation.success_rate", 2023, -1, "%", source: "南岸区报告")])
        XCTAssertEqual(f.map(\.rule), [.rateRange, .rateRange])
        XCTAssertEqual(f[0].message, "重庆市江北区 调解成功率 2023 is 105% (江北区报告): a rate outside 0–100 %")
        XCTAssertTrue(f[1].message.contains("-1%"))
    }

    /// 2022: 100 件, 2023: 120 件, so the change is +20 %. Each figure stands for ±0.5 and
    /// the stated change for ±half its last place, so the tolerance on +20 % is
    /// 0.05 (for "+21.0") + 100·0.5/100 + 100·120·0.5/100² = 0.05 + 0.5 + 0.6 = 1.15:
    /// +21.0 % passes, +22.0 % (2 points off) does not.
    func testChangeAgainstLastYearBeyondRounding() {
        let base = [obs("500105", "service.legal_aid_cases", 2022, 100, "件", source: "2022年报"),
                    obs("500105", "service.legal_aid_cases", 2023, 120, "件", source: "2023年报")]
        XCTAssertEqual(run(base + [obs("500105", "service.legal_aid_cases", 2023, 20, "%", kind: .change, source: "2023年报")]), [])
        XCTAssertEqual(run(base + [obs("500105", "service.legal_aid_cases", 2023, 21.0, "%", kind: .change, source: "2023年报")]), [])
        let f = run(base + [obs("500105", "service.legal_aid_cases", 2023, 22, "%", kind: .change, source: "2023年报")])
        XCTAssertEqual(f.map(\.rule), [.changeMismatch])
        XCTAssertEqual(f[0].message, "重庆市江北区 法律援助案件数 2023 states a change of +22% (2023年报), but 2022 was 100件 (2022年报) and 2023 is 120件 (2023年报): a change of +20%")
        XCTAssertEqual(f[0].observations.map(\.value), [22, 100, 120])
        // A change about another year is not checked against a year it does not name.
        XCTAssertEqual(run(base + [obs("500105", "service.legal_aid_cases", 2023, 22, "%", kind: .change, source: "x")], year: 2021), [])
    }

    /// Percentage points: 10.65 % → 8.49 % is −2.16 pp; stated −3.0 pp is off by 0.84 (tolerance 0.05 + 0.005 + 0.005).
    func testChangeInPercentagePoints() {
        let base = [obs("330303", "litig.loss_rate", 2021, 10.65, "%", source: "2021年报"),
                    obs("330303", "litig.loss_rate", 2022, 8.49, "%", source: "2022年报")]
        XCTAssertEqual(run(base + [obs("330303", "litig.loss_rate", 2022, -2.16, "pp", kind: .change, source: "2022年报")]), [])
        let f = run(base + [obs("330303", "litig.loss_rate", 2022, -3.0, "pp", kind: .change, source: "2022年报")])
        XCTAssertEqual(f.map(\.rule), [.changeMismatch])
        XCTAssertTrue(f[0].message.contains("a change of -2.16pp"), f[0].message)
    }

    /// 重庆市 says 1000 件, its districts 600 + 500 = 1100: the parent is below its children.
    /// A parent stated as "1000 以上" (at least) is not a contradiction; a rate never adds up.
    func testParentBelowTheSumOfItsChildren() {
        let kids = [obs("500103", "service.legal_aid_cases", 2023, 600, "件", source: "渝中区报告"),
                    obs("500105", "service.legal_aid_cases", 2023, 500, "件", source: "江北区报告")]
        let f = run(kids + [obs("500000", "service.legal_aid_cases", 2023, 1000, "件", source: "重庆市报告")])
        XCTAssertEqual(f.map(\.rule), [.parentBelowChildren])
        XCTAssertEqual(f[0].message, "重庆市 法律援助案件数 2023 is 1000件 (重庆市报告), less than the sum of its children's figures, 1100件: 渝中区 600 (渝中区报告), 江北区 500 (江北区报告)")
        XCTAssertEqual(run(kids + [obs("500000", "service.legal_aid_cases", 2023, 1000, "件", bound: .atLeast, source: "重庆市报告")]), [])
        XCTAssertEqual(run(kids + [obs("500000", "service.legal_aid_cases", 2023, 1100, "件", source: "重庆市报告")]), [])
        let rates = [obs("500103", "litig.loss_rate", 2023, 6, "%", source: "a"), obs("500105", "litig.loss_rate", 2023, 5, "%", source: "b"),
                     obs("500000", "litig.loss_rate", 2023, 5.5, "%", source: "c")]
        XCTAssertEqual(run(rates), [])
    }

    /// 1200 against 1500 from two sources disagree; "1100 以上" and "约1150" are compatible with 1200;
    /// the same source twice is not two sources.
    func testSourcesDisagree() {
        let a = obs("500105", "service.legal_aid_cases", 2023, 1200, "件", source: "区司法局年报")
        let f = run([a, obs("500105", "service.legal_aid_cases", 2023, 1500, "件", source: "市局通报")])
        XCTAssertEqual(f.map(\.rule), [.sourcesDisagree])
        XCTAssertEqual(f[0].message, "重庆市江北区 法律援助案件数 2023: 1200件 (区司法局年报) against 1500件 (市局通报)")
        XCTAssertEqual(run([a, obs("500105", "service.legal_aid_cases", 2023, 1100, "件", bound: .atLeast, source: "b")]), [])
        XCTAssertEqual(run([a, obs("500105", "service.legal_aid_cases", 2023, 1150, "件", bound: .approx, source: "c")]), [])
        XCTAssertEqual(run([a, obs("500105", "service.legal_aid_cases", 2023, 1200.4, "件", source: "d")]), [], "within rounding")
        XCTAssertEqual(run([a, obs("500105", "service.legal_aid_cases", 2023, 1500, "件", source: "区司法局年报")]), [])
    }

    /// Through the store: the fixture's 重庆市 "40000 以上" is not below its districts, and a figure
    /// imported from a second source that disagrees is found, with both sources named.
    func testCheckThroughTheStore() throws {
        let s = try StoreFixture.loaded()
        XCTAssertEqual(try s.check(region: "重庆市", year: 2023), [])
        _ = try s.importObservations(csv: """
            region,indicator,period,value,unit,bound,kind,source
            重庆市江北区,service.legal_aid_cases,2023,1350,件,exact,actual,second source
            重庆市渝中区,mediation.success_rate,2023,101,%,exact,actual,second source
            """, source: "test")
        let f = try s.check(region: "重庆市", year: 2023)
        XCTAssertEqual(Set(f.map(\.rule)), [.sourcesDisagree, .rateRange])
        let d = f.first { $0.rule == .sourcesDisagree }!
        XCTAssertTrue(d.message.contains("1200件 (fixture)") && d.message.contains("1350件 (second source)"), d.message)
        XCTAssertEqual(try s.check(region: "成都市", year: 2023), [])
        XCTAssertThrowsError(try s.check(region: nil, year: 3000))
    }
}
