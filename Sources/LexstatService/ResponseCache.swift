import Foundation
import Synchronization

/// Encoded answers of read methods, keyed by method and request bytes, valid
/// for one generation of the data they were computed from.
///
/// Dashboards and other services ask the same questions over and over (this
/// region's series, that province's comparison) while the data changes a few
/// times a day; an answer that cost microseconds to compute costs a hash and
/// a copy the second time. Only methods whose answer is a function of the
/// request and the stored data take part (`MethodTableBuilder.unary(cachedBy:)`);
/// authorization is checked before the cache is asked, so a cached answer is
/// never given to a caller who may not read.
///
/// Correctness rests on the store's `generation`: an answer is kept only if
/// the generation was the same before and after it was computed, and one kept
/// under an older generation is never returned. Every write therefore empties
/// the cache, lazily.
///
/// Memory is bounded by `budget` bytes of keys and answers, in two halves: new
/// answers go into the young half; when it is full, the old half is dropped
/// and the young one becomes old. A hit in the old half moves the answer
/// back into the young one. This keeps what is asked often at the cost of
/// one extra lookup, with no per-entry bookkeeping (the "two-segment" scheme
/// of many caches). Answers larger than `budget / 64` are not kept.
///
/// A lookup allocates nothing: the request bytes are hashed in place and
/// compared with `memcmp` against the kept ones (`Table`).
public final class ResponseCache: Sendable {
    /// One kept answer: the request bytes and the answer in one array, so a
    /// lookup touches the slot and then one block of memory.
    struct Entry {
        var hash: Int
        var method: Int32
        var keyCount: Int
        var data: [UInt8]

        init(method: Int32, hash: Int, key: UnsafeRawBufferPointer, answer: [UInt8]) {
            self.hash = hash
            self.method = method
            keyCount = key.count
            data = [UInt8](key)
            data += answer
        }

        /// Bytes it is counted as: key, answer and the overhead of an array and a slot.
        var size: Int { data.count + 64 }
        var answer: ArraySlice<UInt8> { data[keyCount...] }

        func matches(_ method: Int32, _ hash: Int, _ body: UnsafeRawBufferPointer) -> Bool {
            guard self.hash == hash, self.method == method, keyCount == body.count else { return false }
            return data.withUnsafeBytes { k in
                guard let a = k.baseAddress, let b = body.baseAddress else { return body.isEmpty }
                return memcmp(a, b, body.count) == 0
            }
        }

        func sameKey(_ e: Entry) -> Bool {
            hash == e.hash && method == e.method && keyCount == e.keyCount && data[..<keyCount] == e.data[..<e.keyCount]
        }
    }

    /// An open-addressing table (linear probing, at most half full) of entries,
    /// with the hashes inline so that a probe reads no entry's memory.
    struct Table {
        private(set) var slots: [Entry?] = Array(repeating: nil, count: 64)
        private(set) var count = 0
        var bytes = 0

        func find(_ method: Int32, _ hash: Int, _ body: UnsafeRawBufferPointer) -> ArraySlice<UInt8>? {
            slots.withUnsafeBufferPointer { slots in
                let mask = slots.count - 1
                var i = hash & mask
                while let e = slots[i] {
                    if e.matches(method, hash, body) { return e.answer }
                    i = (i + 1) & mask
                }
                return nil
            }
        }

        /// Adds or replaces the entry of the same request.
        mutating func insert(_ entry: Entry) {
            if (count + 1) * 2 > slots.count { grow() }
            let mask = slots.count - 1
            var i = entry.hash & mask
            while let e = slots[i] {
                if e.sameKey(entry) {
                    bytes += entry.size - e.size
                    slots[i] = entry
                    return
                }
                i = (i + 1) & mask
            }
            slots[i] = entry
            count += 1
            bytes += entry.size
        }

        private mutating func grow() {
            let old = slots
            slots = Array(repeating: nil, count: old.count * 2)
            let mask = slots.count - 1
            for case let e? in old {
                var i = e.hash & mask
                while slots[i] != nil { i = (i + 1) & mask }
                slots[i] = e
            }
        }
    }

    private struct State: ~Copyable {
        var generation: UInt64 = 0
        var young = Table()
        var old = Table()
    }

    /// Most bytes (keys plus answers) held; 0 turns the cache off.
    public let budget: Int
    private let state = Mutex(State())
    private let hitCount = Atomic<UInt64>(0)
    private let missCount = Atomic<UInt64>(0)

    public init(budget: Int) {
        self.budget = max(0, budget)
    }

    public var isEnabled: Bool { budget > 0 }
    public var hits: UInt64 { hitCount.load(ordering: .relaxed) }
    public var misses: UInt64 { missCount.load(ordering: .relaxed) }
    /// Bytes held now.
    public var bytes: Int { state.withLock { $0.young.bytes + $0.old.bytes } }

    static func hash(_ method: Int32, _ body: UnsafeRawBufferPointer) -> Int {
        var h = Hasher()
        h.combine(method)
        h.combine(bytes: body)
        return h.finalize()
    }

    /// The answer kept for this request under `generation`, if any.
    func answer(method: Int32, body: UnsafeRawBufferPointer, generation: UInt64) -> ArraySlice<UInt8>? {
        let hash = Self.hash(method, body)
        let found: ArraySlice<UInt8>? = state.withLock { s in
            guard s.generation == generation else { return nil }
            if let a = s.young.find(method, hash, body) { return a }
            guard let a = s.old.find(method, hash, body) else { return nil }
            // Asked again: keep it through the next rotation.
            Self.insert(&s, Entry(method: method, hash: hash, key: body, answer: Array(a)), budget: budget)
            return a
        }
        if found == nil { missCount.add(1, ordering: .relaxed) } else { hitCount.add(1, ordering: .relaxed) }
        return found
    }

    /// Keeps an answer computed under `generation` (the caller checked that
    /// the data did not change while it was computed).
    func keep(method: Int32, body: UnsafeRawBufferPointer, generation: UInt64, answer: [UInt8]) {
        let entry = Entry(method: method, hash: Self.hash(method, body), key: body, answer: answer)
        guard entry.size <= budget / 64 else { return }
        state.withLock { s in
            if s.generation != generation {
                guard generation > s.generation else { return } // computed on older data than the cache holds
                s = State()
                s.generation = generation
            }
            Self.insert(&s, entry, budget: budget)
        }
    }

    private static func insert(_ s: inout State, _ entry: Entry, budget: Int) {
        if s.young.bytes + entry.size > budget / 2 {
            s.old = s.young
            s.young = Table()
        }
        s.young.insert(entry)
    }
}
