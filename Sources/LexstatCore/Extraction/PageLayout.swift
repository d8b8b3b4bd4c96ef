/// Finds the parts of a scraped page that are not report text: page
/// furniture (menus, breadcrumbs, 返回顶部, 字号, 打印/关闭, metadata tables)
/// and text repeated because the page was saved twice.
///
/// Nothing is removed: the layout marks ranges, so that code-point offsets
/// keep indexing the decoded original text.
struct PageLayout: Sendable {
    /// What a code point is.
    enum Mark: UInt8 { case text = 0, furniture = 1, repeated = 2 }

    /// One mark per code point of the text.
    var marks: [Mark]
    /// Line ranges (without the line break), in order.
    var lines: [Range<Int>]
    /// Remarks for the user.
    var notes: [String]

    /// Sentences shorter than this are never called repeated text.
    static let minRepeatedLine = 15

    /// Ends a unit of the repeat check: 。！？ or a line break.
    @inline(__always) static func endsUnit(_ c: UInt32) -> Bool {
        c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0x0A || c == 0x0D
    }

    static let furnitureWords: [[UInt32]] = [
        "返回顶部", "打印本页", "关闭窗口", "【打印】", "【关闭】", "[打印]", "[关闭]", "字号", "字体",
        "当前位置", "当前的位置", "您现在的位置", "您所在的位置", "所在位置", "分享到", "扫一扫",
        "上一篇", "下一篇", "浏览次数", "阅读次数", "访问量", "点击数", "版权所有", "主办单位", "承办单位",
        "ICP备", "网站标识码", "技术支持", "网站地图", "联系我们", "索引号", "发布机构", "生成日期",
        "组配分类", "公开方式", "公开时限", "文号",
    ].map(Scalars.of)
    /// Furniture phrases removed wherever they stand, even inside a text line.
    static let inlineFurniture: [[UInt32]] = ["返回顶部", "打印本页", "关闭窗口", "【打印】", "【关闭】", "【返回顶部】"].map(Scalars.of)
    /// Line starts of page metadata, e.g. `日期: 2024-03-28`.
    static let metadataStarts: [[UInt32]] = ["日期", "发布日期", "发布时间", "来源", "信息来源", "作者", "时间", "浏览", "点击"].map(Scalars.of)
    static let home = Scalars.of("首页")
    static let metadataWords: [[UInt32]] = ["索引号", "发布机构", "生成日期", "组配分类", "公开方式", "文号", "主题分类",
                                            "发文机关", "成文日期", "发布日期", "有效性", "公开时限", "信息分类"].map(Scalars.of)

    init(_ u: [UInt32]) {
        marks = [Mark](repeating: .text, count: u.count)
        lines = []
        notes = []
        var start = 0
        for i in 0..<u.count where Scalars.isNewline(u[i]) {
            lines.append(start..<i)
            start = i + 1
        }
        if start < u.count { lines.append(start..<u.count) }

        var furnitureLines = 0
        for r in lines {
            let t = PageLayout.trim(u, r)
            if t.isEmpty { continue }
            if PageLayout.isFurniture(u, t) {
                for i in t { marks[i] = .furniture }
                furnitureLines += 1
                continue
            }
            for w in PageLayout.inlineFurniture {
                var i = t.lowerBound
                while let p = Scalars.find(u, w, in: i..<t.upperBound) {
                    for k in p..<(p + w.count) { marks[k] = .furniture }
                    i = p + w.count
                }
            }
        }
        if furnitureLines > 0 { notes.append("skipped \(furnitureLines) line(s) of page furniture") }

        // Repeated text: a sentence already seen (the whole page saved twice,
        // with or without the same line breaks).
        var seen = Set<[UInt32]>()
        var repeated = 0
        var a = 0
        for k in 0...u.count {
            guard k == u.count || PageLayout.endsUnit(u[k]) else { continue }
            let t = PageLayout.trim(u, a..<k)
            a = k + 1
            guard t.count >= PageLayout.minRepeatedLine, marks[t.lowerBound] == .text else { continue }
            if !seen.insert(Array(u[t])).inserted {
                for i in t.lowerBound..<min(u.count, t.upperBound + 1) where marks[i] == .text { marks[i] = .repeated }
                repeated += 1
            }
        }
        if repeated > 0 { notes.append("skipped \(repeated) repeated sentence(s): text saved more than once is read once") }
    }

    /// The range without leading and trailing white space.
    static func trim(_ u: [UInt32], _ r: Range<Int>) -> Range<Int> {
        var a = r.lowerBound, b = r.upperBound
        while a < b, Scalars.isSpace(u[a]) { a += 1 }
        while b > a, Scalars.isSpace(u[b - 1]) { b -= 1 }
        return a..<b
    }

    /// Whether a trimmed line is page furniture. Conservative: long lines of
    /// prose are never furniture, whatever words they hold.
    static func isFurniture(_ u: [UInt32], _ t: Range<Int>) -> Bool {
        var bars = 0, spaces = 0, sentencePunct = 0, digits = 0
        for i in t {
            if Scalars.isDigit(u[i]) { digits += 1 }
            switch u[i] {
            case 0x7C, 0xFF5C: bars += 1
            case 0x20, 0x3000, 0x09: spaces += 1
            case 0x3002, 0xFF0C, 0xFF1B: sentencePunct += 1
            default: break
            }
        }
        // A metadata table (索引号 | … | 发布机构 | …), not a table of figures.
        if bars >= 2 && t.count <= 200 && (digits == 0 || metadataWords.contains { Scalars.contains(u, $0, in: t) }) { return true }
        if t.count <= 40 {
            for w in furnitureWords where Scalars.contains(u, w, in: t) { return true }
        }
        // 发布时间：2024-01-01 来源：… 浏览次数：356
        if t.count <= 100 && sentencePunct == 0 {
            for w in metadataStarts where Scalars.has(u, w, at: t.lowerBound) {
                let k = t.lowerBound + w.count
                if k < t.upperBound, [0x3A, 0xFF1A].contains(u[k]) || Scalars.isSpace(u[k]) { return true }
            }
        }
        // A menu: several short words separated by spaces, no sentence punctuation.
        if sentencePunct == 0 && spaces >= 2 && t.count <= 80 && digits == 0 {
            var tokens = 0, longest = 0, run = 0
            for i in t {
                if Scalars.isSpace(u[i]) {
                    if run > 0 { tokens += 1; longest = max(longest, run) }
                    run = 0
                } else { run += 1 }
            }
            if run > 0 { tokens += 1; longest = max(longest, run) }
            if longest <= 6 && (tokens >= 5 || (tokens >= 3 && Scalars.contains(u, home, in: t))) { return true }
        }
        return false
    }
}
