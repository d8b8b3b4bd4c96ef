/// Remembers the last bytes read from a column and what they mapped to, so a
/// run of equal values is decoded once (used when loading millions of rows).
struct RepeatCache<T> {
    private var last: [UInt8] = []
    private var mapped: T?

    mutating func value(_ st: SQLiteStatement, _ col: Int32, _ make: (String) -> T) -> T {
        st.withBytes(col) { bytes in
            if let m = mapped, bytes.count == last.count, bytes.elementsEqual(last) { return m }
            last.removeAll(keepingCapacity: true)
            last.append(contentsOf: bytes)
            let m = make(String(decoding: bytes, as: UTF8.self))
            mapped = m
            return m
        }
    }
}
