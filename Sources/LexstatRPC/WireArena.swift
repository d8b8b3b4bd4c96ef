import CProtobufC
import Foundation
import LexstatWire

/// Owns the C memory of messages being built for encoding: strings, nested
/// messages and repeated-field arrays. Everything is freed with the arena.
///
/// Not thread-safe: build and encode a message on one thread.
public final class WireArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    public init() {}

    deinit { for b in blocks { free(b) } }

    private func raw(_ size: Int) -> UnsafeMutableRawPointer {
        guard let p = malloc(max(size, 1)) else { fatalError("out of memory") }
        blocks.append(p)
        return p
    }

    /// A NUL-terminated copy of a string.
    public func string(_ s: String) -> UnsafeMutablePointer<CChar> {
        var utf8 = Array(s.utf8)
        utf8.append(0)
        let p = raw(utf8.count).bindMemory(to: CChar.self, capacity: utf8.count)
        utf8.withUnsafeBytes { UnsafeMutableRawPointer(p).copyMemory(from: $0.baseAddress!, byteCount: utf8.count) }
        return p
    }

    /// A copy of a value (e.g. a nested message).
    public func box<T>(_ value: T) -> UnsafeMutablePointer<T> {
        let p = raw(MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: 1)
        p.initialize(to: value)
        return p
    }

    /// A C array of values (a repeated scalar or enum field).
    public func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let p = raw(MemoryLayout<T>.stride * values.count).bindMemory(to: T.self, capacity: values.count)
        p.initialize(from: values, count: values.count)
        return p
    }

    /// A C array of pointers to copies of messages (a repeated message field).
    public func messages<T>(_ values: [T]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        array(values.map { Optional(box($0)) })
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
