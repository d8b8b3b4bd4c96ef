/// A section of a report, found from its heading (`一、`, `（一）`, `1.`, `（1）`, `一是`).
public struct Section: Sendable, Hashable, Codable {
    /// What a section is about, from the words of its heading.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Work done and results: 成效, 工作情况, 总结, 主要举措.
        case results
        /// Plans for a later period: 思路, 安排, 展望, 下一步, 计划.
        case plans
        /// Shortcomings: 不足, 问题.
        case shortcomings
        case other
    }

    /// The heading style, from the outermost to the innermost.
    public enum Marker: String, Sendable, Codable, CaseIterable {
        /// `一、`
        case chineseComma = "一、"
        /// `（一）` or `(一)`
        case chineseParen = "（一）"
        /// `1.` or `1、`
        case arabic = "1."
        /// `（1）` or `(1)`
        case arabicParen = "（1）"
        /// `一是`, inside a paragraph
        case inline = "一是"

        /// Nesting depth, 1 for `一、`.
        public var level: Int {
            switch self {
            case .chineseComma: return 1
            case .chineseParen: return 2
            case .arabic: return 3
            case .arabicParen: return 4
            case .inline: return 5
            }
        }
    }

    public var marker: Marker
    /// The ordinal the heading shows (`三、` is 3).
    public var ordinal: Int
    /// The heading text after the marker, up to the end of its first sentence.
    public var title: String
    public var kind: Kind
    /// Start of the heading, in code points of the extraction's text.
    public var start: Int
    /// End of the section (exclusive): where the next heading at the same or an outer level starts.
    public var end: Int
    public var children: [Section]

    public init(marker: Marker, ordinal: Int, title: String, kind: Kind, start: Int, end: Int, children: [Section] = []) {
        self.marker = marker
        self.ordinal = ordinal
        self.title = title
        self.kind = kind
        self.start = start
        self.end = end
        self.children = children
    }
}
