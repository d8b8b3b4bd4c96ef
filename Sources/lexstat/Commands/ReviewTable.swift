import LexstatCore
import LexstatRPC
import LexstatWire

/// The review table of extracted figures: what an analyst checks before trusting an ingest.
enum ReviewTable {
    static func make(_ mentions: [Lexstat__V1__Mention]) -> Table {
        var t = Table(["#", "number", "value", "subject", "indicator", "kind", "period", "bound"], numeric: [0, 2])
        for (i, m) in mentions.enumerated() {
            t.add([String(i + 1), wireString(m.number_text), formatValue(m.value, unit: wireString(m.unit)),
                   wireString(m.subject), wireString(m.indicator).isEmpty ? "—" : wireString(m.indicator),
                   kindName(m.kind), wireString(m.period), boundName(m.bound)])
        }
        return t
    }

    static func make(_ mentions: [Mention]) -> Table {
        var t = Table(["#", "number", "value", "subject", "indicator", "kind", "period", "bound"], numeric: [0, 2])
        for (i, m) in mentions.enumerated() {
            t.add([String(i + 1), m.numberText, formatValue(m.value, unit: m.unit), m.subject, m.indicator ?? "—",
                   m.kind.rawValue, m.period?.text ?? "?", m.bound.rawValue])
        }
        return t
    }

    static func kindName(_ k: Lexstat__V1__ObservationKind) -> String {
        switch k {
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_ACTUAL: return "actual"
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_TARGET: return "target"
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_CHANGE: return "change"
        default: return "?"
        }
    }

    static func boundName(_ b: Lexstat__V1__Bound) -> String {
        switch b {
        case LEXSTAT__V1__BOUND__BOUND_APPROX: return "approx"
        case LEXSTAT__V1__BOUND__BOUND_AT_LEAST: return "at_least"
        case LEXSTAT__V1__BOUND__BOUND_AT_MOST: return "at_most"
        default: return "exact"
        }
    }

    /// `158 件`, `99.96 %`, `540000000 元`, `-2.16 pp`.
    static func formatValue(_ v: Double, unit: String) -> String {
        let n = v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        return unit.isEmpty ? n : "\(n) \(unit)"
    }

    /// The wire mention as the domain type, for the scorer's JSON lines.
    static func domainMention(_ m: Lexstat__V1__Mention, region: String) -> Mention {
        let period = try? Period(parsing: wireString(m.period))
        let kind = ObservationKind(rawValue: kindName(m.kind)) ?? .actual
        let bound = Bound(rawValue: boundName(m.bound)) ?? .exact
        let numberStart = Int(m.start), numberEnd = Int(m.end)
        return Mention(start: numberStart, end: numberEnd, quoteStart: numberStart, quoteEnd: numberEnd,
                       quote: wireString(m.quote), numberText: wireString(m.number_text), subject: wireString(m.subject),
                       value: m.value, unit: wireString(m.unit), bound: bound, kind: kind, period: period, region: region,
                       indicator: wireString(m.indicator).isEmpty ? nil : wireString(m.indicator),
                       confidence: m.confidence, changeOf: wireString(m.change_of), sectionKind: .other)
    }
}
