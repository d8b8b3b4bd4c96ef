/// Finds the catalog indicator a figure is about, from its subject phrase,
/// its clause and the indicators' names and aliases.
///
/// A name or alias inside the subject is the strongest evidence, one inside
/// the clause next, a partial overlap with the subject last. Units must be of
/// the same class (a rate only matches a rate, money only money). Ties go to
/// the indicator, then the function area, whose words share most character
/// pairs with the subject.
struct IndicatorMatcher: Sendable {
    enum UnitClass: Sendable { case rate, money, count, any, notRate }

    /// The unit to match a change in percent of something that is not a rate
    /// (受理案件同比增长12%): any indicator but a rate's.
    static let notARate = "#not-a-rate"

    struct Entry: Sendable {
        var code: String
        var area: String
        var unit: String
        var unitClass: UnitClass
        var phrases: [[UInt32]]
        /// A 64-bit character signature per phrase: a phrase cannot occur in a
        /// text whose signature lacks one of its bits.
        var masks: [UInt64]
        /// Character pairs of the name and aliases, sorted, unique.
        var bigrams: [UInt64]
        /// The unit families the indicator's unit is in, one bit per family (0: none).
        var familyMask: UInt8 = 0
        /// The unit as a small number, so that the loop compares no strings.
        var unitID = 0
        /// A 64-bit signature of each phrase's character pairs: a phrase shares
        /// no pair with a subject whose signature it misses.
        var pairMasks: [UInt64] = []
        /// Every adjacent pair of each phrase, hashed into 256 bits: a phrase
        /// cannot occur in a text whose pair filter lacks one of its bits.
        var pairFilters: [PairFilter] = []
        /// The index of the function area in `areaBigrams` of the matcher.
        var areaID = 0
    }

    /// A 256-bit set of hashed adjacent character pairs (any characters, not
    /// only Han). Containment of a phrase implies containment of its pairs, so
    /// `isSubset` is a necessary test, cheap enough to run before every search:
    /// a clause of 50 characters sets at most 49 bits, and a phrase of five
    /// characters passes it by chance about once in five thousand.
    struct PairFilter: Sendable {
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

        init(_ p: [UInt32]) {
            guard p.count >= 2 else { return }
            for i in 0..<(p.count - 1) {
                let h = (p[i] &* 0x9E37_79B1 ^ p[i + 1] &* 0x85EB_CA77) >> 24
                let bit: UInt64 = 1 << UInt64(h & 63)
                switch h >> 6 {
                case 0: w0 |= bit
                case 1: w1 |= bit
                case 2: w2 |= bit
                default: w3 |= bit
                }
            }
        }

        @inline(__always)
        func isSubset(of o: PairFilter) -> Bool {
            (w0 & ~o.w0) | (w1 & ~o.w1) | (w2 & ~o.w2) | (w3 & ~o.w3) == 0
        }
    }

    var entries: [Entry]
    var unitIDs: [String: Int] = [:]
    /// Character pairs of all indicators of each function area, sorted, unique.
    var areaBigrams: [[UInt64]] = []
    /// For each character pair, the entries whose name or aliases hold it.
    var pairPostings: [UInt64: [Int32]] = [:]

    init(_ indicators: [Indicator]) {
        var entries: [Entry] = []
        var areas: [String: Set<UInt64>] = [:]
        for ind in indicators {
            var phrases = [Scalars.of(ind.name)]
            phrases += ind.aliases.map(Scalars.of).filter { !$0.isEmpty }
            var bg = Set<UInt64>()
            for p in phrases { IndicatorMatcher.addBigrams(p, into: &bg) }
            entries.append(Entry(code: ind.code, area: ind.area, unit: ind.unit,
                                 unitClass: IndicatorMatcher.unitClass(ind.unit), phrases: phrases,
                                 masks: phrases.map(IndicatorMatcher.signature), bigrams: bg.sorted()))
            areas[ind.area, default: []].formUnion(bg)
        }
        var areaIDs: [String: Int] = [:]
        var areaBigrams: [[UInt64]] = []
        for k in entries.indices {
            entries[k].familyMask = IndicatorMatcher.familyMask(entries[k].unit)
            if areaIDs[entries[k].area] == nil {
                areaIDs[entries[k].area] = areaBigrams.count
                areaBigrams.append((areas[entries[k].area] ?? []).sorted())
            }
            entries[k].areaID = areaIDs[entries[k].area] ?? 0
            entries[k].pairFilters = entries[k].phrases.map(PairFilter.init)
        }
        self.areaBigrams = areaBigrams
        var postings: [UInt64: [Int32]] = [:]
        for k in entries.indices {
            for key in entries[k].bigrams { postings[key, default: []].append(Int32(k)) }
        }
        self.pairPostings = postings
        var ids: [String: Int] = [:]
        for k in entries.indices {
            entries[k].pairMasks = entries[k].phrases.map(IndicatorMatcher.pairSignature)
            if ids[entries[k].unit] == nil { ids[entries[k].unit] = ids.count }
            entries[k].unitID = ids[entries[k].unit]!
        }
        self.entries = entries
        self.unitIDs = ids
    }

    @inline(__always)
    static func signature(_ p: [UInt32]) -> UInt64 {
        var m: UInt64 = 0
        for c in p { m |= 1 << UInt64(c & 63) }
        return m
    }

    /// A 64-bit signature of the Han character pairs of a phrase.
    static func pairSignature(_ p: [UInt32]) -> UInt64 {
        guard p.count >= 2 else { return 0 }
        var m: UInt64 = 0
        for i in 0..<(p.count - 1) where Scalars.isHan(p[i]) && Scalars.isHan(p[i + 1]) {
            m |= 1 << UInt64((p[i] &* 31 &+ p[i + 1]) & 63)
        }
        return m
    }

    /// Sorted unique character pairs of a phrase.
    static func sortedBigrams(_ p: [UInt32]) -> [UInt64] {
        guard p.count >= 2 else { return [] }
        var out: [UInt64] = []
        out.reserveCapacity(p.count)
        for i in 0..<(p.count - 1) where Scalars.isHan(p[i]) && Scalars.isHan(p[i + 1]) {
            out.append(UInt64(p[i]) << 32 | UInt64(p[i + 1]))
        }
        out.sort()
        var w = 0
        for x in out where w == 0 || out[w - 1] != x { out[w] = x; w += 1 }
        out.removeLast(out.count - w)
        return out
    }

    /// How many keys two sorted unique arrays share.
    static func sharedCount(_ a: [UInt64], _ b: [UInt64]) -> Int {
        // A subject has a dozen pairs, an area hundreds: look each one up.
        if a.count * 8 < b.count { return a.reduce(0) { $0 + (contains(b, $1) ? 1 : 0) } }
        if b.count * 8 < a.count { return b.reduce(0) { $0 + (contains(a, $1) ? 1 : 0) } }
        var i = 0, j = 0, n = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { n += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return n
    }

    /// Whether a sorted array holds `key` (binary search).
    @inline(__always)
    static func contains(_ s: [UInt64], _ key: UInt64) -> Bool {
        var lo = 0, hi = s.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if s[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < s.count && s[lo] == key
    }

    static func unitClass(_ unit: String) -> UnitClass {
        switch unit {
        case "%", "pp", "‰": return .rate
        case "元": return .money
        case "": return .any
        case notARate: return .notRate
        default: return .count
        }
    }

    static func addBigrams(_ p: [UInt32], into s: inout Set<UInt64>) {
        guard p.count >= 2 else { return }
        for i in 0..<(p.count - 1) where Scalars.isHan(p[i]) && Scalars.isHan(p[i + 1]) {
            s.insert(UInt64(p[i]) << 32 | UInt64(p[i + 1]))
        }
    }

    static func compatible(_ a: UnitClass, _ b: UnitClass) -> Bool {
        if a == .notRate || b == .notRate { return a != .rate && b != .rate }
        return a == .any || b == .any || a == b
    }

    /// Count units that name the same kind of thing.
    /// 人次 (person-times) counts people and occurrences both, so it is in two families.
    /// 项 and 条 count matters and documents as 件 does (重大行政决策事项12项 ~ 重大行政决策审查数 件).
    static let families: [Set<String>] = [["件", "件次", "起", "宗", "份", "项", "条", "卷", "例"], ["人", "名", "人次", "位"], ["次", "场", "场次", "期", "人次"],
                                          ["个", "家", "所", "项", "条"], ["%", "pp"]]

    /// Two count units of known, different families: people are not cases (`3名` is no 案件数).
    static func otherFamily(_ a: String, _ b: String) -> Bool {
        guard a != b, families.contains(where: { $0.contains(a) }), families.contains(where: { $0.contains(b) }) else {
            return false
        }
        return !families.contains { $0.contains(a) && $0.contains(b) }
    }

    /// One bit per family holding `unit`.
    static func familyMask(_ unit: String) -> UInt8 { familyMasks[unit] ?? 0 }

    static let familyMasks: [String: UInt8] = {
        var m: [String: UInt8] = [:]
        for (i, f) in families.enumerated() { for u in f { m[u, default: 0] |= 1 << UInt8(i) } }
        return m
    }()

    static func sameFamily(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        return families.contains { $0.contains(a) && $0.contains(b) }
    }

    /// The best indicator for a figure: code and confidence in 0…1.
    func match(subject: [UInt32], context: [UInt32], unit: String) -> (code: String, confidence: Double)? {
        let uc = IndicatorMatcher.unitClass(unit)
        let subjectBigrams = IndicatorMatcher.sortedBigrams(subject)
        let subjectMask = IndicatorMatcher.signature(subject)
        let contextMask = IndicatorMatcher.signature(context)
        // Family tests by bit masks: this loop runs for every indicator of every figure.
        let unitFamilies = IndicatorMatcher.familyMask(unit)
        let unitID = unitIDs[unit] ?? -1
        let emptyUnitID = unitIDs[""] ?? -2
        let subjectPairs = IndicatorMatcher.pairSignature(subject)
        let subjectFilter = PairFilter(subject), contextFilter = PairFilter(context)
        // Character pairs each indicator shares with the subject, from the inverted index.
        var sharedPairs = [Int32](repeating: 0, count: entries.count)
        for key in subjectBigrams {
            guard let ks = pairPostings[key] else { continue }
            for k in ks { sharedPairs[Int(k)] += 1 }
        }
        // Pairs shared with each function area, counted once per figure (-1: not yet).
        var areaShared = [Int](repeating: -1, count: areaBigrams.count)
        var bestScore = 0.0, bestConf = 0.0, bestIndex = -1
        // Entries are read in place: copying one would retain its eight arrays.
        entries.withUnsafeBufferPointer { es in
            for k in es.indices where IndicatorMatcher.compatible(uc, es[k].unitClass) {
                let sameUnit = unitID == es[k].unitID
                let familyMask = es[k].familyMask
                if !sameUnit, unitFamilies != 0, familyMask != 0, unitFamilies & familyMask == 0 { continue } // otherFamily
                // An indicator of no unit (a ratio) is no count's, rate's or sum's.
                if es[k].unitID == emptyUnitID && unitID != emptyUnitID { continue }
                var score = 0.0, conf = 0.0
                var unrelated = false
                var beyond: Bool? = nil       // the subject shares more than one run with the indicator's words
                let shared = Double(sharedPairs[k])
                es[k].phrases.withUnsafeBufferPointer { phrases in
                    for pi in phrases.indices {
                        let p = phrases[pi]
                        let pm = es[k].masks[pi]
                        let pf = es[k].pairFilters[pi]
                        if pm & ~subjectMask == 0, p.count <= subject.count, pf.isSubset(of: subjectFilter),
                           Scalars.contains(subject, p) {
                            var s = 100 + Double(p.count) * 4
                            // 学法 is in 集体学法学习次数 and in 政府常务会学法次数: for 全局干部集中学法 the
                            // name with none of its other words in the subject (政府常务会) comes second.
                            if s > score, pi > 0, bestIndex < 0 || s + 4 + 0.1 * shared + 0.01 * Double(subjectBigrams.count) >= bestScore {
                                let (l, at) = IndicatorMatcher.runIn(subject, phrases[0])
                                if l < 2 || !IndicatorMatcher.restShared(subject, phrases[0], run: at..<(at + l)) { s -= 2 }
                            }
                            if s > score { score = s; conf = min(0.95, 0.55 + 0.1 * Double(p.count)) }
                        } else if score < 100 + Double(p.count) * 4, pm & ~subjectMask == 0,
                                  let gap = IndicatorMatcher.gappedGap(subject, p) {
                            // 废止省政府规章 ~ 废止政府规章, 法律援助中心受理案件 ~ 法律援助案件
                            let s = 100 + Double(p.count) * 4 - Double(gap)
                            if s > score { score = s; conf = min(0.9, 0.5 + 0.1 * Double(p.count)) }
                        } else if score < 100, pm & ~contextMask == 0, p.count <= context.count, pf.isSubset(of: contextFilter),
                                  Scalars.contains(context, p) {
                            let s = 60 + Double(p.count) * 2
                            if s > score { score = s; conf = min(0.6, 0.3 + 0.07 * Double(p.count)) }
                        } else if score < 60, shared > 0, es[k].pairMasks[pi] & subjectPairs != 0,
                                  IndicatorMatcher.sharesBigram(p, subjectBigrams) {
                            let (l, at) = IndicatorMatcher.runIn(subject, p)
                            let s = 30 + Double(l) + 2 * shared
                            if l >= 2, l * 5 >= p.count * 2, s > score {
                                // 审查各类行政规范性文件 ~ 废止行政规范性文件: the overlap is all they share.
                                // Checked only where the indicator could still come first.
                                if bestIndex < 0 || s + 4 + 0.1 * shared + 0.01 * Double(subjectBigrams.count) > bestScore,
                                   !IndicatorMatcher.restShared(subject, p, run: at..<(at + l)) {
                                    if beyond == nil {
                                        let r = IndicatorMatcher.longestRun(subject, es[k].phrases)
                                        beyond = IndicatorMatcher.sharesBeyond(subject, run: r, es[k].bigrams)
                                    }
                                    guard beyond == true else { unrelated = true; continue }
                                }
                                score = s; conf = 0.3
                            }
                        }
                    }
                }
                if score == 0 && !unrelated && shared >= 2 {
                    // No phrase fits: character pairs shared with the indicator's words (受理复议申请 ~ 行政复议受理案件数),
                    // unless they are one run and the subject's other words are none of the indicator's.
                    let s = 10 + shared
                    if bestIndex >= 0 && s + 4 + 0.1 * shared + 0.01 * Double(subjectBigrams.count) <= bestScore {
                        score = s                                                     // cannot come first: no need to look
                    } else {
                        let r = IndicatorMatcher.longestRun(subject, es[k].phrases)
                        if r.count < 2 || IndicatorMatcher.sharesBeyond(subject, run: r, es[k].bigrams) { score = s }
                    }
                    if score > 0 { conf = min(0.3, 0.1 * shared) }
                }
                guard score > 0 else { continue }
                if sameUnit || unitFamilies & familyMask != 0 { score += sameUnit ? 4 : 3 }      // sameFamily
                score += 0.1 * shared
                let area = es[k].areaID
                if areaShared[area] < 0 { areaShared[area] = IndicatorMatcher.sharedCount(subjectBigrams, areaBigrams[area]) }
                score += 0.01 * Double(areaShared[area])
                if bestIndex >= 0, score <= bestScore { continue }
                bestScore = score; bestConf = conf; bestIndex = k
            }
        }
        return bestIndex >= 0 ? (entries[bestIndex].code, bestConf) : nil
    }

    /// The most characters a phrase may be split by in a subject.
    static let maxGap = 6

    /// Whether `p` occurs in `s` split once into two runs of at least two
    /// characters with a few characters between them (废止|省|政府规章): the
    /// smallest such gap, or nil.
    static func gappedGap(_ s: [UInt32], _ p: [UInt32]) -> Int? {
        guard p.count >= 4, s.count > p.count else { return nil }
        var best: Int? = nil
        for k in 2...(p.count - 2) {
            let left = Array(p[..<k]), right = Array(p[k...])
            var from = 0
            while let i = Scalars.find(s, left, in: from..<s.count) {
                let a = i + k
                if let j = Scalars.find(s, right, in: a..<min(s.count, a + maxGap + right.count)), j > a {
                    if best.map({ j - a < $0 }) ?? true { best = j - a }
                }
                from = i + 1
            }
        }
        return best
    }

    static func sharesBigram(_ p: [UInt32], _ s: [UInt64]) -> Bool {
        guard p.count >= 2, !s.isEmpty else { return false }
        for i in 0..<(p.count - 1) {
            let key = UInt64(p[i]) << 32 | UInt64(p[i + 1])
            var lo = 0, hi = s.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if s[mid] < key { lo = mid + 1 } else { hi = mid }
            }
            if lo < s.count && s[lo] == key { return true }
        }
        return false
    }

    /// Whether a subject sharing the run `subject[run]` with an indicator's words
    /// shares more than that: a character pair outside the run that is in the
    /// indicator's words too (`bigrams`, sorted), or nothing outside the run at all
    /// (受理 of 受理1.38万件, its noun elided). 在册社区矫正对象 shares 社区矫正对象 with
    /// 社区矫正对象脱管漏管人数 and nothing else: the indicator counts something else
    /// about the same people. 成功调解纠纷 shares 纠纷 with 矛盾纠纷 and 调解 with
    /// 矛盾纠纷调解化解数: it is that indicator's.
    static func sharesBeyond(_ subject: [UInt32], run: Range<Int>, _ bigrams: [UInt64]) -> Bool {
        var own = false
        var i = 0
        while i < subject.count {
            if run.contains(i) { i = run.upperBound; continue }
            if Scalars.isHan(subject[i]) {
                own = true
                if i + 1 < subject.count, !run.contains(i + 1), Scalars.isHan(subject[i + 1]),
                   contains(bigrams, UInt64(subject[i]) << 32 | UInt64(subject[i + 1])) { return true }
            }
            i += 1
        }
        return !own
    }

    /// Measure words that end indicator names (执法人员培训人数, 问题整改率): they tell no indicator apart.
    static let measureSuffixes: [[UInt32]] = ["人数", "次数", "件数", "个数", "人次", "数", "率"].map(Scalars.of)

    /// Whether what sets the phrase `p` apart, `p` without the run `run` it shares
    /// with the subject and without a closing measure word (数, 率, 人数), has a
    /// character in the subject: 民主法治村 for 民主法治示范村 (村), 规范性文件审查数 for
    /// 审查各类…规范性文件 (审查); not 废止行政规范性文件 (废止), 执法人员 for 参会人员.
    static func restShared(_ subject: [UInt32], _ p: [UInt32], run: Range<Int>) -> Bool {
        var end = p.count
        if run.upperBound < end {
            for w in measureSuffixes where end - w.count >= run.upperBound && Scalars.hasEnding(p, w, at: end) { end -= w.count; break }
        }
        var rest = 0
        for j in 0..<end where !run.contains(j) && Scalars.isHan(p[j]) {
            rest += 1
            if subject.contains(p[j]) { return true }
        }
        return rest == 0
    }

    /// The longest common run of `a` and `b` (short arrays, no allocation): its
    /// length and where it starts in `a` and in `b`; a longer run than `atLeast` only.
    @inline(__always)
    static func commonRun(_ x: UnsafeBufferPointer<UInt32>, _ y: UnsafeBufferPointer<UInt32>,
                          atLeast: Int = 0) -> (length: Int, inA: Int, inB: Int) {
        var best = atLeast, inA = 0, inB = 0
        for i in 0..<x.count {
            if x.count - i <= best { break }
            for j in 0..<y.count where x[i] == y[j] {
                var l = 1
                while i + l < x.count, j + l < y.count, x[i + l] == y[j + l] { l += 1 }
                if l > best { best = l; inA = i; inB = j }
            }
        }
        return best > atLeast ? (best, inA, inB) : (0, 0, 0)
    }

    /// The longest common run of `a` and `b`: its length and where it starts in `b`.
    static func runIn(_ a: [UInt32], _ b: [UInt32]) -> (Int, Int) {
        guard !a.isEmpty, !b.isEmpty else { return (0, 0) }
        let r = a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in commonRun(x, y) } }
        return (r.length, r.inB)
    }

    /// The longest run of `subject` that is in one of `phrases` (an indicator's
    /// name and aliases), as a range of the subject.
    static func longestRun(_ subject: [UInt32], _ phrases: [[UInt32]]) -> Range<Int> {
        var best = 0, at = 0
        subject.withUnsafeBufferPointer { x in
            for p in phrases {
                let r = p.withUnsafeBufferPointer { y in commonRun(x, y, atLeast: best) }
                if r.length > best { best = r.length; at = r.inA }
            }
        }
        return at..<(at + best)
    }

}
