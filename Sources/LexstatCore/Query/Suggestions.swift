/// Near-miss suggestions for unknown names and codes ("did you mean …").
enum Suggestions {
    /// Edit distance between two strings, by Characters (so one Chinese character is one step).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// The labels of the keys closest to `query`, best first, at most `limit`.
    ///
    /// A key counts as close when one contains the other (and the shorter has at
    /// least two characters), or when the edit distance is at most a third of
    /// the query's length (at least 1).
    static func closest<S: Sequence>(to query: String, among candidates: S, limit: Int = 5) -> [String]
    where S.Element == (key: String, label: String) {
        let q = Array(query.lowercased())
        guard !q.isEmpty else { return [] }
        let maxDistance = max(1, q.count / 3)
        var scored: [(Int, String)] = []
        var seen = Set<String>()
        for c in candidates {
            let k = c.key.lowercased()
            var score: Int?
            if k.count >= 2, q.count >= 2, k.contains(query.lowercased()) || query.lowercased().contains(k) {
                score = abs(k.count - q.count)
            } else if abs(k.count - q.count) <= maxDistance {
                let d = distance(q, Array(k))
                if d <= maxDistance { score = d * 10 }
            }
            if let s = score, seen.insert(c.label).inserted { scored.append((s, c.label)) }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return scored.prefix(limit).map(\.1)
    }

    /// " (did you mean: a, b?)" or "".
    static func hint(_ labels: [String]) -> String {
        labels.isEmpty ? "" : " (did you mean: \(labels.joined(separator: ", "))?)"
    }
}
