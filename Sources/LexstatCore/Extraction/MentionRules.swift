/// Which numbers are mentions (corpus/ANNOTATION.md): a figure of work,
/// results, resources, change or goals counts; dates, ordinals, ranks,
/// names and slogans, durations, anniversaries and ages do not.
struct MentionRules: Sendable {
    /// Why a number is not a mention (for tests and debugging).
    enum Refusal: String, Sendable {
        case dateOrDuration, ordinal, rank, quoted, title, code, article, idiom, noUnit, namedList,
             structuralCount, sloganList, slogan, decimalName, partyCongress, rateBase
    }

    static let di: UInt32 = 0x7B2C      // 第
    static let rankWords: [[UInt32]] = ["前", "排名", "位列", "位居", "名列", "排在", "跻身"].map(Scalars.of)
    static let wholeArea: [[UInt32]] = ["全国", "全省", "全市", "全区", "全县", "全州", "全盟"].map(Scalars.of)
    static let batchWords: [[UInt32]] = ["首批", "批", "届"].map(Scalars.of)
    static let codeNeighbours: Set<UInt32> = [0xB7, 0x2027, 0x30FB, 0x2022, 0x2B, 0x2D, 0x2014, 0x2013, 0x2F, 0xD7, 0x2A, 0x3A, 0x23, 0x7E, 0xFF5E, 0xFF0B, 0xFF0F, 0x40, 0x5F]
    /// Words starting with 零 that are idioms, not zero results.
    static let zeroIdioms: [[UInt32]] = ["零距离", "零容忍", "零门槛", "零跑腿", "零成本", "零接触", "零时差", "零延时", "零星",
                                         "零散", "零售", "零件", "零部件", "零工", "零下", "零点", "零的", "零碎", "零基础",
                                         "零次", "零利润", "零费用", "零收费", "零等待", "零障碍"].map(Scalars.of)
    static let wei: UInt32 = 0x4E3A // 为
    static let mei: UInt32 = 0x6BCF // 每
    static let aspects = Scalars.of("方面")
    /// Words that follow N个 in slogans (六个明显, 五个领先, 三个转变), not nouns counted.
    static let sloganHeads: [[UInt32]] = ["明显", "到位", "领先", "转变", "提升", "突破", "坚持", "强化", "聚焦", "围绕",
                                          "一流", "不变", "确保", "注重", "着力", "更加", "全面", "有效", "必须", "进一步",
                                          "走在", "再造", "攻坚"].map(Scalars.of)
    /// Words placing the region on a list: 入选全国100个示范县 names the list, not a count.
    static let listEntry: [[UInt32]] = ["入选", "列入", "跻身", "获评", "成为", "评为"].map(Scalars.of)
    /// A unitless figure after these words is a ratio or score (比值为1.2).
    static let ratioWords: [[UInt32]] = ["比值", "比例", "比", "指数", "系数", "得分", "评分", "分值"].map(Scalars.of)
    static let linkWords: Set<UInt32> = [0x4E3A /* 为 */, 0x8FBE /* 达 */, 0x5230 /* 到 */, 0x662F /* 是 */, 0x4E86 /* 了 */, 0x81F3 /* 至 */]
    /// Words that make a count in a plan a goal (新建四个司法所).
    /// Verbs that bring new things or events about (举办两期培训班, 出台三项制度), as opposed to
    /// verbs that work on what exists (加强与四个专项小组的联系, 聚焦六个方面).
    static let goalCues: [[UInt32]] = ["新建", "建成", "建设", "建立", "创建", "培育", "打造", "新增", "力争", "争取", "确保", "完成",
                                       "举办", "组织", "开展", "召开", "制定", "出台", "推出", "引进", "招录", "选聘", "配备",
                                       "增设", "设立", "成立", "组建"].map(Scalars.of)
    /// Words before 十/百/千/万 that make the count vague (数十场, 几百人): no figure.
    static let vagueBefore: Set<UInt32> = [0x6570 /* 数 */, 0x51E0 /* 几 */]
    /// Political and programme names written with a count, often without quotation marks.
    static let slogans: [[UInt32]] = ["三项制度", "四个意识", "四个自信", "四个全面", "两个维护", "两个确立", "三大攻坚战",
                                      "五大发展理念", "三个代表", "两个一百年", "三个务必", "四个最严", "两个健康", "三个没有变",
                                      "两个结合", "四个不摘", "两个毫不动摇", "三个区分开来", "五个一工程", "四个伟大",
                                      "两个大局", "三个转变", "八项规定", "两个责任", "三项机制"].map(Scalars.of)

    /// Decides on a number that is not a zero result. `unit` may be set to `个`
    /// for a bare count before a noun.
    static func refusal(_ t: inout NumberToken, _ u: [UInt32], quotes: QuoteMarks, inPlan: Bool,
                        units: CountingUnits = .standard, year: Int? = nil) -> Refusal? {
        let n = u.count
        if t.role == .notAFigure { return .dateOrDuration }
        switch quotes.marks[t.numeralStart] {
        case .quoted: return .quoted
        case .title: return .title
        case .none: break
        }
        let before: UInt32 = t.numeralStart > 0 ? u[t.numeralStart - 1] : 0x0A
        if before == di || (t.start > 0 && u[t.start - 1] == di) { return .ordinal }
        for w in rankWords where Scalars.hasEnding(u, w, at: t.start) { return .rank }
        if before == mei || before == 0x5747 /* 均 */ { return .rateBase }        // 每10万人, 人均
        let after: UInt32 = t.numeralEnd < n ? u[t.numeralEnd] : 0x0A
        // 9时30分: a clock time, not a score.
        if t.unitText == "分", before == 0x65F6 /* 时 */ || before == 0x70B9 /* 点 */ { return .dateOrDuration }
        // "12个月" style: a time word right after the unit.
        if t.end < n, t.role == .count, t.unitText == "个" {
            if let (e, _) = units.match(u, at: t.end), e.role == .notAFigure { return .dateOrDuration }
        }

        if t.isChinese {
            let len = t.numeralEnd - t.numeralStart
            if t.value == 0 { return .idiom }
            if t.value == 1 && len == 1 && !postNominalOne(t, u, before: before) { return .article } // 一个, 一次: an article, not a count
            if !t.isPercentWord, ChineseNumerals.multiplier(u[t.numeralStart]) != nil {
                if t.start == t.numeralStart, vagueBefore.contains(before) { return .idiom }      // 数十场, 几百人
                // 百余场, 千余人: a multiplier alone counts when 余/多 and a unit follow.
                let roughCount = t.numeralEnd < n && (u[t.numeralEnd] == NumberReader.yu || u[t.numeralEnd] == NumberReader.duo)
                    && !t.unit.isEmpty && t.role != .notAFigure
                if u[t.numeralStart] != ChineseNumerals.ten, !roughCount,
                   !(t.start < t.numeralStart && !t.unit.isEmpty) { return .idiom } // 百日, 千家万户; but 逾千人, 近百场
            }
            if t.unitText == "分" { return .idiom }                          // 十分: an adverb
            if t.end < n, ChineseNumerals.digit(u[t.end]) != nil { return .sloganList } // 四个一, 六个一
            if Scalars.has(u, aspects, at: t.end) { return .structuralCount }     // 六个方面: an outline
            if t.unitText == "个", sloganHeads.contains(where: { Scalars.has(u, $0, at: t.end) }) { return .slogan } // 六个明显, 五个领先
            for w in slogans where Scalars.has(u, w, at: t.numeralStart) { return .slogan }
            if t.unit.isEmpty { return .noUnit }
            if t.unitText == "大" && t.value >= 10 { return .partyCongress }  // 十大…, 二十大
            var s = t.start
            for w in batchWords where Scalars.hasEnding(u, w, at: s) { s -= w.count; break }
            // 入选全国十个立法联系点 names a list; 全县十个乡镇全部建成… counts the region's own.
            if wholeArea.contains(where: { Scalars.hasEnding(u, $0, at: s) }),
               s < t.start || listEntry.contains(where: { Scalars.contains(u, $0, in: ClauseContext.clauseStart(u, t.start)..<s) }) {
                return .namedList
            }
            let planLike = inPlan || year.flatMap {
                MentionAnalyzer.futureYear(u, ClauseContext.fullSentenceStart(u, t.start)..<t.start, after: $0)
            } != nil
            if planLike && t.role != .percent && t.role != .points && !goalCues.contains(where: { Scalars.contains(u, $0, in: ClauseContext.clauseStart(u, t.start)..<t.start) }) {
                return .structuralCount                                         // 聚焦六个方面: the plan's outline, not a goal
            }
            if inSloganList(t, u) { return .sloganList }
            return nil
        }

        // Arabic numerals.
        if codeNeighbours.contains(before) || Scalars.isASCIILetter(before) { return .code }
        do {
            var s = t.start
            for w in batchWords where Scalars.hasEnding(u, w, at: s) { s -= w.count; break }
            if wholeArea.contains(where: { Scalars.hasEnding(u, $0, at: s) }),
               listEntry.contains(where: { Scalars.contains(u, $0, in: ClauseContext.clauseStart(u, t.start)..<s) }) {
                return .namedList
            }
        }
        if t.numeralStart >= 2, before == 0x2E || before == 0xFF0E, Scalars.isDigit(u[t.numeralStart - 2]) { return .code }
        if t.unit.isEmpty || t.end == t.numeralEnd {
            if codeNeighbours.contains(after) || Scalars.isASCIILetter(after) { return .code }
        }
        if t.integerDigits > 9 && !t.isDecimal { return .code }
        if t.unit.isEmpty {
            if t.bound != .exact && t.start < t.numeralStart { return nil }      // 比值大于1
            if t.value == 0, !t.isDecimal, before == wei, !Scalars.isHan(after), !Scalars.isDigit(after) { return nil } // 再犯罪率为0
            if !Scalars.isHan(after) && !Scalars.isDigit(after) && !(1900...2100).contains(t.value) {
                var k = t.start
                while k > 0, t.start - k < 3, linkWords.contains(u[k - 1]) { k -= 1 }
                if k < t.start, ratioWords.contains(where: { Scalars.hasEnding(u, $0, at: k) }) { return nil } // 比值为1.2
            }
            if t.isDecimal && !t.hasMultiplier { return .decimalName }          // 12.4宪法日
            if t.hasMultiplier {                                                // 惠及群众1.3万
                t.unit = t.end < n && Scalars.isHan(u[t.end]) ? "个" : ""
                return nil
            }
            if Scalars.isHan(after), !t.isDecimal, t.value >= 1, t.value <= 99, t.integerDigits <= 2 {
                t.unit = "个"                                                   // 6区县: a bare count before a noun
                return nil
            }
            return .noUnit
        }
        return nil
    }

    /// Words before 一 that make it no count (之一, 其一, 统一, 唯一, 这一, 每一).
    static let notCountBeforeOne: Set<UInt32> = Set("之其统唯这那每任某同逐万".unicodeScalars.map(\.value))

    /// Whether a lone 一 with a counting unit closes its clause after what it counts
    /// (开展行政执法案卷集中评查一次，, 建成调解中心一个。): a count of one, not an article.
    static func postNominalOne(_ t: NumberToken, _ u: [UInt32], before: UInt32) -> Bool {
        guard t.role == .count, !t.unitText.isEmpty, t.start == t.numeralStart, Scalars.isHan(before),
              !notCountBeforeOne.contains(before) else { return false }
        let after: UInt32 = t.end < u.count ? u[t.end] : 0x0A
        return Scalars.endsClause(after) || after == 0x3001
    }

    /// A Chinese numeral that opens one item of a 、-list whose other items
    /// open with numerals too, one of them 一: a slogan (一个中心…、三级组织…、
    /// 四类调解…), not a list of counts (三个基地、两个中心).
    static func inSloganList(_ t: NumberToken, _ u: [UInt32]) -> Bool {
        let cs = ClauseContext.clauseStart(u, t.start)
        let ce = ClauseContext.clauseEnd(u, t.end)
        var items: [Range<Int>] = []
        var a = cs
        for k in cs...ce where k == ce || u[k] == 0x3001 {
            items.append(a..<k)
            a = k + 1
        }
        guard items.count >= 2 else { return false }
        func opening(_ r: Range<Int>) -> Int? {
            var k = r.lowerBound
            while k < min(r.upperBound, r.lowerBound + 4) {
                if let d = ChineseNumerals.digit(u[k]), d > 0 { return d }
                k += 1
            }
            return nil
        }
        let openings = items.map(opening)
        guard let mine = items.firstIndex(where: { $0.contains(t.numeralStart) }), openings[mine] != nil else { return false }
        let numbered = openings.compactMap { $0 }
        return numbered.count >= 2 && numbered.contains(1)
    }

    /// A zero result at `i` (a 零 standing alone): `零败诉`, `…率为零`.
    /// Returns the unit hint: true when the figure is `为零` (the caller sets the unit from the subject).
    static func zeroResult(_ u: [UInt32], at i: Int, units: CountingUnits = .standard) -> Bool {
        guard u[i] == ChineseNumerals.zero else { return false }
        if i > 0, ChineseNumerals.isNumeral(u[i - 1]) || Scalars.isDigit(u[i - 1]) { return false }
        let next: UInt32 = i + 1 < u.count ? u[i + 1] : 0x0A
        if ChineseNumerals.isNumeral(next) || Scalars.isDigit(next) { return false }
        if i > 0, u[i - 1] == wei, next == 0x3002 || Scalars.endsClause(next) || next == 0x3001 || next == 0x201D { return true }
        for w in zeroIdioms where Scalars.has(u, w, at: i) { return false }
        guard Scalars.isHan(next) else { return false }
        if units.match(u, at: i + 1) != nil { return false }
        return true
    }
}
