/// Guesses the year a report is about when the caller does not know it.
///
/// In order: the year in a title-like line (`2023年法治政府建设情况报告`,
/// `2022年…工作总结`); a paragraph opening with `2024年以来` or `2024年，`; the
/// most frequent year in the text, the earlier one on a tie.
enum YearGuesser {
    static let titleWords: [[UInt32]] = ["总结", "报告", "工作情况", "述职", "年报", "亮点", "成效", "回顾", "通报", "进展情况",
                                          "工作要点", "工作计划", "工作思路", "工作安排"].map(Scalars.of)
    /// Titles of a document that is a plan throughout (2024年全市司法行政工作要点).
    static let planGenres: [[UInt32]] = ["工作要点", "工作计划", "工作思路", "工作安排", "工作打算", "实施方案", "行动方案",
                                         "任务清单", "重点任务"].map(Scalars.of)
    /// Title words of a document reporting results, alone or with its plan.
    static let resultGenres: [[UInt32]] = ["总结", "报告", "情况", "回顾", "成效", "亮点", "述职", "通报"].map(Scalars.of)
    static let quarter = Scalars.of("季度")
    static let half = Scalars.of("半年")
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

    static let publishedWords: [[UInt32]] = ["发布时间", "发布日期", "成文日期", "发文日期", "印发日期"].map(Scalars.of)

    /// The year the text was written in: from a publication line near its top
    /// (`发布时间：2024-02-26`, page furniture or not), else from a signing date
    /// closing it (`2025年1月20日`, `二〇二五年一月二十日`). What 今年 means there.
    static func writtenIn(_ u: [UInt32], layout: PageLayout) -> Int? {
        for line in layout.lines.prefix(15) {
            for w in publishedWords {
                guard let p = Scalars.find(u, w, in: line) else { continue }
                var k = p + w.count
                while k < line.upperBound, k - p < w.count + 4, !Scalars.isDigit(u[k]) { k += 1 }
                if let y = leadingYear(u, k, line.upperBound) { return y }
            }
        }
        for line in layout.lines.reversed() {
            let t = PageLayout.trim(u, line)
            if t.isEmpty { continue }
            guard t.count <= 16, u[t.upperBound - 1] == 0x65E5 /* 日 */ || u[t.upperBound - 1] == 0x53F7 /* 号 */ else { return nil }
            return leadingYear(u, t.lowerBound, t.upperBound)
        }
        return nil
    }

    /// A year of four digits (Arabic or 二〇二五) at `k`, followed by 年, -, / or `.`.
    static func leadingYear(_ u: [UInt32], _ k: Int, _ limit: Int) -> Int? {
        guard k + 4 < limit else { return nil }
        var v = 0
        for i in k..<(k + 4) {
            if Scalars.isDigit(u[i]) { v = v * 10 + Scalars.digitValue(u[i]) }
            else if let d = ChineseNumerals.digit(u[i]), u[i] != 0x4E24 /* 两 */ { v = v * 10 + d }
            else { return nil }
        }
        let next = u[k + 4]
        guard next == nian || next == 0x2D || next == 0x2F || next == 0x2E || next == 0xFF0D || next == 0xFF0F else { return nil }
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
                // 2024年1月18日，…总结2023年工作: a date says when, not what the report is about.
                if i + 5 < t.upperBound, Scalars.isDigit(u[i + 5]) || ChineseNumerals.digit(u[i + 5]) != nil || u[i + 5] == ChineseNumerals.ten,
                   !partOfYear(u, after: i + 5, limit: t.upperBound) { continue }
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

    /// Whether the report covers part of a year: its title names a quarter,
    /// a half or months after the year (`2024年第三季度…通报`, `2024年上半年工作总结`,
    /// `2024年1—9月…情况`). Such a report's plan is for the rest of the same year.
    static func coversPartOfYear(_ u: [UInt32], layout: PageLayout) -> Bool {
        partOfYearEnd(u, layout: layout) != nil
    }

    /// The month with which the part of the year a report covers ends
    /// (`2024年第三季度…通报` 9, `2024年上半年工作总结` 6, `2024年1—9月…情况` 9),
    /// or nil when the title names no part of the year.
    static func partOfYearEnd(_ u: [UInt32], layout: PageLayout) -> Int? {
        var seenLines = 0
        for line in layout.lines {
            let t = PageLayout.trim(u, line)
            guard !t.isEmpty, layout.marks[t.lowerBound] == .text else { continue }
            seenLines += 1
            if seenLines > 25 { break }
            guard t.count <= 80, titleWords.contains(where: { Scalars.contains(u, $0, in: t) }) else { continue }
            var i = t.lowerBound
            while i + 4 < t.upperBound {
                if Scalars.isDigit(u[i]), year(u, at: i) != nil, partOfYear(u, after: i + 5, limit: t.upperBound) {
                    return endMonth(u, after: i + 5, limit: t.upperBound) ?? 12
                }
                i += 1
            }
            return nil // the first title line decides
        }
        return nil
    }

    /// The last month of the part of a year named at `k` (上半年 6, 第三季度 9,
    /// 前三季度 9, 1—9月 9, 6月份 6, 下半年 12), or nil.
    static func endMonth(_ u: [UInt32], after k: Int, limit: Int) -> Int? {
        guard k < limit else { return nil }
        if Scalars.has(u, half, at: k) { return 6 }                                       // 半年
        if Scalars.has(u, half, at: k + 1) { return u[k] == 0x4E0B /* 下 */ ? 12 : 6 }   // 上半年, 下半年
        var e = k
        if u[e] == 0x7B2C /* 第 */ || u[e] == 0x524D /* 前 */ { e += 1 }
        var from = e
        while e < limit, e - k < 8 {
            let c = u[e]
            if [0x2014, 0x2013, 0x2D, 0xFF0D, 0x81F3, 0x7E, 0xFF5E].contains(c) { from = e + 1 }
            else if !(Scalars.isDigit(c) || ChineseNumerals.digit(c) != nil || c == ChineseNumerals.ten) { break }
            e += 1
        }
        guard e > from else { return nil }
        var n = 0
        if Scalars.isDigit(u[from]) {
            for j in from..<e { guard Scalars.isDigit(u[j]) else { return nil }; n = n * 10 + Scalars.digitValue(u[j]) }
        } else {
            guard let v = ChineseNumerals.value(u, from..<e) else { return nil }
            n = Int(v)
        }
        guard n > 0 else { return nil }
        if Scalars.has(u, quarter, at: e) { return n <= 4 ? n * 3 : nil }
        if e < limit, u[e] == 0x6708 /* 月 */ { return n <= 12 ? n : nil }
        return nil
    }

    /// Whether the words at `k`, just after `2024年`, name part of the year.
    static func partOfYear(_ u: [UInt32], after k: Int, limit: Int) -> Bool {
        guard k < limit else { return false }
        if Scalars.has(u, half, at: k) || Scalars.has(u, half, at: k + 1) { return true }       // 半年, 上半年
        var e = k
        if u[e] == 0x7B2C /* 第 */ || u[e] == 0x524D /* 前 */ { e += 1 }
        let digits = e
        while e < limit, e - digits < 6, Scalars.isDigit(u[e]) || ChineseNumerals.digit(u[e]) != nil
                || [0x2014, 0x2013, 0x2D, 0xFF0D, 0x81F3, 0x7E, 0xFF5E].contains(u[e]) { e += 1 }
        guard e > digits else { return false }
        if Scalars.has(u, quarter, at: e) { return true }                                       // 第三季度, 一季度
        if e < limit, u[e] == 0x6708 /* 月 */ {                                                  // 1—9月, 6月份; not 1月13日
            let next: UInt32 = e + 1 < limit ? u[e + 1] : 0x0A
            return !Scalars.isDigit(next) && ChineseNumerals.digit(next) == nil && next != 0x65E5 /* 日 */ && next != 0x53F7 /* 号 */
                && next != ChineseNumerals.ten
        }
        return false
    }

    /// Whether the document is a plan throughout: its title (the first short
    /// line with a title word) names a plan and no report of results. Its figures
    /// are goals for the year it names.
    static func isPlanDocument(_ u: [UInt32], layout: PageLayout) -> Bool {
        var seenLines = 0
        for line in layout.lines {
            let t = PageLayout.trim(u, line)
            guard !t.isEmpty, layout.marks[t.lowerBound] == .text else { continue }
            seenLines += 1
            if seenLines > 10 { break }
            guard t.count <= 80, titleWords.contains(where: { Scalars.contains(u, $0, in: t) }) else { continue }
            return planGenres.contains(where: { Scalars.contains(u, $0, in: t) })
                && !resultGenres.contains(where: { Scalars.contains(u, $0, in: t) })
        }
        return false
    }
}
