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

    /// A message packed once, after its length, as the unknown field `number`
    /// of a parent (set on the parent's `base.unknown_fields`), for a message
    /// field of that number.
    ///
    /// protobuf-c sizes a nested message for its parent, again for itself
    /// and again for each message nested in it; packed here, it is sized
    /// once and its bytes are copied as they are (protobuf-c writes unknown
    /// fields after the known ones, and a reader takes them as the field
    /// itself: field order is free on the wire). The message's strings and
    /// nested messages need only live until this returns.
    @inlinable
    public func packedField<M: WireMessage>(_ message: M, number: UInt32) -> ProtobufCMessageUnknownField {
        var m = message
        return withUnsafeMutablePointer(to: &m) { p in
            p.withMemoryRebound(to: ProtobufCMessage.self, capacity: 1) { base in
                let size = protobuf_c_message_get_packed_size(base)
                var prefix = 1
                while size >> (7 * prefix) != 0 { prefix += 1 }
                let out = raw(prefix + size).bindMemory(to: UInt8.self, capacity: prefix + size)
                var n = size
                for i in 0..<prefix {
                    out[i] = UInt8(truncatingIfNeeded: n & 0x7F) | (i < prefix - 1 ? 0x80 : 0)
                    n >>= 7
                }
                let written = protobuf_c_message_pack(base, out + prefix)
                precondition(written == size, "protobuf-c packed \(written) bytes of a \(size)-byte message")
                return ProtobufCMessageUnknownField(tag: number, wire_type: PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED,
                                                    len: prefix + size, data: out)
            }
        }
    }

    /// A protobuf-c bytes field holding a copy of the bytes.
    public func bytes(_ b: [UInt8]) -> ProtobufCBinaryData {
        let p = raw(b.count).bindMemory(to: UInt8.self, capacity: max(b.count, 1))
        b.withUnsafeBufferPointer { if let base = $0.baseAddress { p.initialize(from: base, count: b.count) } }
        return ProtobufCBinaryData(len: b.count, data: p)
    }
}
