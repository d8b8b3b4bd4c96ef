/// Chinese numerals: 零 〇 一 二 两 三 … 九, 十 百 千, 万 亿.
enum ChineseNumerals {
    static let ten: UInt32 = 0x5341      // 十
    static let hundred: UInt32 = 0x767E  // 百
    static let thousand: UInt32 = 0x5343 // 千
    static let wan: UInt32 = 0x4E07      // 万
    static let yi: UInt32 = 0x4EBF       // 亿
    static let zero: UInt32 = 0x96F6     // 零
    static let ling: UInt32 = 0x3007     // 〇

    /// The value of a digit character (零〇 are 0, 两 is 2), or nil.
    @inline(__always)
    static func digit(_ c: UInt32) -> Int? {
        switch c {
        case 0x96F6, 0x3007: return 0
        case 0x4E00: return 1
        case 0x4E8C, 0x4E24: return 2 // 二 两
        case 0x4E09: return 3
        case 0x56DB: return 4
        case 0x4E94: return 5
        case 0x516D: return 6
        case 0x4E03: return 7
        case 0x516B: return 8
        case 0x4E5D: return 9
        default: return nil
        }
    }

    /// The multiplier of a unit character (十 百 千 万 亿), or nil.
    @inline(__always)
    static func multiplier(_ c: UInt32) -> Double? {
        switch c {
        case ten: return 10
        case hundred: return 100
        case thousand: return 1000
        case wan: return 10_000
        case yi: return 100_000_000
        default: return nil
        }
    }

    /// Whether a character can be part of a Chinese numeral.
    @inline(__always)
    static func isNumeral(_ c: UInt32) -> Bool { digit(c) != nil || multiplier(c) != nil }

    /// The value of a well-formed numeral in `u[r]`, or nil for a run that is
    /// not a number (`一一`, `三五`, `十四五`).
    static func value(_ u: [UInt32], _ r: Range<Int>) -> Double? {
        guard !r.isEmpty else { return nil }
        // 万余人次, 亿余元: 万 or 亿 alone is one of it (the mention rules decide whether it counts).
        if r.count == 1, u[r.lowerBound] == wan { return 10_000 }
        if r.count == 1, u[r.lowerBound] == yi { return 100_000_000 }
        var total = 0.0      // completed 亿 groups
        var section = 0.0    // completed 万 group
        var small = 0.0      // below 万
        var pending: Int? = nil
        var lastMult = Double.infinity // the last small multiplier seen in this group
        var sawZero = false
        for i in r {
            let c = u[i]
            if let d = digit(c) {
                if d == 0 {
                    if pending != nil { return nil } // 一零 is a digit string, not a number
                    sawZero = true
                    continue
                }
                if pending != nil { return nil }
                pending = d
            } else if let m = multiplier(c) {
                if m < 10_000 {
                    if m >= lastMult { return nil } // 十百 or 十十
                    small += Double(pending ?? 1) * m
                    lastMult = m
                    pending = nil
                } else if m == 10_000 {
                    small += Double(pending ?? 0)
                    if small == 0 && section == 0 && total == 0 { return nil }
                    section += small * 10_000
                    small = 0
                    pending = nil
                    lastMult = .infinity
                } else {
                    small += Double(pending ?? 0)
                    let group = section + small
                    if group == 0 && total == 0 { return nil }
                    total = (total + group) * 100_000_000
                    section = 0
                    small = 0
                    pending = nil
                    lastMult = .infinity
                }
                sawZero = false
            } else {
                return nil
            }
        }
        _ = sawZero
        if let p = pending {
            // 三百五 means 350: a trailing digit after a multiplier takes the next place down.
            if lastMult.isFinite && lastMult >= 100 && !sawZero {
                small += Double(p) * lastMult / 10
            } else {
                small += Double(p)
            }
        }
        return total + section + small
    }

    /// A small ordinal 一 … 九十九 at `i` (for headings): value and length.
    static func smallOrdinal(_ u: [UInt32], _ i: Int) -> (Int, Int)? {
        var k = i
        while k < u.count, k - i < 3, digit(u[k]) != nil || u[k] == ten { k += 1 }
        guard k > i else { return nil }
        guard let v = value(u, i..<k), v >= 1, v < 100 else { return nil }
        if u[i] == 0x4E24 { return nil } // 两 is not an ordinal
        return (Int(v), k - i)
    }
}
