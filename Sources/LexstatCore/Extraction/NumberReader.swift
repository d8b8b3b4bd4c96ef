/// A number read from text, with its qualifiers and unit.
public struct NumberToken: Sendable, Hashable {
    /// Start of the number text, bound words included (`超5.4亿元` starts at 超), in code points.
    public var start: Int
    /// Where the numeral itself starts.
    public var numeralStart: Int
    /// Where the numeral ends (before 余, 万, the unit).
    public var numeralEnd: Int
    /// End of the number text: after the unit and a trailing 以上/左右.
    public var end: Int
    /// The value in base units: 1.3万 is 13000, 5.4亿元 is 540000000.
    public var value: Double
    /// The unit reported (`件`, `元`, `%`, `pp`), `""` when there is none.
    public var unit: String
    /// The unit as written, `""` when there is none.
    public var unitText: String
    public var role: CountingUnits.Role?
    public var bound: Bound
    /// Written in Chinese numerals (`十期`) rather than digits.
    public var isChinese: Bool
    /// Has a decimal point.
    public var isDecimal: Bool
    /// Digits before the decimal point (Arabic numerals only).
    public var integerDigits: Int
    /// Has a 万/亿 multiplier.
    public var hasMultiplier: Bool
    /// Written as 百分之….
    public var isPercentWord: Bool
}

/// Reads numbers: Arabic with decimals, thousands separators and full-width
/// digits; Chinese numerals; mixed forms (1.3万, 9000余万); percent (%, ％,
/// 百分之…); percentage points (个百分点); bound words before (超 近 约 不少于 …),
/// inside (余 多) and after (以上 以下 以内 左右) the number; counting units and
/// money (万元, 亿元 → 元).
public struct NumberReader: Sendable {
    public var units: CountingUnits

    public init(units: CountingUnits = .standard) {
        self.units = units
    }

    static let percentWord = Scalars.of("百分之")
    static let prefixBounds: [([UInt32], Bound)] = ([
        ("不少于", .atLeast), ("不低于", .atLeast), ("不超过", .atMost), ("不高于", .atMost), ("不到", .atMost),
        ("不足", .atMost), ("超过", .atLeast), ("突破", .atLeast), ("大约", .approx), ("将近", .approx),
        ("接近", .approx), ("至少", .atLeast), ("大于", .atLeast), ("高于", .atLeast), ("多于", .atLeast),
        ("小于", .atMost), ("低于", .atMost), ("少于", .atMost), ("逾", .atLeast), ("超", .atLeast),
        ("近", .approx), ("约", .approx),
    ] as [(String, Bound)]).map { (Scalars.of($0.0), $0.1) }
    static let postfixBounds: [([UInt32], Bound)] = ([
        ("以上", .atLeast), ("之多", .atLeast), ("以下", .atMost), ("以内", .atMost), ("左右", .approx), ("上下", .approx),
    ] as [(String, Bound)]).map { (Scalars.of($0.0), $0.1) }
    static let yu: UInt32 = 0x4F59   // 余
    static let duo: UInt32 = 0x591A  // 多
    static let dian: UInt32 = 0x70B9 // 点

    /// Whether a number may start at `i`: a digit, a Chinese numeral, or 百分之.
    @inline(__always)
    static func canStart(_ u: [UInt32], _ i: Int) -> Bool {
        let c = u[i]
        return Scalars.isDigit(c) || ChineseNumerals.isNumeral(c)
    }

    /// Reads the number whose numeral starts at `i` (or whose 百分之 starts at `i`)
    /// in text given as Unicode scalar values; offsets in the token index `u`.
    /// Bound words just before `i` (超, 近, 不少于 …) are taken into the token.
    /// Returns nil when no well-formed number starts there.
    public func read(_ u: [UInt32], at i: Int) -> NumberToken? {
        guard i < u.count else { return nil }
        var k = i
        var percentWord = false
        if Scalars.has(u, NumberReader.percentWord, at: k) {
            percentWord = true
            k += 3
            guard k < u.count else { return nil }
        }
        let numeralStart = k
        var value = 0.0
        var chinese = false, decimal = false
        var intDigits = 0
        // Arabic numerals are kept as an integer and a count of decimals, so
        // that 0.7万 is exactly 7000.
        var mantissa: Int64 = 0
        var decimals = 0
        if Scalars.isDigit(u[k]) {
            var intPart = 0.0
            while k < u.count {
                let c = u[k]
                if Scalars.isDigit(c) {
                    intPart = intPart * 10 + Double(Scalars.digitValue(c))
                    if mantissa < Int64.max / 100 { mantissa = mantissa * 10 + Int64(Scalars.digitValue(c)) }
                    intDigits += 1
                    k += 1
                } else if c == 0x2C && intDigits > 0 && NumberReader.threeDigitsThenEnd(u, k + 1) {
                    k += 1 // thousands separator
                } else { break }
            }
            if k + 1 < u.count, u[k] == 0x2E || u[k] == 0xFF0E, Scalars.isDigit(u[k + 1]) {
                decimal = true
                k += 1
                var scale = 0.1, frac = 0.0
                while k < u.count, Scalars.isDigit(u[k]) {
                    frac += Double(Scalars.digitValue(u[k])) * scale
                    scale /= 10
                    if decimals < 12 && mantissa < Int64.max / 100 {
                        mantissa = mantissa * 10 + Int64(Scalars.digitValue(u[k]))
                        decimals += 1
                    }
                    k += 1
                }
                var p = 1.0
                for _ in 0..<decimals { p *= 10 }
                value = decimals > 0 && intDigits <= 15 ? Double(mantissa) / p : intPart + frac
            } else {
                value = intPart
            }
        } else if ChineseNumerals.isNumeral(u[k]) {
            chinese = true
            var e = k
            while e < u.count, ChineseNumerals.isNumeral(u[e]) { e += 1 }
            // 百分之九十九点五
            guard let v = ChineseNumerals.value(u, k..<e) else { return nil }
            value = v
            k = e
            if k + 1 < u.count, u[k] == NumberReader.dian, let _ = ChineseNumerals.digit(u[k + 1]) {
                var scale = 0.1, frac = 0.0
                k += 1
                decimal = true
                while k < u.count, let d = ChineseNumerals.digit(u[k]) {
                    frac += Double(d) * scale
                    scale /= 10
                    k += 1
                }
                value += frac
            }
        } else {
            return nil
        }
        let numeralEnd = k
        var bound = Bound.exact
        var hasMultiplier = false
        var unit = "", unitText = ""
        var role: CountingUnits.Role? = nil

        if percentWord {
            unit = "%"; unitText = "%"; role = .percent
        } else {
            if k < u.count, u[k] == NumberReader.yu || u[k] == NumberReader.duo, k + 1 < u.count,
               u[k + 1] == ChineseNumerals.wan || u[k + 1] == ChineseNumerals.yi || units.match(u, at: k + 1) != nil {
                bound = .atLeast
                k += 1
            }
            if !chinese || decimal || (k > numeralEnd) {
                // Arabic 1.3万, 9000余万, Chinese 二点六万; a Chinese whole numeral already holds its 万/亿.
                var m = 1.0
                while k < u.count {
                    let c = u[k]
                    if c == ChineseNumerals.wan { m *= 10_000 }
                    else if c == ChineseNumerals.yi { m *= 100_000_000 }
                    else if c == ChineseNumerals.thousand && !chinese && m == 1 { m *= 1000 }
                    else { break }
                    k += 1
                }
                if m > 1 {
                    hasMultiplier = true
                    if !chinese && decimal {
                        // exact: mantissa × m / 10^decimals
                        var p = 1.0
                        for _ in 0..<decimals { p *= 10 }
                        value = Double(mantissa) * m / p
                    } else {
                        value *= m
                    }
                }
            }
            if bound == .exact, k < u.count, u[k] == NumberReader.yu || u[k] == NumberReader.duo,
               k + 1 < u.count, units.match(u, at: k + 1) != nil {
                bound = .atLeast
                k += 1
            }
            if let (e, len) = units.match(u, at: k) {
                role = e.role
                unitText = e.text
                unit = e.unit
                if e.role == .money { value *= e.scale }
                k += len
            }
        }
        for (w, b) in NumberReader.postfixBounds where Scalars.has(u, w, at: k) {
            if role != .notAFigure { bound = b; k += w.count }
            break
        }
        // 10万+: a count shown as "and more"; not 1+4+7.
        if bound == .exact, k + 1 <= u.count, k < u.count, u[k] == 0x2B || u[k] == 0xFF0B, k > numeralEnd,
           k + 1 == u.count || !(Scalars.isDigit(u[k + 1]) || Scalars.isASCIILetter(u[k + 1])) {
            bound = .atLeast
            k += 1
        }
        var start = percentWord ? i : numeralStart
        if let (b, len) = NumberReader.prefixBound(u, before: start) {
            if bound == .exact { bound = b }
            start -= len
        }
        return NumberToken(start: start, numeralStart: numeralStart, numeralEnd: numeralEnd, end: k, value: value,
                           unit: unit, unitText: unitText, role: role, bound: bound, isChinese: chinese,
                           isDecimal: decimal, integerDigits: intDigits, hasMultiplier: hasMultiplier,
                           isPercentWord: percentWord)
    }

    /// A bound word ending just before `i`.
    static func prefixBound(_ u: [UInt32], before i: Int) -> (Bound, Int)? {
        for (w, b) in prefixBounds where Scalars.hasEnding(u, w, at: i) { return (b, w.count) }
        return nil
    }

    static func threeDigitsThenEnd(_ u: [UInt32], _ k: Int) -> Bool {
        guard k + 3 <= u.count else { return false }
        for j in k..<(k + 3) where !Scalars.isDigit(u[j]) { return false }   // ２,３４５ too
        return k + 3 == u.count || !Scalars.isDigit(u[k + 3])
    }

    /// The first number in a string, for tests and tools.
    public func first(in text: String) -> NumberToken? {
        let u = Scalars.of(text)
        var i = 0
        while i < u.count {
            if NumberReader.canStart(u, i) || Scalars.has(u, NumberReader.percentWord, at: i), let t = read(u, at: i) {
                return t
            }
            i += 1
        }
        return nil
    }
}
