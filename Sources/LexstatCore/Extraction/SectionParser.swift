/// Splits a report into sections and classes each one.
///
/// Line headings (`一、`, `（一）`, `1.`, `（1）`) open a section at the start of a
/// line; `一是`, `二是` open one inside a paragraph after a sentence end. Sections
/// nest by marker level. A section whose heading has no class word inherits its
/// parent's class. A paragraph that opens the next year's plan (`2024年，…`,
/// `下一步，…`) turns what follows into plans until a new top-level results
/// or shortcomings heading.
struct SectionParser: Sendable {
    struct Node: Sendable {
        var marker: Section.Marker
        var ordinal: Int
        var start: Int
        var titleRange: Range<Int>
        var end: Int
        var parent: Int?
        var kind: Section.Kind
    }

    /// The parsed sections, flat, in text order.
    var nodes: [Node] = []
    /// The class of the text at the start of each line of the layout.
    var lineKinds: [Section.Kind] = []

    static let planWords: [[UInt32]] = ["思路", "安排", "展望", "下一步", "下步", "计划", "打算", "设想", "今后", "下一年", "明年",
                                        "目标任务", "工作要点", "努力方向", "工作目标", "主要目标", "下阶段", "下一阶段", "下季度",
                                        "下一季度"].map(Scalars.of)
    /// Plan words that hold in a sub-heading too; `计划` alone there is often a
    /// programme's name (实施人才培养计划), not the plan part of the report.
    static let strongPlanWords: [[UInt32]] = ["下一步", "下步工作", "下一年", "明年", "展望", "工作安排", "工作思路", "工作计划", "工作打算",
                                              "目标任务", "努力方向", "工作要点", "下阶段", "下一阶段", "下季度", "下一季度"].map(Scalars.of)
    static let shortcomingWords: [[UInt32]] = ["不足", "问题", "短板", "差距", "困难"].map(Scalars.of)
    static let resultWords: [[UInt32]] = ["成效", "工作情况", "总结", "主要举措", "主要做法", "成绩", "成果", "取得", "完成情况", "开展情况", "回顾", "亮点", "进展", "做法"].map(Scalars.of)
    /// Heading words that report on a plan's execution, whatever plan words they hold.
    static let reviewWords: [[UInt32]] = ["完成情况", "落实情况", "进展情况", "执行情况", "推进情况"].map(Scalars.of)
    static let planOpeners: [[UInt32]] = ["下一步", "明年", "今后", "展望"].map(Scalars.of)

    /// The class named by a heading's words.
    static func classify(_ u: [UInt32], _ r: Range<Int>, level: Int = 1, nextYear: [UInt32]? = nil,
                         partEnd: Int? = nil) -> Section.Kind? {
        if let ny = nextYear, Scalars.contains(u, ny, in: r) { return .plans }   // 三、2024年重点工作
        // 一、2023年目标任务完成情况: a review of the plan is a result.
        for w in reviewWords where Scalars.contains(u, w, in: r) { return .results }
        if let end = partEnd, namesLaterPart(u, r, than: end) { return .plans }  // 四、第四季度工作要求 in a Q3 report
        for w in (level == 1 ? planWords : strongPlanWords) where Scalars.contains(u, w, in: r) { return .plans }
        for w in shortcomingWords where Scalars.contains(u, w, in: r) { return .shortcomings }
        for w in resultWords where Scalars.contains(u, w, in: r) { return .results }
        return nil
    }

    /// Whether `r` names a part of the year after the month `end` with which the
    /// report's part ends: 第四季度 or 四季度 after the third quarter, 下半年 after
    /// the first half (前三季度 ends with the report's part, so it is none).
    static func namesLaterPart(_ u: [UInt32], _ r: Range<Int>, than end: Int) -> Bool {
        if end <= 6, Scalars.contains(u, secondHalf, in: r) { return true }
        var from = r.lowerBound
        while let p = Scalars.find(u, YearGuesser.quarter, in: from..<r.upperBound) {
            from = p + 1
            guard p > r.lowerBound, let q = ChineseNumerals.digit(u[p - 1]) ?? (Scalars.isDigit(u[p - 1]) ? Scalars.digitValue(u[p - 1]) : nil),
                  (1...4).contains(q) else { continue }
            if p - 2 >= r.lowerBound, u[p - 2] == 0x524D /* 前 */ { continue }
            if q * 3 > end { return true }
        }
        return false
    }

    static let secondHalf = Scalars.of("下半年")

    init(_ u: [UInt32], layout: PageLayout, year: Int?, partEnd: Int? = nil) {
        // 1. Headings.
        var found: [Node] = []
        for line in layout.lines {
            let t = PageLayout.trim(u, line)
            guard !t.isEmpty, layout.marks[t.lowerBound] == .text else { continue }
            if let (m, ord, after) = SectionParser.lineHeading(u, t) {
                found.append(Node(marker: m, ordinal: ord, start: t.lowerBound,
                                  titleRange: after..<SectionParser.titleEnd(u, after, t.upperBound),
                                  end: u.count, parent: nil, kind: .other))
            }
            // Inline 一是 … 十是 after a sentence end or at the line start.
            var i = t.lowerBound
            while i < t.upperBound - 2 {
                let c = u[i]
                if ChineseNumerals.digit(c) != nil || c == ChineseNumerals.ten {
                    let prev: UInt32 = i == t.lowerBound ? 0x0A : u[i - 1]
                    let atStart = i == t.lowerBound || prev == 0x3002 || prev == 0xFF1B || prev == 0xFF1A || prev == 0x3B
                        || prev == 0xFF09 || prev == 0x29
                    if atStart, let (ord, len) = ChineseNumerals.smallOrdinal(u, i), i + len < t.upperBound,
                       u[i + len] == 0x662F /* 是 */, i + len + 1 < t.upperBound, Scalars.isHan(u[i + len + 1]) {
                        let after = i + len + 1
                        // An inline section ends with its paragraph at the latest.
                        found.append(Node(marker: .inline, ordinal: ord, start: i,
                                          titleRange: after..<SectionParser.titleEnd(u, after, t.upperBound),
                                          end: t.upperBound, parent: nil, kind: .other))
                        i = after
                        continue
                    }
                }
                i += 1
            }
        }
        found.sort { $0.start < $1.start }

        // 2. Nesting and ends.
        var stack: [Int] = []
        for k in found.indices {
            let level = found[k].marker.level
            while let top = stack.last, found[top].marker.level >= level || found[top].end <= found[k].start {
                found[top].end = min(found[top].end, found[k].start)
                stack.removeLast()
            }
            found[k].parent = stack.last
            stack.append(k)
        }

        // 3. Classes, with the plan shift.
        var lineKinds = [Section.Kind](repeating: .other, count: layout.lines.count)
        var inPlan = false       // from a plan opener to a new top-level results heading
        var inLocalPlan = false  // from a 下一步 sentence closing a results section to the next heading
        var inPlanPart = false   // from 第二部分 …工作安排 to the next part heading
        var next = 0
        var open: [Int] = []
        let nextYear = year.map { Scalars.of(String($0 + 1) + "年") }
        for (li, line) in layout.lines.enumerated() {
            let t = PageLayout.trim(u, line)
            // 第一部分 2023年工作回顾 / 第二部分 2024年工作安排: parts above the 一、 headings.
            if !t.isEmpty, layout.marks[t.lowerBound] == .text, let part = SectionParser.partHeading(u, t, nextYear: nextYear) {
                inPlanPart = part == .plans
                inPlan = false
                inLocalPlan = false
            }
            // Headings starting on this line (line headings only: they set the line's class).
            while next < found.count, found[next].start < line.upperBound || (t.isEmpty && found[next].start <= line.upperBound) {
                let k = next
                next += 1
                while let top = open.last, found[top].end <= found[k].start { open.removeLast() }
                let own = SectionParser.classify(u, found[k].titleRange, level: found[k].marker.level, nextYear: nextYear,
                                                 partEnd: partEnd)
                if found[k].marker.level == 1, let own, own != .plans { inPlan = false }
                let parentKind = found[k].parent.map { found[$0].kind }
                if inPlan || inPlanPart || parentKind == .plans {
                    found[k].kind = .plans                                   // a plan's parts stay plans
                } else if let own {
                    found[k].kind = own
                } else if let p = found[k].parent {
                    found[k].kind = found[p].kind
                }
                if found[k].marker != .inline { open.append(k); inLocalPlan = false }
            }
            while let top = open.last, found[top].end <= line.lowerBound { open.removeLast() }
            let current = open.last.map { found[$0].kind }
            if !t.isEmpty, layout.marks[t.lowerBound] == .text, !inPlan, current != .plans {
                switch SectionParser.opensPlan(u, t, nextYear: nextYear) {
                case .some(true): inPlan = true
                case .some(false):
                    // 下一步… at the end of a results section speaks for that section only,
                    // unless it introduces a list of tasks (…以下工作：).
                    if current == .results && !SectionParser.introducesList(u, t) { inLocalPlan = true } else { inPlan = true }
                case .none: break
                }
            }
            lineKinds[li] = inPlan || inLocalPlan || inPlanPart ? .plans : (current ?? .other)
        }
        self.nodes = found
        self.lineKinds = lineKinds
    }

    /// The class of a part heading line (`第二部分 2024年工作安排`), or nil when the
    /// line is no part heading or its words name no class.
    static func partHeading(_ u: [UInt32], _ t: Range<Int>, nextYear: [UInt32]?) -> Section.Kind? {
        guard t.count <= 40, u[t.lowerBound] == 0x7B2C /* 第 */,
              let (_, len) = ChineseNumerals.smallOrdinal(u, t.lowerBound + 1) else { return nil }
        let k = t.lowerBound + 1 + len
        guard Scalars.has(u, part, at: k) else { return nil }
        let kind = classify(u, (k + part.count)..<t.upperBound, level: 1, nextYear: nextYear)
        return kind ?? .other
    }

    static let part = Scalars.of("部分")

    /// Whether a paragraph ends with a colon or announces what follows (以下).
    static func introducesList(_ u: [UInt32], _ t: Range<Int>) -> Bool {
        let last = u[t.upperBound - 1]
        return last == 0xFF1A || last == 0x3A || Scalars.contains(u, following, in: t)
    }

    static let following = Scalars.of("以下")

    /// Whether a paragraph opens the plan for the next period: true when it
    /// opens with the next year, false when with 下一步/明年/今后/展望, nil when not.
    static func opensPlan(_ u: [UInt32], _ t: Range<Int>, nextYear: [UInt32]?) -> Bool? {
        for w in planOpeners where Scalars.has(u, w, at: t.lowerBound) { return false }
        if let ny = nextYear, Scalars.has(u, ny, at: t.lowerBound) {
            let k = t.lowerBound + ny.count
            // `2024年，…`, `2024年司法行政工作的思路是…`; not a date such as `2024年1月`.
            if k < t.upperBound, !Scalars.isDigit(u[k]), ChineseNumerals.digit(u[k]) == nil, u[k] != ChineseNumerals.ten {
                return true
            }
        }
        return nil
    }

    /// A line heading at the start of a trimmed line: marker, ordinal, where the title starts.
    static func lineHeading(_ u: [UInt32], _ t: Range<Int>) -> (Section.Marker, Int, Int)? {
        let a = t.lowerBound
        let c = u[a]
        // 一、
        if let (ord, len) = ChineseNumerals.smallOrdinal(u, a), a + len < t.upperBound {
            let d = u[a + len]
            if d == 0x3001 || d == 0xFF0E { return (.chineseComma, ord, a + len + 1) }
        }
        // （一） (一) （1） (1)
        if c == 0xFF08 || c == 0x28 {
            if let (ord, len) = ChineseNumerals.smallOrdinal(u, a + 1), a + 1 + len < t.upperBound,
               u[a + 1 + len] == 0xFF09 || u[a + 1 + len] == 0x29 {
                return (.chineseParen, ord, a + len + 2)
            }
            var k = a + 1, v = 0
            while k < t.upperBound, Scalars.isDigit(u[k]), k - a <= 3 { v = v * 10 + Scalars.digitValue(u[k]); k += 1 }
            if k > a + 1, k < t.upperBound, u[k] == 0xFF09 || u[k] == 0x29 { return (.arabicParen, v, k + 1) }
        }
        // 1. 1、 1．
        if Scalars.isDigit(c) {
            var k = a, v = 0
            while k < t.upperBound, Scalars.isDigit(u[k]), k - a < 3 { v = v * 10 + Scalars.digitValue(u[k]); k += 1 }
            if k < t.upperBound - 1, u[k] == 0x2E || u[k] == 0x3001 || u[k] == 0xFF0E,
               !Scalars.isDigit(u[k + 1]) { return (.arabic, v, k + 1) }
        }
        return nil
    }

    /// End of a heading's title: its first sentence, at most 60 code points.
    static func titleEnd(_ u: [UInt32], _ a: Int, _ limit: Int) -> Int {
        var k = a
        while k < limit, k - a < 60 {
            let c = u[k]
            if c == 0x3002 || c == 0xFF1B || c == 0x3B || c == 0xFF1A || Scalars.isNewline(c) { break }
            k += 1
        }
        return k
    }

    /// The public tree.
    func tree(_ u: [UInt32]) -> [Section] {
        var children = [[Int]](repeating: [], count: nodes.count)
        var roots: [Int] = []
        for (k, n) in nodes.enumerated() {
            if let p = n.parent { children[p].append(k) } else { roots.append(k) }
        }
        func build(_ k: Int) -> Section {
            let n = nodes[k]
            return Section(marker: n.marker, ordinal: n.ordinal, title: Scalars.string(u, n.titleRange), kind: n.kind,
                           start: n.start, end: n.end, children: children[k].map(build))
        }
        return roots.map(build)
    }
}
