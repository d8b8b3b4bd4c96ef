import Foundation
import Synchronization

/// The durable store (SQLite) and the in-memory indexes every query is answered from.
///
/// Open one per database file; share it across threads.
///
/// ## Durability
/// WAL mode with `synchronous = FULL`: every commit fsyncs the WAL, so a
/// report or an import that was reported stored survives a crash of the
/// process *and* of the machine. (`NORMAL` survives a process crash but may
/// lose the last commits on power loss.) Writes here are rare and batched —
/// one transaction per report or import — so the extra fsync costs nothing
/// that matters.
///
/// ## Lock discipline (why `@unchecked Sendable` is sound)
/// - `mem` (the indexes) is **mutated** only by a thread holding `writeMutex`
///   *and* the write side of `rw`, and only after the SQLite transaction it
///   mirrors has committed.
/// - Readers hold the read side of `rw` while they touch `mem`; they never
///   wait for SQLite or disk, only for the short in-memory apply step. A read
///   never takes the read side again inside itself: the lock prefers writers,
///   so a nested read could wait behind a queued writer forever.
/// - A writer holds `writeMutex` for its whole operation (so writers run one
///   at a time and may read `mem` without `rw`, since no one else mutates it)
///   and uses `writer`, the read-write connection, only under that mutex.
/// - `reader`, a second connection for the few reads not served from memory
///   (report text, full-text search, catalog history), is used only under
///   `readerMutex`. In WAL mode it reads committed data concurrently with a writer.
public final class LexstatStore: @unchecked Sendable {
    /// The region hierarchy the store resolves names against.
    public let regions: RegionDirectory
    /// The database file.
    public let path: String

    let writer: SQLiteDatabase
    let reader: SQLiteDatabase
    let writeMutex = Mutex()
    let readerMutex = Mutex()
    let rw = ReadWriteLock()
    let mem: MemoryIndex
    private var closed = false
    private let generationCounter = Atomic<UInt64>(0)

    /// Goes up by one with every committed write, in the same critical
    /// section that changes the indexes: an answer computed while it kept
    /// one value reflects the data of that value (response caches key on it).
    public var generation: UInt64 { generationCounter.load(ordering: .acquiring) }

    /// Opens (creating and migrating if needed) the store at `path` and builds the indexes.
    ///
    /// On an empty catalog, seeds the bundled one (`indicators.tsv`).
    ///
    /// - Parameters:
    ///   - path: the SQLite file; created when missing.
    ///   - regions: the region hierarchy; the bundled `regions.tsv` when `nil`.
    /// - Throws: `LexstatError.unavailable` when the file cannot be opened,
    ///   `.failedPrecondition` when its schema is newer than this build,
    ///   `.internalError` on a damaged database.
    public init(path: String, regions: RegionDirectory? = nil) throws(LexstatError) {
        if let regions { self.regions = regions } else { self.regions = try RegionDirectory.bundled() }
        self.path = path
        writer = try SQLiteDatabase(path: path)
        try writer.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        try Schema.migrate(writer)
        reader = try SQLiteDatabase(path: path)
        try reader.exec("PRAGMA query_only = ON;")
        mem = MemoryIndex(regions: self.regions)
        try load()
        if mem.indicators.isEmpty {
            _ = try importIndicators(tsv: ReferenceData.text(named: "indicators.tsv"),
                                     system: "法治政府建设指标体系", source: "indicators.tsv (bundled)")
        }
    }

    deinit { close() }

    /// Closes both connections (checkpointing the WAL).
    ///
    /// Later writes and reads that need the database (report text, search,
    /// catalog history) fail with `unavailable`; queries answered from memory
    /// keep answering until the store is released.
    public func close() {
        writeMutex.withLock {
            readerMutex.withLock {
                guard !closed else { return }
                closed = true
                reader.close()
                try? writer.exec("PRAGMA wal_checkpoint(TRUNCATE)")
                writer.close()
            }
        }
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    // MARK: locking helpers

    /// Runs `body` with the indexes, under the read lock.
    func read<T, E: Error>(_ body: (MemoryIndex) throws(E) -> T) throws(E) -> T {
        try rw.withReadLock { () throws(E) -> T in try body(mem) }
    }

    /// Runs a write: `body` works in one SQLite transaction and returns the
    /// result plus the change to apply to memory once committed.
    func write<T>(_ body: (SQLiteDatabase, MemoryIndex) throws(LexstatError) -> (T, (MemoryIndex) -> Void)) throws(LexstatError) -> T {
        try writeMutex.withLock { () throws(LexstatError) -> T in
            guard !closed else { throw .unavailable("store is closed") }
            let (result, apply) = try writer.transaction { () throws(LexstatError) in try body(writer, mem) }
            rw.withWriteLock {
                apply(mem)
                generationCounter.add(1, ordering: .releasing)
            }
            return result
        }
    }

    /// Runs `body` with the read-only connection.
    func withReader<T>(_ body: (SQLiteDatabase) throws(LexstatError) -> T) throws(LexstatError) -> T {
        try readerMutex.withLock { () throws(LexstatError) -> T in
            guard !closed else { throw .unavailable("store is closed") }
            return try body(reader)
        }
    }

    // MARK: loading

    private func load() throws(LexstatError) {
        let m = mem
        let inds = try writer.prepare("SELECT id, code, name, area, unit, polarity, aggregation, aliases, system FROM indicators ORDER BY id")
        while try inds.step() {
            m.putIndicator(Indicator(code: inds.text(1), name: inds.text(2), area: inds.text(3), unit: inds.text(4),
                                     polarity: Indicator.Polarity(rawValue: inds.text(5)) ?? .neutral,
                                     aggregation: Indicator.Aggregation(rawValue: inds.text(6)) ?? .none,
                                     aliases: inds.text(7).split(separator: "|").map(String.init),
                                     system: inds.text(8)), dbId: inds.int(0))
        }
        let reps = try writer.prepare("SELECT id, title, publisher, region, period, kind, published, source, content_hash, length FROM reports ORDER BY id")
        while try reps.step() {
            let r = Report(id: reps.int(0), title: reps.text(1), publisher: reps.text(2), region: reps.text(3),
                           period: (try? Period(parsing: reps.text(4))) ?? .cumulative,
                           kind: Report.Kind(rawValue: reps.text(5)) ?? .other, published: reps.text(6),
                           source: reps.text(7), text: "", contentHash: reps.text(8))
            m.reports[r.id] = r
            m.reportLengths[r.id] = Int(reps.int(9))
            m.reportIds.append(r.id)
        }
        // Room for every row at once, and as many again for the writes to come: grown by
        // doubling, the 1.7 M-row array was copied some twenty times while loading; reserved
        // to the row, the first write after start copied all of it (0.6 s, most of it
        // faulting in fresh pages). Pages not yet written are address space, not memory.
        // The highest id bounds the count.
        let top = try writer.prepare("SELECT max(id) FROM observations")
        var rows: [ObsRow] = []
        if try top.step(), !top.isNull(0) { rows.reserveCapacity(2 * Int(clamping: min(top.int(0), 1 << 26))) }
        let obs = try writer.prepare("""
            SELECT id, indicator_id, subject, region, period, value, unit, bound, kind,
                   report_id, span_start, span_end, quote, source FROM observations ORDER BY id
            """)
        // Consecutive rows mostly repeat their texts (one import, one region, one unit):
        // a column whose bytes equal the previous row's reuses its mapped value, no String made.
        var subject = RepeatCache<Int32>(), region = RepeatCache<Int32>()
        var unit = RepeatCache<Int32>(), bound = RepeatCache<UInt8>(), kind = RepeatCache<UInt8>()
        var text = RepeatCache<Int32>()
        let indicatorIdByDbId = m.indicatorIdByDbId
        var lastIndicator: (dbId: Int64, id: Int32) = (-1, -1)
        while try obs.step() {
            if !obs.isNull(1), obs.int(1) != lastIndicator.dbId {
                lastIndicator = (obs.int(1), indicatorIdByDbId[obs.int(1)] ?? -1)
            }
            let reportId = obs.isNull(9) ? 0 : obs.int(9)
            let row = ObsRow(
                id: obs.int(0), reportId: reportId, value: obs.double(5),
                indicator: obs.isNull(1) ? -1 : lastIndicator.id,
                region: region.value(obs, 3) { regions.id(of: $0) ?? -1 },
                period: obs.withBytes(4) { PeriodCode.encode(canonical: $0) }
                    ?? PeriodCode.encode((try? Period(parsing: obs.text(4))) ?? .cumulative),
                unit: unit.value(obs, 6) { m.strings.intern($0) },
                subject: subject.value(obs, 2) { m.strings.intern($0) },
                text: text.value(obs, reportId != 0 ? 12 : 13) { m.strings.intern($0) },
                spanStart: Int32(clamping: obs.int(10)), spanEnd: Int32(clamping: obs.int(11)),
                bound: bound.value(obs, 7) { ObsRow.code(Bound(rawValue: $0) ?? .exact) },
                kind: kind.value(obs, 8) { ObsRow.code(ObservationKind(rawValue: $0) ?? .actual) }, alive: true)
            rows.append(row)
        }
        m.add(contentsOf: rows)
    }

    // MARK: shared lookups

    /// Resolves an indicator by code or Chinese name, else `notFound` with suggestions.
    func indicatorId(_ query: String, in m: MemoryIndex) throws(LexstatError) -> Int32 {
        let q = query.trimmedForLookup(.whitespaces)
        guard !q.isEmpty else { throw .invalidArgument("indicator: empty") }
        if let id = m.indicatorIdByCode[q] { return id }
        if let i = m.indicators.firstIndex(where: { $0.name == q }) { return Int32(i) }
        let near = Suggestions.closest(to: q, among: m.indicators.lazy.flatMap { ind in
            [(key: ind.code, label: "\(ind.code) \(ind.name)"), (key: ind.name, label: "\(ind.code) \(ind.name)")]
                + ind.aliases.map { (key: $0, label: "\(ind.code) \(ind.name)") }
        })
        throw .notFound("indicator \"\(q)\": not in the catalog\(Suggestions.hint(near))")
    }

    /// Refuses a year outside 1949–2100, naming the field.
    static func checkYear(_ year: Int, field: String = "year") throws(LexstatError) {
        guard Period.validYears.contains(year) else {
            throw .invalidArgument("\(field): \(year) is outside \(Period.validYears.lowerBound)–\(Period.validYears.upperBound)")
        }
    }

    /// Parses a period argument, naming the field in the error.
    static func period(_ text: String, field: String) throws(LexstatError) -> Period {
        do {
            return try Period(parsing: text)
        } catch {
            throw .invalidArgument("\(field): \(error.message)")
        }
    }
}

extension LexstatStore {
    /// Regions to list; see ``RegionDirectory/regions(parent:level:)``.
    public func regions(parent: String? = nil, level: Region.Level? = nil) throws(LexstatError) -> [Region] {
        try regions.regions(parent: parent, level: level)
    }
}
