/// Interned strings: each distinct string stored once, addressed by an `Int32`.
///
/// Units, subjects, sources and quotes repeat across thousands of
/// observations; interning keeps an observation row a fixed-size struct.
struct StringTable {
    private(set) var strings: [String] = [""]
    private var ids: [String: Int32] = ["": 0]

    mutating func intern(_ s: String) -> Int32 {
        if let id = ids[s] { return id }
        let id = Int32(strings.count)
        strings.append(s)
        ids[s] = id
        return id
    }

    subscript(id: Int32) -> String { strings[Int(id)] }

    /// The id of a string already interned, without interning it.
    func id(of s: String) -> Int32? { ids[s] }
}
