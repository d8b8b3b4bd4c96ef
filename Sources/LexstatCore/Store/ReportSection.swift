/// A section of a report (一、 (一) 一是 …), as offsets into its text.
public struct ReportSection: Hashable, Sendable, Codable {
    /// What a section holds, as far as its heading tells.
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// 成效, 工作情况, 总结.
        case results
        /// 思路, 安排, 展望, 下一步.
        case plans
        /// 不足, 问题.
        case shortcomings
        case other
    }

    public var heading: String
    /// 1 for 一、, 2 for (一), 3 for 一是 …
    public var depth: Int
    /// Unicode code points into the report text, end exclusive.
    public var start: Int
    public var end: Int
    public var role: Role
    /// Index of the enclosing section in the report's list, -1 at the top level.
    public var parent: Int

    public init(heading: String, depth: Int, start: Int, end: Int, role: Role = .other, parent: Int = -1) {
        self.heading = heading
        self.depth = depth
        self.start = start
        self.end = end
        self.role = role
        self.parent = parent
    }
}
