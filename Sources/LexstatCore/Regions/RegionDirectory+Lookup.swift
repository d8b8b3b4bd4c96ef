import Foundation

extension RegionDirectory {
    /// Finds the one region a code or name means.
    ///
    /// Accepts a six-digit code (`510100`), a two- or four-digit prefix code
    /// (`51`, `5101`), a full name (`成都市`), a short name (`成都`), or a chain
    /// of names from the top down, full or short (`重庆市江北区`, `四川成都`,
    /// `四川省成都市锦江区`). A full-name match wins over a short-name match.
    ///
    /// - Throws: `LexstatError.notFound` for an unknown code or name, with
    ///   near-miss suggestions; `.invalidArgument` for an ambiguous name,
    ///   listing every candidate with its full name and code.
    public func resolve(_ query: String) throws(LexstatError) -> Region {
        try region(id: resolveId(query))
    }

    func resolveId(_ query: String) throws(LexstatError) -> Int32 {
        let q = query.trimmedForLookup(.whitespacesAndNewlines)
        guard !q.isEmpty else { throw .invalidArgument("region: empty") }
        if q.allSatisfy(\.isASCIIDigit) {
            let code: String
            switch q.count {
            case 6: code = q
            case 2, 4: code = q + String(repeating: "0", count: 6 - q.count)
            default: throw .invalidArgument("region \"\(q)\": a code has six digits (GB/T 2260), e.g. 510100")
            }
            guard let id = idByCode[code] else {
                let near = Suggestions.closest(to: code, among: all.lazy.map { (key: $0.code, label: self.label($0)) }, limit: 3)
                throw .notFound("region \(code): no such code\(Suggestions.hint(near))")
            }
            return id
        }
        let matches = candidates(for: q)
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            let list = matches.map { label(region(id: $0)) }.joined(separator: ", ")
            throw .invalidArgument("region \"\(q)\" is ambiguous: \(list); give the code or the full name")
        }
        let near = Suggestions.closest(
            to: q,
            among: all.lazy.flatMap { r in [(key: r.name, label: self.label(r)), (key: r.shortName, label: self.label(r))] })
        throw .notFound("region \"\(q)\": no such region\(Suggestions.hint(near))")
    }

    /// `四川省成都市锦江区 (510104)`.
    func label(_ r: Region) -> String { "\(fullName(of: r.code)) (\(r.code))" }

    /// Every region the name may mean, best matches only.
    private func candidates(for q: String) -> [Int32] {
        if let full = fullNameIds[q] { return full }
        if let any = idsByName[q] { return any }
        // A chain of names: split off a leading name, resolve the rest beneath it.
        var found = Set<Int32>()
        chain(Substring(q), under: nil, into: &found)
        return found.sorted()
    }

    private func chain(_ rest: Substring, under parent: Int32?, into found: inout Set<Int32>) {
        let chars = Array(rest)
        guard chars.count >= 2 else { return }
        for len in stride(from: chars.count, through: 2, by: -1) {
            let head = String(chars[0..<len])
            guard let ids = idsByName[head] else { continue }
            for id in ids where parent.map({ isWithin(id, $0) && id != $0 }) ?? true {
                if len == chars.count {
                    found.insert(id)
                } else {
                    chain(Substring(String(chars[len...])), under: id, into: &found)
                }
            }
        }
    }
}
