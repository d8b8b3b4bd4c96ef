/// Guesses the year a report is about when the caller does not know it.
///
/// In order: the year in a title-like line (`2023年法治政府建设情况报告`,
/// `2022年…工作总结`); a paragraph opening with `2024年以来` or `2024年，`; the
/// most frequent year in the text, the earlier one on a tie.
enum YearGuesser {
    static let titleWords: [[UInt32]] = ["总结", "报告", "工作情况", "述职", "年报", "亮点", "成效", "回顾"].map(Scalars.of)
    static let nian: UInt32 = 0x5E74 // 年

    /// A four-digit year followed by 年 at `i`, or nil.
    static func year(_ u: [UInt32], at i: Int) -> Int? {
        guard i + 4 < u.count, u[i + 4] == nian, i == 0 || !Scalars.isDigit(u[i - 1]) else { return nil }
        var v = 0
        for k in i..<(i + 4) {
            guard Scalars.isDigit(u[k]) else { return nil }
            v = v * 10 + Scalars.digitValue(u[k])
        }
        return (1990...2100).contains(v) ? v : nil
    }

    static func guess(_ u: [UInt32], layout: PageLayout) -> (year: Int, how: String)? {
        var seenLines = 0
        for line in layout.lines {
            let t = PageLayout.trim(u, line)
            guard !t.isEmpty, layout.marks[t.lowerBound] == .text else { continue }
            seenLines += 1
            if seenLines > 25 { break }
            guard t.count <= 80, titleWords.contains(where: { Scalars.contains(u, $0, in: t) }) else { continue }
            for i in t where u[i] >= 0x31 && u[i] <= 0x32 {
                let before: UInt32 = i > 0 ? u[i - 1] : 0
                if before == 0x2014 || before == 0x2013 || before == 0x2D || before == 0x81F3 /* 至 */ || before == 0xFF5E { continue }
                if let y = year(u, at: i) { return (y, "the year of the title line") }
            }
        }
        seenLines = 0
        for line in layout.lines {
            let t = PageLayout.trim(u, line)
            guard !t.isEmpty, layout.marks[t.lowerBound] == .text else { continue }
            seenLines += 1
            if seenLines > 40 { break }
            if let y = year(u, at: t.lowerBound), t.lowerBound + 5 < t.upperBound {
                let c = u[t.lowerBound + 5]
                if c == 0x4EE5 /* 以 */ || c == 0xFF0C || c == 0x2C || c == 0x5EA6 /* 度 */ || c == 0x5168 /* 全 */ {
                    return (y, "a paragraph opening with the year")
                }
            }
        }
        var counts: [Int: Int] = [:]
        var i = 0
        while i + 4 < u.count {
            if Scalars.isDigit(u[i]), layout.marks[i] == .text, let y = year(u, at: i) { counts[y, default: 0] += 1; i += 5 } else { i += 1 }
        }
        // On a tie the earlier year: the later one is usually the plan's.
        guard let top = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) else { return nil }
        return (top.key, "the most frequent year in the text")
    }
}
