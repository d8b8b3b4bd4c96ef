/// Clause and sentence boundaries around a position.
///
/// Scans stop after `reach` code points so that text without punctuation
/// cannot make extraction quadratic.
enum ClauseContext {
    static let reach = 240

    /// Start of the clause holding `i`: after the last ，：。；！？ or line break.
    static func clauseStart(_ u: [UInt32], _ i: Int) -> Int {
        var k = i
        while k > 0, i - k < reach, !Scalars.endsClause(u[k - 1]) { k -= 1 }
        return k
    }

    static func clauseEnd(_ u: [UInt32], _ i: Int) -> Int {
        var k = i
        while k < u.count, k - i < reach, !Scalars.endsClause(u[k]) { k += 1 }
        return k
    }

    /// Start of the sentence holding `i`: after the last 。；！？ or line break.
    static func sentenceStart(_ u: [UInt32], _ i: Int) -> Int {
        var k = i
        while k > 0, i - k < reach, !Scalars.endsSentence(u[k - 1]) { k -= 1 }
        return k
    }

    /// Start of the whole sentence holding `i`: after the last 。！？ or line
    /// break. Unlike `sentenceStart` it reads across ；, which in reports
    /// separates the items of one list (2025年要…：一是…；二是…；三是…。),
    /// so what opens the list (a later year) governs every item.
    static func fullSentenceStart(_ u: [UInt32], _ i: Int) -> Int {
        var k = i
        while k > 0, i - k < reach, !endsFullSentence(u[k - 1]) { k -= 1 }
        return k
    }

    @inline(__always) static func endsFullSentence(_ c: UInt32) -> Bool {
        switch c {
        case 0x3002, 0xFF01, 0xFF1F, 0x21, 0x3F, 0x0A, 0x0D: return true
        default: return false
        }
    }
}
