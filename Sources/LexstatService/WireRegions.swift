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
final class WireRegions: @unchecked Sendable {
    // Immutable after init.
    private let byCode: [String: (region: Region, message: UnsafeMutablePointer<Lexstat__V1__Region>)]

    private init(_ dir: RegionDirectory) {
        func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
            guard let p = strdup(s) else { fatalError("out of memory") }
            return p
        }
        var map: [String: (region: Region, message: UnsafeMutablePointer<Lexstat__V1__Region>)] = [:]
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
            map[r.code] = (r, p)
        }
        byCode = map
    }

    /// The shared message of a region, if it is the directory's own (same code and names).
    func message(_ r: Region) -> UnsafeMutablePointer<Lexstat__V1__Region>? {
        guard let e = byCode[r.code], e.region == r else { return nil }
        return e.message
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
