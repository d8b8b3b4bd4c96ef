import LexstatWire

// Names of the wire enums as the CLI prints and parses them: the lowercase
// value names without the enum's prefix, as `ProtoJSON` writes them.

extension Lexstat__V1__Bound {
    var name: String {
        switch self {
        case LEXSTAT__V1__BOUND__BOUND_APPROX: return "approx"
        case LEXSTAT__V1__BOUND__BOUND_AT_LEAST: return "at_least"
        case LEXSTAT__V1__BOUND__BOUND_AT_MOST: return "at_most"
        default: return "exact"
        }
    }

    /// The sign written before a value: ≈ ≥ ≤, or nothing for an exact figure.
    var marker: String {
        switch self {
        case LEXSTAT__V1__BOUND__BOUND_APPROX: return "≈"
        case LEXSTAT__V1__BOUND__BOUND_AT_LEAST: return "≥"
        case LEXSTAT__V1__BOUND__BOUND_AT_MOST: return "≤"
        default: return ""
        }
    }
}

extension Lexstat__V1__ObservationKind {
    var name: String {
        switch self {
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_ACTUAL: return "actual"
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_TARGET: return "target"
        case LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_CHANGE: return "change"
        default: return ""
        }
    }
}

extension Lexstat__V1__RegionLevel {
    var name: String {
        switch self {
        case LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_PROVINCE: return "province"
        case LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_CITY: return "city"
        case LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY: return "county"
        default: return ""
        }
    }
}

extension Lexstat__V1__Polarity {
    var name: String {
        switch self {
        case LEXSTAT__V1__POLARITY__POLARITY_HIGHER_IS_BETTER: return "higher_is_better"
        case LEXSTAT__V1__POLARITY__POLARITY_LOWER_IS_BETTER: return "lower_is_better"
        case LEXSTAT__V1__POLARITY__POLARITY_NEUTRAL: return "neutral"
        default: return ""
        }
    }

    /// For people: "higher is better".
    var phrase: String { name.replacingOccurrences(of: "_", with: " ") }
}

extension Lexstat__V1__Aggregation {
    var name: String {
        switch self {
        case LEXSTAT__V1__AGGREGATION__AGGREGATION_SUM: return "sum"
        case LEXSTAT__V1__AGGREGATION__AGGREGATION_NONE: return "none"
        default: return ""
        }
    }
}

extension Lexstat__V1__ReportKind {
    var name: String {
        switch self {
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_ANNUAL_SUMMARY: return "annual_summary"
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_RULE_OF_LAW_REPORT: return "rule_of_law_report"
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_HIGHLIGHTS: return "highlights"
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_MEETING_NEWS: return "meeting_news"
        case LEXSTAT__V1__REPORT_KIND__REPORT_KIND_OTHER: return "other"
        default: return ""
        }
    }
}

extension Lexstat__V1__SectionClass {
    var name: String {
        switch self {
        case LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_RESULTS: return "results"
        case LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_PLANS: return "plans"
        case LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_SHORTCOMINGS: return "shortcomings"
        case LEXSTAT__V1__SECTION_CLASS__SECTION_CLASS_OTHER: return "other"
        default: return ""
        }
    }
}

extension Lexstat__V1__TargetStatus {
    var name: String {
        switch self {
        case LEXSTAT__V1__TARGET_STATUS__TARGET_STATUS_MET: return "met"
        case LEXSTAT__V1__TARGET_STATUS__TARGET_STATUS_MISSED: return "missed"
        case LEXSTAT__V1__TARGET_STATUS__TARGET_STATUS_NO_DATA: return "no_data"
        default: return ""
        }
    }
}
