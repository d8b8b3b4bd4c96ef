import Foundation
@testable import LexstatCore

/// A small catalog for the extraction tests, independent of the shipped one.
enum TestCatalog {
    static let indicators: [Indicator] = [
        Indicator(code: "review.cases_received", name: "行政复议受理案件数", area: "review", unit: "件", polarity: .neutral,
                  aggregation: .sum, aliases: ["受理行政复议", "行政复议案件", "复议申请"]),
        Indicator(code: "review.correction_rate", name: "行政复议纠错率", area: "review", unit: "%", polarity: .neutral,
                  aggregation: .none, aliases: ["纠错率"]),
        Indicator(code: "service.legal_aid_cases", name: "法律援助案件数", area: "service", unit: "件", polarity: .higherIsBetter,
                  aggregation: .sum, aliases: ["法律援助案件", "援助案件"]),
        Indicator(code: "service.lawyers", name: "执业律师人数", area: "service", unit: "人", polarity: .higherIsBetter,
                  aggregation: .sum, aliases: ["执业律师"]),
        Indicator(code: "mediation.disputes_resolved", name: "矛盾纠纷调解化解数", area: "mediation", unit: "件",
                  polarity: .higherIsBetter, aggregation: .sum, aliases: ["调解矛盾纠纷", "化解矛盾纠纷", "矛盾纠纷"]),
        Indicator(code: "mediation.success_rate", name: "调解成功率", area: "mediation", unit: "%", polarity: .higherIsBetter,
                  aggregation: .none, aliases: ["调解成功率"]),
        Indicator(code: "litig.appearance_rate", name: "行政机关负责人出庭应诉率", area: "litig", unit: "%",
                  polarity: .higherIsBetter, aggregation: .none, aliases: ["出庭应诉率"]),
        Indicator(code: "publicity.events", name: "普法活动场次", area: "publicity", unit: "场", polarity: .higherIsBetter,
                  aggregation: .sum, aliases: ["普法活动", "宣讲"]),
        Indicator(code: "team.trainees", name: "干部培训人次", area: "team", unit: "人次", polarity: .higherIsBetter,
                  aggregation: .sum, aliases: ["培训干部", "轮训"]),
        Indicator(code: "service.losses_recovered", name: "挽回经济损失金额", area: "service", unit: "元",
                  polarity: .higherIsBetter, aggregation: .sum, aliases: ["挽回损失", "挽回经济损失"]),
    ]

    static let extractor = Extractor(indicators: indicators)

    /// The mentions of a text with a known year.
    static func mentions(_ text: String, year: Int? = 2023, region: String = "测试市") -> [Mention] {
        extractor.extract(text: text, region: region, year: year).mentions
    }

    /// The number texts of a text's mentions.
    static func numbers(_ text: String, year: Int? = 2023) -> [String] {
        mentions(text, year: year).map(\.numberText)
    }
}
