import CProtobufC
import Foundation
import LexstatWire

/// Owns the C memory of messages being built for encoding: strings, nested
/// messages and repeated-field arrays. Everything is freed with the arena.
///
/// Not thread-safe: build and encode a message on one thread.
public final class WireArena {
    // A bump allocator: pieces are carved from blocks, and every block is freed
    // with the arena. A GetSeries answer needs some sixty strings and boxes;
    // one malloc each (plus a Swift array per string copy) was a third of the
    // server's time under load, most of it inside malloc itself.
    private var blocks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0
    private var nextBlockSize = 4096
    @usableFromInline static let alignment = 16

    public init() {}

    deinit { for b in blocks { free(b) } }

    @usableFromInline
    func raw(_ size: Int) -> UnsafeMutableRawPointer {
        let n = (max(size, 1) + WireArena.alignment - 1) & ~(WireArena.alignment - 1)
        if n > remaining {
            if n > nextBlockSize / 4 {
                // Big pieces get a block of their own; the current block stays in use.
                guard let p = malloc(n) else { fatalError("out of memory") }
                blocks.append(p)
                return p
            }
            guard let p = malloc(nextBlockSize) else { fatalError("out of memory") }
            blocks.append(p)
            cursor = p
            remaining = nextBlockSize
            if nextBlockSize < 1 << 20 { nextBlockSize *= 2 }
        }
        let p = cursor!
        cursor = p + n
        remaining -= n
        return p
    }

    /// A NUL-terminated copy of a string.
    public func string(_ s: String) -> UnsafeMutablePointer<CChar> {
        var s = s
        return s.withUTF8 { utf8 in
            let p = raw(utf8.count + 1)
            if let base = utf8.baseAddress { p.copyMemory(from: base, byteCount: utf8.count) }
            p.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
            return p.bindMemory(to: CChar.self, capacity: utf8.count + 1)
        }
    }

    // The generic methods are inlinable so that callers in other modules get them
    // specialised for their message types: unspecialised, each call looked up
    // type metadata at run time (6 % of a GetSeries profile).

    /// A copy of a value (e.g. a nested message).
    @inlinable
    public func box<T>(_ value: T) -> UnsafeMutablePointer<T> {
        precondition(MemoryLayout<T>.alignment <= WireArena.alignment)
        let p = raw(MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: 1)
        p.initialize(to: value)
        return p
    }

    /// A C array of values (a repeated scalar or enum field).
    @inlinable
    public func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        precondition(MemoryLayout<T>.alignment <= WireArena.alignment)
        let p = raw(MemoryLayout<T>.stride * values.count).bindMemory(to: T.self, capacity: values.count)
        p.initialize(from: values, count: values.count)
        return p
    }

    /// A C array of pointers to copies of messages (a repeated message field).
    @inlinable
    public func messages<T>(_ values: [T]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        guard !values.isEmpty else { return nil }
        // The pointer array first, then the messages: no intermediate Swift array.
        let ptrs = raw(MemoryLayout<UnsafeMutablePointer<T>?>.stride * values.count)
            .bindMemory(to: UnsafeMutablePointer<T>?.self, capacity: values.count)
        for (i, v) in values.enumerated() { (ptrs + i).initialize(to: box(v)) }
        return ptrs
    }

    /// A C array of strings (a repeated string field).
    public func strings(_ values: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        array(values.map { Optional(string($0)) })
    }

    /// A protobuf-c bytes field holding a copy of the bytes.
    public func bytes(_ b: [UInt8]) -> ProtobufCBinaryData {
        let p = raw(b.count).bindMemory(to: UInt8.self, capacity: max(b.count, 1))
        b.withUnsafeBufferPointer { if let base = $0.baseAddress { p.initialize(from: base, count: b.count) } }
        return ProtobufCBinaryData(len: b.count, data: p)
    }
}
