import Foundation

/// A national data set made up from a seed, for benchmarks and scale tests.
///
/// Every county-level region of the bundled hierarchy (the 2,846 counties and
/// districts, plus the cities that have none under them, such as 东莞市) ×
/// the first 60 indicators of the catalog × the years 2015–2024: about
/// 1.72 M actual figures. The same seed always gives the same figures.
/// Counts are drawn around a size that depends on the indicator and the
/// region (a populous district reports more cases than a small county);
/// percentages stay within 0–100. Provinces and cities get no figures of
/// their own: a rollup sums their counties.
public enum SyntheticNation {
    /// The years every series covers.
    public static let years = 2015...2024
    /// How many indicators of the catalog get figures (the first ones by id).
    public static let indicatorCount = 60
    /// The source string of every synthetic figure.
    public static func source(seed: UInt64) -> String { "synthetic national data, seed \(seed)" }

    /// What ``fill(path:seed:regions:)`` wrote.
    public struct Summary: Sendable {
        public var regions: Int
        public var indicators: Int
        public var years: Int
        public var observations: Int
        /// False when the database already held figures and was left alone.
        public var filled: Bool
        public var seconds: Double
    }

    /// The regions that get figures: every region without children below
    /// city level, and cities without counties.
    public static func regions(in dir: RegionDirectory) -> [Region] {
        dir.all.indices.filter { i in
            let r = dir.all[i]
            return r.level == .county || (r.level == .city && dir.childIds[i].isEmpty)
        }.map { dir.all[$0] }
    }

    /// Fills the database at `path` (created when missing) with the synthetic
    /// figures of `seed`, unless it already holds observations.
    ///
    /// Writes straight into SQLite in one transaction with `synchronous = OFF`
    /// (a bulk build of a database nobody reads yet; the final checkpoint and
    /// close make it durable), then leaves the file for ``LexstatStore`` to open.
    ///
    /// - Throws: the ``LexstatError`` of opening or writing the database.
    public static func fill(path: String, seed: UInt64, regions: RegionDirectory? = nil) throws(LexstatError) -> Summary {
        let started = Date()
        let store = try LexstatStore(path: path, regions: regions)
        let dir = store.regions
        let (_, existing) = try store.counts()
        let indicators = Array(store.indicators().prefix(indicatorCount))
        store.close()
        let places = Self.regions(in: dir)
        guard existing == 0 else {
            return Summary(regions: places.count, indicators: indicators.count, years: years.count, observations: existing,
                           filled: false, seconds: Date().timeIntervalSince(started))
        }
        let db = try SQLiteDatabase(path: path)
        defer { db.close() }
        try db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")
        var written = 0
        try db.transaction { () throws(LexstatError) in
            var ids: [String: Int64] = [:]
            let q = try db.prepare("SELECT id, code FROM indicators")
            while try q.step() { ids[q.text(1)] = q.int(0) }
            let ins = try db.prepare("""
                INSERT INTO observations (indicator_id, subject, region, period, value, unit, bound, kind, source)
                VALUES (?, '', ?, ?, ?, ?, 'exact', 'actual', ?)
                """)
            let source = SQLValue.text(Self.source(seed: seed))
            let yearTexts = years.map { SQLValue.text(String($0)) }
            var rng = SplitMix64(seed: seed)
            // Indicator-major, so each series' rows sit together as a real import would put them.
            for ind in indicators {
                let indId = SQLValue.int(ids[ind.code] ?? 0)
                let unit = SQLValue.text(ind.unit)
                let isShare = ind.aggregation == .none || ind.unit.contains("%")
                let scale = 10.0 * pow(10.0, rng.unit() * 2.5)  // 10 … ~3,000 a county-year
                for r in places {
                    let code = SQLValue.text(r.code)
                    var level = isShare ? 40 + rng.unit() * 55 : scale * (0.3 + rng.unit() * 1.7)
                    for (i, _) in years.enumerated() {
                        let v: Double
                        if isShare {
                            level = min(100, max(0, level + (rng.unit() - 0.45) * 4))
                            v = (level * 10).rounded() / 10
                        } else {
                            level *= 0.95 + rng.unit() * 0.15
                            v = level.rounded()
                        }
                        try ins.run([indId, code, yearTexts[i], .double(v), unit, source])
                        written += 1
                    }
                }
            }
        }
        try db.exec("PRAGMA wal_checkpoint(TRUNCATE)")
        return Summary(regions: places.count, indicators: indicators.count, years: years.count, observations: written,
                       filled: true, seconds: Date().timeIntervalSince(started))
    }
}
