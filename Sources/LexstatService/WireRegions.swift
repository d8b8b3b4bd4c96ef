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
    // Immutable after init.
    private let byCode: [String: (region: Region, message: UnsafeMutablePointer<Lexstat__V1__Region>,
                                  packed: UnsafeMutableBufferPointer<UInt8>)]

    private init(_ dir: RegionDirectory) {
        func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
            guard let p = strdup(s) else { fatalError("out of memory") }
            return p
        }
        var map: [String: (region: Region, message: UnsafeMutablePointer<Lexstat__V1__Region>,
                           packed: UnsafeMutableBufferPointer<UInt8>)] = [:]
        map.reserveCapacity(dir.count)
        for r in dir.all {
            var w = Lexstat__V1__Region.make()
            w.code = cString(r.code)
            w.name = cString(r.name)
            w.short_name = cString(r.shortName)
            w.level = r.level.wire
            w.parent_code = cString(r.parent ?? "")
            w.full_name = cString(dir.fullName(of: r.code))
            let p = UnsafeMutablePointer<Lexstat__V1__Region>.allocate(capacity: 1)
            p.initialize(to: w)
            map[r.code] = (r, p, WireRegions.pack(p))
        }
        byCode = map
    }

    /// A region message packed after its length (a varint), as a length-delimited field's value.
    private static func pack(_ m: UnsafeMutablePointer<Lexstat__V1__Region>) -> UnsafeMutableBufferPointer<UInt8> {
        let size = lexstat__v1__region__get_packed_size(m)
        var prefix: [UInt8] = []
        var n = size
        repeat {
            prefix.append(UInt8(n & 0x7F) | (n > 0x7F ? 0x80 : 0))
            n >>= 7
        } while n > 0
        let buf = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: prefix.count + size)
        _ = buf.initialize(from: prefix)
        guard let base = buf.baseAddress else { fatalError("out of memory") }
        let written = lexstat__v1__region__pack(m, base + prefix.count)
        precondition(written == size, "protobuf-c packed \(written) bytes of a \(size)-byte region")
        return buf
    }

    /// The shared message of a region, if it is the directory's own (same code and names).
    func message(_ r: Region) -> UnsafeMutablePointer<Lexstat__V1__Region>? {
        guard let e = byCode[r.code], e.region == r else { return nil }
        return e.message
    }

    /// A region, packed, as the unknown field `number` of a parent message
    /// (`w.base.unknown_fields`), for a region field of that number; `nil`
    /// for a region not the directory's own, which is then set as a message.
    /// The bytes are shared and never freed: the field may only be packed.
    func packedField(_ r: Region, number: UInt32) -> ProtobufCMessageUnknownField? {
        guard let e = byCode[r.code], e.region == r, let data = e.packed.baseAddress else { return nil }
        return ProtobufCMessageUnknownField(tag: number, wire_type: PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED,
                                            len: e.packed.count, data: data)
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
