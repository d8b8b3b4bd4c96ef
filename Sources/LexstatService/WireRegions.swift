import CProtobufC
import Foundation
import LexstatCore
import LexstatWire

/// The wire form of every region of a directory, built once and shared.
///
/// Regions never change while a server runs, yet every answer that names
/// one copied its six strings into the call's arena and looked up its full
/// name: 2,850 times for a Compare over every county, where that was a fifth
/// of the server's time. The messages here are built on first use, never
/// freed, and only read afterwards (protobuf-c's packing reads them), so
/// any thread may encode them at once.
///
/// Each region is also kept packed, with its length prefix, for answers that
/// list thousands of regions (Compare over every county, Rollup): protobuf-c
/// sizes a nested message once for its parent and again for itself, field by
/// field with `strlen`, which was half of such a call's time. Attached to the
/// parent as an unknown field with the region field's number
/// (``packedField(_:number:)``), the bytes are copied as they are; protobuf-c
/// writes unknown fields after the known ones, and a reader takes them as the
/// region field itself (field order is free on the wire).
final class WireRegions: @unchecked Sendable {
    // Immutable after init; indexed like the directory's `all`.
    private let regions: [Region]
    private let messages: [UnsafeMutablePointer<Lexstat__V1__Region>]
    /// Slices of one block, in directory order: the regions of a province lie
    /// together, and a list of thousands reads few cache lines beyond its own.
    private let packed: [UnsafeBufferPointer<UInt8>]
    private let indexByCode: [String: Int32]

    private init(_ dir: RegionDirectory) {
        func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
            guard let p = strdup(s) else { fatalError("out of memory") }
            return p
        }
        var messages: [UnsafeMutablePointer<Lexstat__V1__Region>] = []
        var sizes: [Int] = []
        var byCode: [String: Int32] = [:]
        messages.reserveCapacity(dir.count)
        byCode.reserveCapacity(dir.count)
        for (i, r) in dir.all.enumerated() {
            var w = Lexstat__V1__Region.make()
            w.code = cString(r.code)
            w.name = cString(r.name)
            w.short_name = cString(r.shortName)
            w.level = r.level.wire
            w.parent_code = cString(r.parent ?? "")
            w.full_name = cString(dir.fullName(of: r.code))
            let p = UnsafeMutablePointer<Lexstat__V1__Region>.allocate(capacity: 1)
            p.initialize(to: w)
            messages.append(p)
            let size = lexstat__v1__region__get_packed_size(p)
            sizes.append(WireRegions.varintLength(size) + size)
            byCode[r.code] = Int32(i)
        }
        let block = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, sizes.reduce(0, +)))
        guard let base = block.baseAddress else { fatalError("out of memory") }
        var packed: [UnsafeBufferPointer<UInt8>] = []
        packed.reserveCapacity(messages.count)
        var at = 0
        for (m, size) in zip(messages, sizes) {
            let written = WireRegions.pack(m, into: base + at)
            precondition(written == size, "packed \(written) bytes of a \(size)-byte region field")
            packed.append(UnsafeBufferPointer(start: base + at, count: size))
            at += size
        }
        regions = dir.all
        self.messages = messages
        self.packed = packed
        indexByCode = byCode
    }

    private static func varintLength(_ n: Int) -> Int {
        var n = n, len = 1
        while n > 0x7F { n >>= 7; len += 1 }
        return len
    }

    /// A region message packed after its length (a varint), as a length-delimited
    /// field's value, at `out`; the bytes written.
    private static func pack(_ m: UnsafeMutablePointer<Lexstat__V1__Region>, into out: UnsafeMutablePointer<UInt8>) -> Int {
        let size = lexstat__v1__region__get_packed_size(m)
        var n = size, at = 0
        repeat {
            out[at] = UInt8(n & 0x7F) | (n > 0x7F ? 0x80 : 0)
            n >>= 7
            at += 1
        } while n > 0
        return at + lexstat__v1__region__pack(m, out + at)
    }

    /// The index of a region if it is the directory's own (same code and names).
    private func index(_ r: Region) -> Int? {
        guard let i = indexByCode[r.code], regions[Int(i)] == r else { return nil }
        return Int(i)
    }

    /// The shared message of a region, if it is the directory's own (same code and names).
    func message(_ r: Region) -> UnsafeMutablePointer<Lexstat__V1__Region>? {
        index(r).map { messages[$0] }
    }

    /// The shared message of the directory's region at `index` (of its `all`).
    func message(at index: Int32) -> UnsafeMutablePointer<Lexstat__V1__Region>? {
        messages.indices.contains(Int(index)) ? messages[Int(index)] : nil
    }

    /// A region, packed, as the unknown field `number` of a parent message
    /// (`w.base.unknown_fields`), for a region field of that number; `nil`
    /// for a region not the directory's own, which is then set as a message.
    /// The bytes are shared and never freed: the field may only be packed.
    func packedField(_ r: Region, number: UInt32) -> ProtobufCMessageUnknownField? {
        index(r).flatMap { packedField(at: Int32($0), number: number) }
    }

    /// ``packedField(_:number:)`` for the directory's region at `index` (of its `all`).
    func packedField(at index: Int32, number: UInt32) -> ProtobufCMessageUnknownField? {
        guard packed.indices.contains(Int(index)), let data = packed[Int(index)].baseAddress else { return nil }
        return ProtobufCMessageUnknownField(tag: number, wire_type: PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED,
                                            len: packed[Int(index)].count, data: UnsafeMutablePointer(mutating: data))
    }

    // One table per directory, kept for the life of the process together with
    // its directory (so an identifier is never reused by another directory).
    private static let lock = NSLock()
    nonisolated(unsafe) private static var tables: [ObjectIdentifier: (RegionDirectory, WireRegions)] = [:]

    /// The table of a directory, built on first use.
    static func table(for dir: RegionDirectory) -> WireRegions {
        lock.lock()
        defer { lock.unlock() }
        if let t = tables[ObjectIdentifier(dir)] { return t.1 }
        let t = WireRegions(dir)
        tables[ObjectIdentifier(dir)] = (dir, t)
        return t
    }
}
