/// Works out, for a figure accepted as a mention, its subject and quote, its
/// kind (actual, target, change with its sign), its period and `change_of`.
struct MentionAnalyzer: Sendable {
    static let leading: [[UInt32]] = ["及时", "推动", "实现", "争取", "力争", "确保", "深入", "创新", "推进", "今年以来", "年初以来", "一年来", "本年度", "本季度", "本月", "全年共", "今年", "全年", "年内", "当年", "共计", "累计",
                                      "合计", "总计", "先后", "其中", "同时", "另外", "此外", "目前", "现有", "全省", "全市", "全区", "全县",
                                      "全州", "全旗", "以及", "共", "并", "还", "已", "分别", "和", "及", "与"].map(Scalars.of)
    static let trailing: [[UInt32]] = ["由上年的", "由去年的", "从上年的", "从去年的", "分别为", "提升至", "提高到", "提升到", "上升至", "下降至", "均为", "达到", "高达", "多达",
                                       "已达", "增至", "降至", "共计", "累计", "总计", "合计", "达", "为", "共", "计", "约",
                                       "了", "是", "有", "近", "超", "分别"].map(Scalars.of)
    static let comparisonCues: [[UInt32]] = ["同比", "环比"].map(Scalars.of)
    /// Earlier periods a figure is set against after 较/比/与/同 (较上年, 比去年同期,
    /// 与上年同期相比, 较年初, 比上季度; 较2023年 is read as a year).
    static let earlierPeriods: [[UInt32]] = ["上年", "去年", "上一年", "前一年", "前年", "同期", "上季度", "上一季度", "上个季度",
                                             "上月", "上个月", "上一个月", "年初", "上半年", "往年", "以往",
                                             "上一届", "上届", "上一批", "上一轮"].map(Scalars.of)
    static let comparers: Set<UInt32> = [0x8F83 /* 较 */, 0x6BD4 /* 比 */, 0x4E0E /* 与 */, 0x540C /* 同 */, 0x548C /* 和 */]
    /// 与去年同期相比，…: a clause that only sets the comparison for the next.
    static let comparedTail: [[UInt32]] = ["相比", "比较", "对比"].map(Scalars.of)
    static let risingVerbs: [[UInt32]] = ["增长", "增加", "上升", "提升", "提高", "上涨", "攀升", "增幅", "增"].map(Scalars.of)
    static let fallingVerbs: [[UInt32]] = ["下降", "减少", "降低", "回落", "下滑", "缩减", "压减", "降幅", "减幅", "降", "减"].map(Scalars.of)
    static let gapChars: Set<UInt32> = [0x4E86 /* 了 */, 0x8FBE /* 达 */, 0x4E3A /* 为 */, 0x81F3 /* 至 */, 0x5230 /* 到 */]
    static let targetCues: [[UInt32]] = ["预计", "目标为", "目标是", "目标到", "计划到"].map(Scalars.of)
    /// Words of striving that set a goal for the rest of their sentence, across
    /// the ，- and 、-joined items it lists (力争全年办理…1万件，纠错率控制在15%以内，培育…2,000名).
    static let strivingCues: [[UInt32]] = ["力争", "争取", "确保", "力求"].map(Scalars.of)
    /// 为确保…, 以确保…: a purpose, not a goal; 确保了: a result.
    static let purposeBefore: Set<UInt32> = [0x4E3A /* 为 */, 0x4EE5 /* 以 */]
    static let reach = Scalars.of("达到")
    static let strive = Scalars.of("争取")
    /// What a bureau obtains (争取…转移支付资金3.8亿元): outside a plan 争取 with one of
    /// these as its object reports what was won, not a goal.
    static let resources: [[UInt32]] = ["资金", "经费", "项目", "支持", "编制"].map(Scalars.of)
    /// Verbs of making after 争取 keep it a goal (争取创建示范项目2个).
    static let makingVerbs: [[UInt32]] = ["创建", "新建", "建成", "新增", "实现", "完成", "达到", "培育", "打造"].map(Scalars.of)
    /// Characters around 要 that make it no modal verb (要求, 要点, 主要, 重要, 需要, 纪要).
    static let notModalYaoAfter: Set<UInt32> = Set("求点素件案闻害务领义旨".unicodeScalars.map(\.value))
    static let notModalYaoBefore: Set<UInt32> = Set("主重需只必首纪概摘提简紧扼显".unicodeScalars.map(\.value))
    /// Words that put a sentence in the next period (新的一年要…增长10%, 明年力争…).
    static let planPhrases: [[UInt32]] = ["明年", "新的一年", "下一年度", "下一步", "下步"].map(Scalars.of)
    static let cumulative = Scalars.of("累计")
    static let means: [[UInt32]] = ["等形式", "等方式", "的方式", "的形式", "等模式", "等渠道", "等载体"].map(Scalars.of)
    static let since = Scalars.of("以来")
    static let withinYear = Scalars.of("年内")
    /// How far before a figure its subject may start, in code points.
    static let maxSubject = 60
    static let yearsSince = Scalars.of("年来")
    static let quoteTimeWords: [[UInt32]] = ["累计", "全年", "今年", "共计", "合计", "共"].map(Scalars.of)
    static let lastYearWords: [[UInt32]] = ["上年的", "去年的", "上一年的", "上年度的"].map(Scalars.of)
    static let comparisonStarts: Set<UInt32> = [0x8F83 /* 较 */, 0x6BD4 /* 比 */, 0x540C /* 同 */]
    static let stopAfterNoun: [[UInt32]] = ["全覆盖", "进行", "实行", "实施", "开展", "的"].map(Scalars.of)
    static let notNounStart: Set<UInt32> = Set("和及与或以同较比占其并共均分为等".unicodeScalars.map(\.value))
    static let level: UInt32 = 0x7EA7 // 级
    static let lü: UInt32 = 0x7387 // 率
    static let genericEnds: Set<UInt32> = [0x6570 /* 数 */, 0x91CF /* 量 */]

    struct Previous {
        var end: Int
        var sentenceStart: Int
        var clauseStart: Int
        var subject: [UInt32]
        var kind: ObservationKind
        var unit: String
        var falling: Bool
    }

    /// The subjects of the figures (not changes) of the sentence read so far.
    struct SentenceFigures {
        var sentence = -1
        var subjects: [[UInt32]] = []
    }

    static let respectively = Scalars.of("分别")
    static let joins: Set<UInt32> = [0x548C /* 和 */, 0x3001 /* 、 */, 0x53CA /* 及 */, 0x4E0E /* 与 */]
    /// What may stand between the clause start and 分别 when the changes have no subject of their own.
    static let bareComparisons: [[UInt32]] = ["同比", "环比", "均", "也"].map(Scalars.of)

    /// For a change in a clause opening with 分别 (…，分别比上年增长6.1%和9.4%) with
    /// no subject of its own: its place `i` among the `k` changes the clause lists, k ≥ 2.
    static func respectiveSlot(_ u: [UInt32], _ t: NumberToken, context: Range<Int>) -> (Int, Int)? {
        guard let p = Scalars.findLast(u, respectively, in: context.lowerBound..<t.start) else { return nil }
        let before = trimSubject(u, context.lowerBound..<p)
        // 分别…, 同比分别…, 较上年末分别…: no subject before the comparison.
        guard before.isEmpty || comparisonCue(u, before) == before.lowerBound
                || bareComparisons.contains(where: { $0.count == before.count && Scalars.has(u, $0, at: before.lowerBound) })
        else { return nil }
        func joinsANumber(_ j: Int) -> Bool {
            guard joins.contains(u[j]), j + 1 < u.count else { return false }
            var n = j + 1
            if let b = NumberReader.prefixBounds.first(where: { Scalars.has(u, $0.0, at: n) }) { n += b.0.count }
            return n < u.count && (Scalars.isDigit(u[n]) || ChineseNumerals.isNumeral(u[n]))
        }
        var i = 0, after = 0
        for j in (p + respectively.count)..<t.start where joinsANumber(j) { i += 1 }
        var j = t.end
        while j < context.upperBound { if joinsANumber(j) { after += 1 }; j += 1 }
        let k = i + 1 + after
        return k >= 2 ? (i, k) : nil
    }

    struct Result {
        var quote: Range<Int>
        var subject: [UInt32]
        var value: Double
        var unit: String
        var kind: ObservationKind
        var period: Period?
        var changeOf: [UInt32]
        var context: Range<Int>
    }

    /// Trims punctuation, adverbials and linking verbs off a subject range.
    static func trimSubject(_ u: [UInt32], _ r: Range<Int>) -> Range<Int> {
        var a = r.lowerBound, b = r.upperBound
        // 通过/利用…等形式 is the means, not what is counted.
        for w in means {
            if let p = Scalars.findLast(u, w, in: a..<b), p + w.count < b { a = p + w.count; break }
        }
        var changed = true
        while changed && a < b {
            changed = false
            while a < b, Scalars.isSpace(u[a]) || u[a] == 0x3001 || u[a] == 0xFF0C || u[a] == 0x2C || u[a] == 0xFF09 || u[a] == 0x29 {
                a += 1; changed = true
            }
            for w in leading where b - a >= w.count && Scalars.has(u, w, at: a) { a += w.count; changed = true; break }
            // 2024年度…, （含经开区）…
            if b - a > 5, YearGuesser.year(u, at: a) != nil {
                a += 5
                if a < b, u[a] == 0x5EA6 /* 度 */ { a += 1 }
                changed = true
            }
            if a < b, u[a] == 0xFF08 || u[a] == 0x28 {
                var k = a + 1
                while k < b, k - a < 20, u[k] != 0xFF09, u[k] != 0x29 { k += 1 }
                if k < b - 1, k - a < 20 { a = k + 1; changed = true }
            }
            // 三季度…, 1—9月…, 8月份…: the period, not what is counted
            if let e = partPhraseEnd(u, a, b), e < b { a = e; changed = true }
            // 二是…: an inline heading's marker
            if b - a > 2, let (_, len) = ChineseNumerals.smallOrdinal(u, a), a + len < b, u[a + len] == 0x662F /* 是 */ {
                a += len + 1; changed = true
            }
        }
        changed = true
        while changed && a < b {
            changed = false
            while a < b, Scalars.isSpace(u[b - 1]) || u[b - 1] == 0x3001 { b -= 1; changed = true }
            for w in trailing where b - a > w.count && Scalars.hasEnding(u, w, at: b) { b -= w.count; changed = true; break }
        }
        return a..<b
    }

    /// The last change verb in `r`: where it ends and whether it is a fall.
    static func lastChangeVerb(_ u: [UInt32], _ r: Range<Int>) -> (start: Int, end: Int, falling: Bool)? {
        var best: (Int, Int, Bool)? = nil
        for (list, falling) in [(risingVerbs, false), (fallingVerbs, true)] {
            for w in list {
                if let p = Scalars.findLast(u, w, in: r) {
                    let e = p + w.count
                    if let b = best, e < b.1 || (e == b.1 && p >= b.0) { continue }
                    best = (p, e, falling)
                }
            }
        }
        return best.map { (start: $0.0, end: $0.1, falling: $0.2) }
    }

    /// The first comparison cue (同比, 较上年, 与去年同期, 较2023年) in `r`.
    static func comparisonCue(_ u: [UInt32], _ r: Range<Int>) -> Int? {
        var first: Int? = nil
        for w in comparisonCues {
            if let p = Scalars.find(u, w, in: r), first.map({ p < $0 }) ?? true { first = p }
        }
        var k = r.lowerBound
        while k + 1 < r.upperBound, first.map({ k < $0 }) ?? true {
            if comparers.contains(u[k]),
               YearGuesser.year(u, at: k + 1) != nil || earlierPeriods.contains(where: { Scalars.has(u, $0, at: k + 1) })
                || (u[k] != 0x548C /* 和 */ && namedPart(u, at: k + 1)) {
                first = k
                break
            }
            k += 1
        }
        return first
    }

    /// The end of a quarter or months named at `a` (三季度, 第三季度, 前三季度, 1—9月,
    /// 8月份), or nil.
    static func partPhraseEnd(_ u: [UInt32], _ a: Int, _ b: Int) -> Int? {
        var e = a
        if e < b, u[e] == 0x7B2C /* 第 */ || u[e] == 0x524D /* 前 */ { e += 1 }
        let from = e
        while e < b, e - from < 6, Scalars.isDigit(u[e]) || ChineseNumerals.digit(u[e]) != nil || u[e] == ChineseNumerals.ten
                || u[e] == 0x2014 || u[e] == 0x2013 || u[e] == 0x2D || u[e] == 0xFF5E || u[e] == 0x81F3 /* 至 */ { e += 1 }
        guard e > from, e < b else { return nil }
        if Scalars.has(u, YearGuesser.quarter, at: e) { return e + 2 }
        guard u[e] == 0x6708 /* 月 */ else { return nil }
        let next: UInt32 = e + 1 < b ? u[e + 1] : 0
        if next == 0x4EFD /* 份 */ { return e + 2 }
        return next == 0x65E5 /* 日 */ || next == 0x53F7 /* 号 */ || next == 0x5E95 /* 底 */ || next == 0x672B /* 末 */ ? nil : e + 1
    }

    static let formerly: [[UInt32]] = ["原来的", "过去的", "原先的", "之前的"].map(Scalars.of)

    /// Whether 由 or 从 (由原来的, 从过去的) opens the figure at `k`: the level moved from.
    static func movedFrom(_ u: [UInt32], before k: Int) -> Bool {
        guard k > 0 else { return false }
        if fromWords.contains(u[k - 1]) && u[k - 1] != 0x81EA /* 自 */ { return true }
        return k > 4 && fromWords.contains(u[k - 4]) && formerly.contains(where: { Scalars.hasEnding(u, $0, at: k) })
    }

    /// Whether a verb moving to a new level follows `k` (提高到, 降至, 增至, 压缩至): one to
    /// four Han characters, then 到 or 至, then a number (after a bound word such as 近).
    static func movesToALevel(_ u: [UInt32], after k: Int) -> Bool {
        var e = k
        while e < u.count, e - k < 4, Scalars.isHan(u[e]), u[e] != 0x5230 /* 到 */, u[e] != 0x81F3 /* 至 */ { e += 1 }
        guard e > k, e + 1 < u.count, u[e] == 0x5230 || u[e] == 0x81F3 else { return false }
        var n = e + 1
        while n < u.count, n - e <= 3, !(Scalars.isDigit(u[n]) || ChineseNumerals.isNumeral(u[n])), Scalars.isHan(u[n]) { n += 1 }
        return n < u.count && (Scalars.isDigit(u[n]) || ChineseNumerals.isNumeral(u[n]))
    }

    /// Whether a quarter or a month is named at `k` (二季度, 第二季度, 3季度, 8月, 8月份,
    /// 十一月): after 较/比/与/同 it is the earlier period a figure is set against.
    static func namedPart(_ u: [UInt32], at k: Int) -> Bool {
        var e = k
        if e < u.count, u[e] == 0x7B2C /* 第 */ { e += 1 }
        let from = e
        while e < u.count, e - from < 3, Scalars.isDigit(u[e]) || ChineseNumerals.digit(u[e]) != nil || u[e] == ChineseNumerals.ten { e += 1 }
        guard e > from, e < u.count else { return false }
        if Scalars.has(u, YearGuesser.quarter, at: e) { return true }
        return u[e] == 0x6708 /* 月 */ && !(e + 1 < u.count && (u[e + 1] == 0x65E5 /* 日 */ || Scalars.isDigit(u[e + 1])))
    }

    /// A year named in `r` (`2022年`) that is not a comparison base (较2022年),
    /// a start (2022年以来) or part of a date range.
    static func explicitYear(_ u: [UInt32], _ r: Range<Int>) -> Int? {
        var k = r.lowerBound
        while k + 4 < r.upperBound {
            if Scalars.isDigit(u[k]), let y = YearGuesser.year(u, at: k) {
                let b: UInt32 = k > 0 ? u[k - 1] : 0
                let comparison = b == 0x8F83 /* 较 */ || b == 0x6BD4 /* 比 */ || b == 0x4E0E /* 与 */ || b == 0x540C /* 同 */ || b == 0x4E8E /* 于 */
                let a1: UInt32 = k + 5 < u.count ? u[k + 5] : 0
                let since = a1 == 0x4EE5 /* 以 */ || a1 == 0x6765 /* 来 */
                let range = Scalars.isDigit(b) || b == 0x2014 || b == 0x2D || b == 0x81F3 /* 至 */
                if !comparison && !since && !range { return y }
                k += 5
            } else { k += 1 }
        }
        return nil
    }

    /// Words naming the report's own year: they end a topic year (2022年…，今年…).
    static let thisYear: [[UInt32]] = ["今年", "本年"].map(Scalars.of)
    static let fromWords: Set<UInt32> = [0x4ECE /* 从 */, 0x7531 /* 由 */, 0x81EA /* 自 */]

    /// Whether the text at `k` names the year a paragraph goes on to be about.
    /// Returns nil when nothing year-like starts at `k`; else the length read and
    /// the year named (`2023年，…`, `截至2023年底`, `2023年度`), or nil for the report's
    /// own year (`今年`, `本年`). A year that is a comparison base (较2022年), a
    /// start (从/自2021年, 2019年以来), part of a range (2021—2023年), the year of
    /// the figure right after it (2022年的3,870人次), or in quotation or title marks
    /// names no topic: it is skipped.
    static func namedYear(_ u: [UInt32], at k: Int, limit: Int, quotes: QuoteMarks) -> (Int?, Int)? {
        let c = u[k]
        if c == 0x4ECA /* 今 */ || c == 0x672C /* 本 */ {
            for w in thisYear where k + 2 <= limit && Scalars.has(u, w, at: k) { return (nil, 2) }
            return nil
        }
        guard Scalars.isDigit(c), k + 5 <= limit, let y = YearGuesser.year(u, at: k) else { return nil }
        if quotes.marks[k] != .none { return nil }
        let b: UInt32 = k > 0 ? u[k - 1] : 0
        if b == 0x8F83 /* 较 */ || b == 0x6BD4 /* 比 */ || b == 0x4E0E /* 与 */ || b == 0x540C /* 同 */ || b == 0x4E8E /* 于 */
            || fromWords.contains(b) { return nil }
        if Scalars.isDigit(b) || b == 0x2014 || b == 0x2013 || b == 0x2D || b == 0xFF5E || b == 0x7E || b == 0x81F3 /* 至 */ { return nil }
        let a1: UInt32 = k + 5 < u.count ? u[k + 5] : 0
        let a2: UInt32 = k + 6 < u.count ? u[k + 6] : 0
        if a1 == 0x4EE5 /* 以来 */ || a1 == 0x6765 /* 来 */ || a1 == 0x81F3 /* 至 */ || a1 == 0x2014 || a1 == 0x2013 || a1 == 0x2D
            || a1 == 0xFF5E || a1 == 0x7E { return nil }
        if a1 == 0x7684 /* 的 */, Scalars.isDigit(a2) || ChineseNumerals.isNumeral(a2) { return nil }
        return (y, 5)
    }

    /// Spans inside one year: 累计 after them totals that span (今年以来累计,
    /// 1—9月累计, 前三季度累计, 本年度累计), not years since a start.
    static let withinYearWords: [[UInt32]] = ["今年", "本年", "年初", "全年", "当年", "年内", "季度", "上半年", "本月"].map(Scalars.of)

    /// Whether `r` names a span inside one year: a word of `withinYearWords` or
    /// months (1—9月, 6月份), not a point such as 9月底.
    static func withinYearSpan(_ u: [UInt32], _ r: Range<Int>) -> Bool {
        if withinYearWords.contains(where: { Scalars.contains(u, $0, in: r) }) { return true }
        var k = r.lowerBound + 1
        while k < r.upperBound {
            if u[k] == 0x6708 /* 月 */, Scalars.isDigit(u[k - 1]) || ChineseNumerals.digit(u[k - 1]) != nil || u[k - 1] == ChineseNumerals.ten {
                let next: UInt32 = k + 1 < u.count ? u[k + 1] : 0x0A
                if next != 0x5E95 /* 底 */ && next != 0x672B /* 末 */ && next != 0x65E5 /* 日 */ && next != 0x53F7 /* 号 */ { return true }
            }
            k += 1
        }
        return false
    }

    /// Whether a striving word (力争, 争取, 确保, 力求) or a modal 要 with 达到 after
    /// it (今年要…达到…) in `r` sets a goal for the figure ending `r`. Called outside
    /// plans only: there 争取 a resource (资金, 经费, 项目, 支持, 编制) was obtained.
    static func goalCue(_ u: [UInt32], _ r: Range<Int>) -> Bool {
        for w in strivingCues {
            var from = r.lowerBound
            while let p = Scalars.find(u, w, in: from..<r.upperBound) {
                from = p + 1
                if p > 0, purposeBefore.contains(u[p - 1]) { continue }
                if p + w.count < u.count, u[p + w.count] == 0x4E86 /* 了 */ { continue }
                if w == strive, resources.contains(where: { Scalars.contains(u, $0, in: (p + w.count)..<r.upperBound) }),
                   !makingVerbs.contains(where: { Scalars.contains(u, $0, in: (p + w.count)..<r.upperBound) }) { continue }
                return true
            }
        }
        // 要…达到: 要 as a modal verb (今年要…, 全县要…), not in 主要, 需要, 要求.
        var from = r.lowerBound
        while let p = Scalars.find(u, [0x8981 /* 要 */], in: from..<r.upperBound) {
            from = p + 1
            let b: UInt32 = p > 0 ? u[p - 1] : 0x0A
            let a: UInt32 = p + 1 < u.count ? u[p + 1] : 0x0A
            guard !notModalYaoBefore.contains(b), !notModalYaoAfter.contains(a) else { continue }
            if Scalars.contains(u, reach, in: (p + 1)..<r.upperBound) { return true }
        }
        return false
    }

    /// A year after `base` named in `r`, not as a comparison base: the
    /// sentence is about a goal for that year (2025年是…，要确保…).
    static func futureYear(_ u: [UInt32], _ r: Range<Int>, after base: Int) -> Int? {
        var k = r.lowerBound
        while k + 4 < r.upperBound {
            if Scalars.isDigit(u[k]), let y = YearGuesser.year(u, at: k) {
                let b: UInt32 = k > 0 ? u[k - 1] : 0
                let next: UInt32 = k + 5 < u.count ? u[k + 5] : 0
                let nextIsMonth = Scalars.isDigit(next) || ChineseNumerals.digit(next) != nil
                let since = next == 0x4EE5 /* 以来 */ || next == 0x6765 /* 来 */
                if y > base && b != 0x8F83 /* 较 */ && b != 0x6BD4 /* 比 */ && !nextIsMonth && !since { return y }
                k += 5
            } else { k += 1 }
        }
        return nil
    }

    /// A unit of counted things (件, 人次), not a rate, points or money.
    static func isCountUnit(_ unit: String) -> Bool {
        !unit.isEmpty && unit != "%" && unit != "pp" && unit != "元"
    }

    static func isGeneric(_ s: [UInt32]) -> Bool {
        guard let last = s.last else { return true }
        return s.count <= 4 && genericEnds.contains(last)
    }

    /// Analyses a figure whose number text is `t.start..<t.end`.
    /// - Parameter partYear: the report covers part of its year (a quarter, a half): its plan
    ///   is for the rest of that year, not for the next one.
    /// - Parameter topicYear: an earlier year the paragraph named before the figure.
    /// - Parameter writtenIn: the year the text was published or signed: what 今年 means in it.
    /// - Parameter inResults: the figure stands in a section of results.
    static func analyse(_ t: NumberToken, _ u: [UInt32], previous: Previous?, inPlan: Bool, year: Int?,
                        zeroSubject: Range<Int>? = nil, partYear: Bool = false, topicYear: Int? = nil,
                        writtenIn: Int? = nil, inResults: Bool = false) -> Result {
        let clauseStart = ClauseContext.clauseStart(u, t.start)
        // A later year governs the whole sentence, across the ；-separated items of a list.
        let fullSentenceStart = ClauseContext.fullSentenceStart(u, t.start)
        let clauseEnd = ClauseContext.clauseEnd(u, t.end)
        let sentenceStart = ClauseContext.sentenceStart(u, t.start)
        // The figure before, when it ends inside this sentence.
        let prevInSentence = previous.flatMap { $0.end > sentenceStart && $0.end <= t.start ? $0 : nil }
        var segStart = clauseStart
        if let p = prevInSentence, p.end > segStart { segStart = p.end }
        // A subject is a phrase, not a paragraph: look at most this far back.
        segStart = max(segStart, t.start - maxSubject)
        let seg = segStart..<t.start
        var value = t.value
        var unit = t.unit

        // Kind.
        var kind = ObservationKind.actual
        var verb = lastChangeVerb(u, seg)
        let cue = comparisonCue(u, seg)
        // 与去年同期相比，受理案件增加12件: the comparison stands in a clause of its own.
        var priorCue = false
        if cue == nil, clauseStart > sentenceStart, comparedTail.contains(where: { Scalars.hasEnding(u, $0, at: clauseStart - 1) }) {
            priorCue = comparisonCue(u, ClauseContext.clauseStart(u, clauseStart - 1)..<(clauseStart - 1)) != nil
        }
        let hasCue = cue != nil || priorCue
        var immediate = false
        // 比上年同期多调解87件, 较去年少3起: 多/少 after the comparison is the change.
        if let c = cue, verb.map({ $0.start < c }) ?? true {
            var k = t.start - 1
            while k > c {
                if u[k] == 0x591A /* 多 */ || u[k] == 0x5C11 /* 少 */ {
                    verb = (start: k, end: k + 1, falling: u[k] == 0x5C11)
                    break
                }
                k -= 1
            }
        }
        let comparative = verb.map { v in cue.map { v.end - v.start == 1 && v.start > $0 && (u[v.start] == 0x591A || u[v.start] == 0x5C11) } ?? false } ?? false
        if let v = verb {
            var k = v.end
            var toLevel = false
            while k < t.start, gapChars.contains(u[k]), k - v.end < 2 {
                if u[k] == 0x81F3 || u[k] == 0x5230 { toLevel = true } // 增至, 提高到: the new level
                k += 1
            }
            immediate = (k == t.start && !toLevel) || comparative
            if toLevel && k == t.start { verb = nil }
        }
        let future = year.flatMap { futureYear(u, fullSentenceStart..<t.start, after: $0) }
            ?? (planPhrases.contains(where: { Scalars.contains(u, $0, in: fullSentenceStart..<t.start) }) ? year : nil)
        if inPlan || future != nil {
            kind = .target                                                   // 2025年…确保…不低于10%
        } else if t.unit == "pp" {
            kind = .change
        } else if t.unit == "%" && (immediate || (hasCue && verb != nil)) {
            kind = .change
        } else if hasCue && immediate {
            kind = .change
        } else {
            for w in targetCues where Scalars.contains(u, w, in: clauseStart..<t.start) { kind = .target; break }
            // In a section of results a striving word is most often the aim of the work
            // reported (坚持…，确保工作落实，全年办理…1,200件): there it governs its own clause only.
            if kind == .actual, goalCue(u, (inResults ? clauseStart : sentenceStart)..<t.start) { kind = .target }
        }
        // 同比分别增长18.2%和16.5%: the second figure shares the first's change.
        var sharedFall = false
        // 分别比上年增加61家和1,120人: counts of different units share it too.
        if kind == .actual, let p = prevInSentence, p.kind == .change, p.end > clauseStart,
           p.unit == t.unit || (isCountUnit(p.unit) && isCountUnit(t.unit)), trimSubject(u, seg).isEmpty {
            kind = .change
            sharedFall = p.falling
        }
        if kind != .change { verb = nil }
        if kind == .change, verb?.falling ?? sharedFall { value = -abs(value) }

        // Subject and quote.
        var subject: [UInt32] = []
        var quote = segStart..<t.end
        var changeOf: [UInt32] = []
        if let z = zeroSubject {
            subject = Array(u[z])
            quote = min(z.lowerBound, t.start)..<max(z.upperBound, t.end)
        } else if kind == .change {
            let cut = min(cue ?? t.start, verb?.start ?? t.start)
            let own = trimSubject(u, segStart..<cut)
            subject = Array(u[own])
            let prevSubject = prevInSentence?.subject ?? []
            if subject.isEmpty { subject = prevSubject }
            changeOf = (!own.isEmpty && !(isGeneric(subject) && !prevSubject.isEmpty)) ? subject : (prevSubject.isEmpty ? subject : prevSubject)
            quote = (own.isEmpty ? segStart : own.lowerBound)..<t.end
        } else {
            var own = trimSubject(u, seg)
            // 出庭应诉率由91.2%提高到…: 由 opens the move, it is not the subject's.
            if own.count > 1, own.upperBound == t.start, u[t.start - 1] == 0x7531 /* 由 */ || u[t.start - 1] == 0x4ECE /* 从 */,
               movesToALevel(u, after: t.end) {
                own = own.lowerBound..<(own.upperBound - 1)
            }
            let next: UInt32 = t.end < u.count ? u[t.end] : 0x0A
            let prenominal = (t.role == .count || t.unitText.isEmpty) && t.unit != "%" && t.unit != "pp"
                && (Scalars.isHan(next) || next == 0x201C) && !notNounStart.contains(next)
            if prenominal {
                var e = t.end
                while e < clauseEnd, e - t.end < 30 {
                    if stopAfterNoun.contains(where: { Scalars.has(u, $0, at: e) }) && e > t.end { break }
                    // …清单、6个配套文件: the next item is a figure of its own
                    if u[e] == 0x3001, e + 1 < u.count, Scalars.isDigit(u[e + 1]) || ChineseNumerals.digit(u[e + 1]) != nil { break }
                    e += 1
                }
                subject = Array(u[t.end..<e])
                quote = t.start..<e
            } else {
                subject = Array(u[own])
                // The quote keeps the time words of the figure (全年共…, 今年累计…).
                var qa = own.lowerBound
                var moved = true
                while moved {
                    moved = false
                    for w in quoteTimeWords where qa - w.count >= segStart && Scalars.hasEnding(u, w, at: qa) {
                        qa -= w.count; moved = true; break
                    }
                }
                quote = own.isEmpty ? segStart..<t.end : qa..<t.end
                if let p = prevInSentence, !p.subject.isEmpty {
                    if own.isEmpty {
                        subject = p.subject
                    } else if own.count <= 4, u[own.upperBound - 1] == level,
                              let lv = p.subject.firstIndex(of: level), lv < 4 {
                        subject = Array(u[own]) + Array(p.subject[(lv + 1)...]) // 省级…6个、市级22个
                    }
                }
            }
        }
        // 为零 of a rate is 0 %.
        if t.value == 0 && unit.isEmpty && subject.last == lü { unit = "%" }

        // Period.
        var period: Period? = year.map { Period.year($0) }
        // A year named in the clause (2022年受理…, 到2025年…) that is not a comparison base.
        if kind == .actual, let base = year, let y = explicitYear(u, seg), y != base {
            if y > base { kind = .target }
            period = .year(y)
        }
        if kind == .actual, let base = year, lastYearWords.contains(where: { w in
            Scalars.find(u, w, in: seg).map { p in p == seg.lowerBound || !comparisonStarts.contains(u[p - 1]) } ?? false }) {
            period = .year(base - 1)                                        // 由上年的85%提升至…
        }
        // 较2022年的3,870人次, 比上年的120件: the figure right after …年的 is that year's, comparison or not.
        if kind == .actual, let base = year, t.start >= 3, u[t.start - 1] == 0x7684 /* 的 */, u[t.start - 2] == YearGuesser.nian {
            if t.start >= 6, let y = YearGuesser.year(u, at: t.start - 6), y < base {
                period = .year(y)
            } else if u[t.start - 3] == 0x4E0A /* 上 */ || u[t.start - 3] == 0x53BB /* 去 */ || u[t.start - 3] == 0x4E00 /* 上一 */ {
                period = .year(base - 1)
            }
        }
        // 由91.2%提高到98.7%, 从12件降至5件: the level moved from is the year before's.
        if kind == .actual, !partYear, let base = year, period == .year(base), movedFrom(u, before: t.start),
           movesToALevel(u, after: t.end) {
            period = .year((topicYear.map { min($0, base) } ?? base) - 1)
        }
        if kind == .target {
            if period == year.map({ Period.year($0) }) || year == nil {
                var target = year.map { partYear ? $0 : $0 + 1 }
                var k = fullSentenceStart
                var named = false
                while k + 4 < t.start {
                    if let y = YearGuesser.year(u, at: k), let base = year, y > base { target = y; named = true; break }
                    k += 1
                }
                // 今年要力争…: the year of writing, else the report's own unless a plan for the next year holds it.
                if !named, let base = year, thisYear.contains(where: { Scalars.contains(u, $0, in: fullSentenceStart..<t.start) }) {
                    target = writtenIn ?? (inPlan && !partYear ? base + 1 : base)
                }
                period = target.map { Period.year($0) }
            }
        } else if let p = Scalars.findLast(u, cumulative, in: clauseStart..<t.start) {
            let yearBefore = p > 0 && (u[p - 1] == YearGuesser.nian || Scalars.hasEnding(u, withinYear, at: p))
            if !yearBefore && !withinYearSpan(u, sentenceStart..<p) { period = .cumulative }
        }
        if period != .cumulative, kind != .target, let p = Scalars.findLast(u, since, in: sentenceStart..<t.start), p > sentenceStart {
            let c = u[p - 1]
            if c != YearGuesser.nian && c != 0x5EA6 /* 度 */ && c != 0x521D /* 初 */ {
                period = .cumulative                                         // 成立以来, 十八大以来
            } else if c == YearGuesser.nian, p >= 5, let y = YearGuesser.year(u, at: p - 5), let base = year, y < base {
                period = .cumulative                                         // 2019年以来 in a 2023 report
            }
        }
        // 五年来, 多年来: a total over several years.
        if period != .cumulative, kind != .target, let p = Scalars.findLast(u, yearsSince, in: sentenceStart..<t.start), p > sentenceStart {
            let c = u[p - 1]
            if c == 0x591A /* 多 */ || (ChineseNumerals.digit(c).map { $0 >= 2 } ?? false) || c == ChineseNumerals.ten { period = .cumulative }
        }
        // A figure the paragraph's earlier year governs (2023年，…。一年来，…办理案件56件).
        if kind != .target, let ty = topicYear, let base = year, ty < base, period == .year(base) {
            period = .year(ty)
        }
        return Result(quote: quote, subject: subject, value: value, unit: unit, kind: kind, period: period,
                      changeOf: changeOf, context: clauseStart..<clauseEnd)
    }
}
