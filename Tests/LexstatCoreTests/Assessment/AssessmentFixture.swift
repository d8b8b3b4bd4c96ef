import Foundation
import XCTest
@testable import LexstatCore

/// A peer group small enough to score by hand: four 重庆 districts (R1–R4) and,
/// for the "best everywhere" tests, a fifth (R5) best on every indicator.
///
/// ```
///                     A legal aid (higher)   B loss rate % (lower)   C disputes (higher)
/// R1 渝中区 500103          100                     2                      50
/// R2 江北区 500105          300                     6                      —
/// R3 南岸区 500108          200                     4                     150
/// R4 渝北区 500112          300                     —                     250
/// R5 沙坪坝区 500106        400                     1                     300   (only with best: true)
/// ```
/// Min–max over the regions with a figure (R1–R4):
/// - A: min 100, max 300 → R1 0, R2 1, R3 0.5, R4 1 (R2 and R4 tie)
/// - B, lower is better: min 2, max 6 → R1 (6−2)/4 = 1, R2 0, R3 0.5
/// - C: min 50, max 250 → R1 0, R3 0.5, R4 1
enum AssessmentFixture {
    static let a = Indicator(code: "service.legal_aid_cases", name: "法律援助案件数", area: "service", unit: "件",
                             polarity: .higherIsBetter, aggregation: .sum, aliases: [])
    static let b = Indicator(code: "litig.loss_rate", name: "行政诉讼败诉率", area: "litig", unit: "%",
                             polarity: .lowerIsBetter, aggregation: .none, aliases: [])
    static let c = Indicator(code: "mediation.disputes_resolved", name: "矛盾纠纷调解化解数", area: "mediation", unit: "件",
                             polarity: .higherIsBetter, aggregation: .sum, aliases: [])
    static let neutral = Indicator(code: "review.cases_received", name: "行政复议受理案件数", area: "review", unit: "件",
                                   polarity: .neutral, aggregation: .sum, aliases: [])
    static let catalog = [a, b, c, neutral]

    static let r1 = "500103", r2 = "500105", r3 = "500108", r4 = "500112", r5 = "500106"

    static func region(_ code: String) -> Region { StoreFixture.regions.region(code: code)! }

    /// - Parameters:
    ///   - figures: indicator code → region code → figure, instead of the table above.
    ///   - indicators: the indicators `figures` names, when not A, B and C.
    static func data(best: Bool = false, year: Int = 2023,
                     figures: [String: [String: Double]]? = nil, indicators: [Indicator]? = nil) -> PeerData {
        var table = figures ?? [
            a.code: [r1: 100, r2: 300, r3: 200, r4: 300],
            b.code: [r1: 2, r2: 6, r3: 4],
            c.code: [r1: 50, r3: 150, r4: 250],
        ]
        if best {
            table[a.code]![r5] = 400
            table[b.code]![r5] = 1
            table[c.code]![r5] = 300
        }
        var values: [String: [String: Figure]] = [:]
        for (ind, col) in table {
            for (r, v) in col {
                let o = Observation(id: 0, indicator: ind, subject: ind, region: r, period: .year(year), value: v,
                                    unit: ind == b.code ? "%" : "件", provenance: .source("fixture \(r)"))
                values[ind, default: [:]][r] = Figure(value: v, observation: o)
            }
        }
        let regions = [r1, r2, r3, r4] + (table.values.contains { $0[r5] != nil } ? [r5] : [])
        return PeerData(year: year, within: region("500000"), level: .county, regions: regions.map(region),
                        indicators: Dictionary(uniqueKeysWithValues: (indicators ?? [a, b, c]).map { ($0.code, $0) }),
                        values: values)
    }

    /// 平时 0.4 = A; 年度 0.6 = B 0.5 + C 0.5.
    static func schemeJSON(missing: String = #"{"rule": "reweight", "min_coverage": 0.5}"#,
                           normalisation: String = "minmax", extraB: String = "") -> String {
        """
        {
          "title": "fixture",
          "normalisation": "\(normalisation)",
          "missing": \(missing),
          "components": [
            {"name": "平时", "weight": 0.4, "indicators": [{"indicator": "service.legal_aid_cases", "weight": 1}]},
            {"name": "年度", "weight": 0.6, "indicators": [
              {"indicator": "litig.loss_rate", "weight": 0.5\(extraB)},
              {"indicator": "mediation.disputes_resolved", "weight": 0.5}]}
          ]
        }
        """
    }

    static func scheme(_ json: String = schemeJSON(), file: String = "fixture.json") throws -> AssessmentScheme {
        try SchemeParser.parse(Data(json.utf8), file: file, catalog: catalog)
    }

    /// The problem message a scheme is refused with.
    static func refusal(_ json: String, file: String = "bad.json") -> String {
        do {
            _ = try scheme(json, file: file)
            return "accepted"
        } catch let e as LexstatError {
            guard case .invalidArgument(let m) = e else { return "wrong kind: \(e)" }
            return m
        } catch {
            return "\(error)"
        }
    }
}
