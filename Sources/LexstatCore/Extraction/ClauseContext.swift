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
}
