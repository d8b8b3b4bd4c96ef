import Foundation

/// China's administrative hierarchy, loaded once and never changed: lookup by
/// code or name, children, descendants and ancestors.
///
/// Immutable after `init`, hence `Sendable` and safe to read from any thread.
/// Regions are addressed internally by a dense `Int32` id (their index in
/// ``all``, which is sorted by code); the store's in-memory indexes key on it.
public final class RegionDirectory: Sendable {
    /// Every region, sorted by code.
    public let all: [Region]
    let idByCode: [String: Int32]
    let parentId: [Int32]
    let childIds: [[Int32]]
    /// ``fullName(of:)`` by id.
    let fullNames: [String]
    /// Ids of every region of a level, in code order (a nationwide comparison's scope).
    let idsByLevel: [Region.Level: [Int32]]
    /// Full and short names → ids (a name may name several regions).
    let idsByName: [String: [Int32]]
    let fullNameIds: [String: [Int32]]

    /// Builds a directory from regions; parents must be in the list.
    ///
    /// - Throws: `LexstatError.internalError` on a repeated code or a parent that is missing.
    public init(regions: [Region]) throws(LexstatError) {
        let sorted = regions.sorted { $0.code < $1.code }
        var byCode: [String: Int32] = [:]
        for (i, r) in sorted.enumerated() {
            if byCode[r.code] != nil { throw .internalError("region code \(r.code) repeats") }
            byCode[r.code] = Int32(i)
        }
        var parents = [Int32](repeating: -1, count: sorted.count)
        var children = [[Int32]](repeating: [], count: sorted.count)
        var names: [String: [Int32]] = [:]
        var full: [String: [Int32]] = [:]
        for (i, r) in sorted.enumerated() {
            if let p = r.parent {
                guard let pi = byCode[p] else { throw .internalError("region \(r.code) has unknown parent \(p)") }
                parents[i] = pi
                children[Int(pi)].append(Int32(i))
            }
            full[r.name, default: []].append(Int32(i))
            names[r.name, default: []].append(Int32(i))
            if r.shortName != r.name { names[r.shortName, default: []].append(Int32(i)) }
        }
        all = sorted
        idByCode = byCode
        parentId = parents
        var byLevel: [Region.Level: [Int32]] = [:]
        for (i, r) in sorted.enumerated() { byLevel[r.level, default: []].append(Int32(i)) }
        idsByLevel = byLevel
        // Full names are asked for with every region an answer carries (3 per GetSeries);
        // building them once here spares an ancestor walk and a join per use.
        fullNames = sorted.indices.map { i in
            var chain = [sorted[i].name]
            var p = parents[i]
            while p >= 0 { chain.append(sorted[Int(p)].name); p = parents[Int(p)] }
            return chain.reversed().joined()
        }
        childIds = children
        idsByName = names
        fullNameIds = full
    }

    /// The directory shipped with Lexstat (`regions.tsv`).
    public static func bundled() throws(LexstatError) -> RegionDirectory {
        let text = try ReferenceData.text(named: "regions.tsv")
        return try RegionDirectory(regions: RegionTSV.parse(text, source: "regions.tsv"))
    }

    /// Number of regions.
    public var count: Int { all.count }

    /// The region with a six-digit code, if known.
    public func region(code: String) -> Region? {
        idByCode[code].map { all[Int($0)] }
    }

    func id(of code: String) -> Int32? { idByCode[code] }
    func region(id: Int32) -> Region { all[Int(id)] }

    /// Direct children of a region, by code order.
    public func children(of code: String) -> [Region] {
        guard let i = idByCode[code] else { return [] }
        return childIds[Int(i)].map { all[Int($0)] }
    }

    /// Ancestors of a region, the province first, not including the region itself.
    public func ancestors(of code: String) -> [Region] {
        guard var i = idByCode[code] else { return [] }
        var chain: [Region] = []
        while parentId[Int(i)] >= 0 {
            i = parentId[Int(i)]
            chain.append(all[Int(i)])
        }
        return chain.reversed()
    }

    /// The name with its ancestors' names, e.g. `四川省成都市锦江区`.
    public func fullName(of code: String) -> String {
        guard let i = idByCode[code] else { return code }
        return fullNames[Int(i)]
    }

    /// Ids of all descendants of `id` (not `id` itself), depth first.
    func descendantIds(of id: Int32, level: Region.Level? = nil) -> [Int32] {
        var out: [Int32] = []
        var stack = childIds[Int(id)].reversed() as [Int32]
        while let c = stack.popLast() {
            if level == nil || all[Int(c)].level == level { out.append(c) }
            stack.append(contentsOf: childIds[Int(c)].reversed())
        }
        return out
    }

    /// Whether `id` lies under `ancestor` (or is it).
    func isWithin(_ id: Int32, _ ancestor: Int32) -> Bool {
        var i = id
        while i >= 0 {
            if i == ancestor { return true }
            i = parentId[Int(i)]
        }
        return false
    }

    /// All descendants of a region, optionally only those of one level.
    public func descendants(of code: String, level: Region.Level? = nil) -> [Region] {
        guard let i = idByCode[code] else { return [] }
        return descendantIds(of: i, level: level).map { all[Int($0)] }
    }

    /// Regions to list: the children of `parent` (or, with a `level`, its
    /// descendants of that level); without a parent, every region of `level`
    /// (all provinces when neither is given).
    ///
    /// - Parameters:
    ///   - parent: a code or name, resolved by ``resolve(_:)``.
    ///   - level: a level filter.
    /// - Throws: `LexstatError.notFound` or `.invalidArgument` from resolving `parent`.
    public func regions(parent: String? = nil, level: Region.Level? = nil) throws(LexstatError) -> [Region] {
        if let p = parent, !p.trimmingCharacters(in: .whitespaces).isEmpty {
            let r = try resolve(p)
            guard let i = idByCode[r.code] else { return [] }
            if let level { return descendantIds(of: i, level: level).map { all[Int($0)] } }
            return childIds[Int(i)].map { all[Int($0)] }
        }
        let lv = level ?? .province
        return all.filter { $0.level == lv }
    }
}
