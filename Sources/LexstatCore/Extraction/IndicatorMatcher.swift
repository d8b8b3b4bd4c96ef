/// Finds the catalog indicator a figure is about, from its subject phrase,
/// its clause and the indicators' names and aliases.
///
/// A name or alias inside the subject is the strongest evidence, one inside
/// the clause next, a partial overlap with the subject last. Units must be of
/// the same class (a rate only matches a rate, money only money). Ties go to
/// the indicator, then the function area, whose words share most character
/// pairs with the subject.
struct IndicatorMatcher: Sendable {
    enum UnitClass: Sendable { case rate, money, count, any }

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
        /// Character pairs of all indicators of the same area, sorted, unique.
        var areaBigrams: [UInt64]
    }

    var entries: [Entry]

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
                                 masks: phrases.map(IndicatorMatcher.signature), bigrams: bg.sorted(), areaBigrams: []))
            areas[ind.area, default: []].formUnion(bg)
        }
        for k in entries.indices { entries[k].areaBigrams = (areas[entries[k].area] ?? []).sorted() }
        self.entries = entries
    }

    @inline(__always)
    static func signature(_ p: [UInt32]) -> UInt64 {
        var m: UInt64 = 0
        for c in p { m |= 1 << UInt64(c & 63) }
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
        var i = 0, j = 0, n = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { n += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return n
    }

    static func unitClass(_ unit: String) -> UnitClass {
        switch unit {
        case "%", "pp", "‰": return .rate
        case "元": return .money
        case "": return .any
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
        a == .any || b == .any || a == b
    }

    /// Count units that name the same kind of thing.
    /// 人次 (person-times) counts people and occurrences both, so it is in two families.
    static let families: [Set<String>] = [["件", "件次", "起", "宗", "份"], ["人", "名", "人次", "位"], ["次", "场", "场次", "期", "人次"],
                                          ["个", "家", "所", "项", "条"], ["%", "pp"]]

    /// Two count units of known, different families: people are not cases (`3名` is no 案件数).
    static func otherFamily(_ a: String, _ b: String) -> Bool {
        guard a != b, families.contains(where: { $0.contains(a) }), families.contains(where: { $0.contains(b) }) else {
            return false
        }
        return !families.contains { $0.contains(a) && $0.contains(b) }
    }

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
        var best: (score: Double, conf: Double, code: String)? = nil
        for e in entries where IndicatorMatcher.compatible(uc, e.unitClass) && !IndicatorMatcher.otherFamily(unit, e.unit) {
            var score = 0.0, conf = 0.0
            let shared = Double(IndicatorMatcher.sharedCount(subjectBigrams, e.bigrams))
            for (pi, p) in e.phrases.enumerated() {
                let pm = e.masks[pi]
                if pm & ~subjectMask == 0, p.count <= subject.count, Scalars.contains(subject, p) {
                    let s = 100 + Double(p.count) * 4
                    if s > score { score = s; conf = min(0.95, 0.55 + 0.1 * Double(p.count)) }
                } else if score < 100, pm & ~contextMask == 0, p.count <= context.count, Scalars.contains(context, p) {
                    let s = 60 + Double(p.count) * 2
                    if s > score { score = s; conf = min(0.6, 0.3 + 0.07 * Double(p.count)) }
                } else if score < 60, IndicatorMatcher.sharesBigram(p, subjectBigrams) {
                    let l = IndicatorMatcher.commonRun(subject, p)
                    if l >= 2, l * 5 >= p.count * 2 {
                        let s = 30 + Double(l) + 2 * shared
                        if s > score { score = s; conf = 0.3 }
                    }
                }
            }
            if score == 0 {
                // No phrase fits: character pairs shared with the indicator's words (受理复议申请 ~ 行政复议受理案件数).
                if shared >= 2 { score = 10 + shared; conf = min(0.3, 0.1 * shared) }
            }
            guard score > 0 else { continue }
            if IndicatorMatcher.sameFamily(unit, e.unit) { score += unit == e.unit ? 4 : 3 }
            score += 0.1 * shared
            score += 0.01 * Double(IndicatorMatcher.sharedCount(subjectBigrams, e.areaBigrams))
            if let b = best, score <= b.score { continue }
            best = (score, conf, e.code)
        }
        return best.map { ($0.code, $0.conf) }
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

    /// Length of the longest common run of two short arrays.
    static func commonRun(_ a: [UInt32], _ b: [UInt32]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var best = 0
        var prev = [Int](repeating: 0, count: b.count + 1)
        var cur = prev
        for i in 0..<a.count {
            for j in 0..<b.count {
                cur[j + 1] = a[i] == b[j] ? prev[j] + 1 : 0
                if cur[j + 1] > best { best = cur[j + 1] }
            }
            swap(&prev, &cur)
        }
        return best
    }
}
