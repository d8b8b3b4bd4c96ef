/// The database schema as numbered migrations, tracked in `PRAGMA user_version`.
///
/// Migration *n* takes a database at version *n − 1* to version *n*. Each runs
/// in its own transaction together with the version bump, so a crash leaves the
/// database at a whole version. Never edit a shipped migration: add one.
enum Schema {
    static let migrations: [String] = [
        // 1: catalog with history, reports with sections (JSON), observations, full-text index.
        """
        CREATE TABLE indicators (
            id          INTEGER PRIMARY KEY,
            code        TEXT NOT NULL UNIQUE,
            name        TEXT NOT NULL,
            area        TEXT NOT NULL,
            unit        TEXT NOT NULL,
            polarity    TEXT NOT NULL,
            aggregation TEXT NOT NULL,
            aliases     TEXT NOT NULL,   -- '|'-separated
            system      TEXT NOT NULL
        );
        CREATE TABLE indicator_history (
            id            INTEGER PRIMARY KEY,
            indicator_id  INTEGER NOT NULL REFERENCES indicators(id),
            field         TEXT NOT NULL,  -- 'created' for a new indicator
            old_value     TEXT NOT NULL,
            new_value     TEXT NOT NULL,
            changed_at_ms INTEGER NOT NULL,
            source        TEXT NOT NULL
        );
        CREATE INDEX indicator_history_by_indicator ON indicator_history(indicator_id, id);
        CREATE TABLE reports (
            id           INTEGER PRIMARY KEY,
            title        TEXT NOT NULL,
            publisher    TEXT NOT NULL,
            region       TEXT NOT NULL,
            period       TEXT NOT NULL,
            kind         TEXT NOT NULL,
            published    TEXT NOT NULL,
            source       TEXT NOT NULL,
            text         TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            sections     TEXT NOT NULL,  -- JSON array of ReportSection
            length       INTEGER NOT NULL,
            stored_at_ms INTEGER NOT NULL
        );
        CREATE TABLE observations (
            id           INTEGER PRIMARY KEY,
            indicator_id INTEGER REFERENCES indicators(id),  -- NULL: a free subject
            subject      TEXT NOT NULL,
            region       TEXT NOT NULL,
            period       TEXT NOT NULL,
            value        REAL NOT NULL,
            unit         TEXT NOT NULL,
            bound        TEXT NOT NULL,
            kind         TEXT NOT NULL,
            report_id    INTEGER REFERENCES reports(id),     -- NULL: imported
            span_start   INTEGER NOT NULL DEFAULT 0,
            span_end     INTEGER NOT NULL DEFAULT 0,
            quote        TEXT NOT NULL DEFAULT '',
            source       TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX observations_by_report ON observations(report_id);
        CREATE INDEX observations_by_series ON observations(indicator_id, region, period);
        CREATE VIRTUAL TABLE report_fts USING fts5(title, text, tokenize = 'trigram');
        """,
    ]

    /// Brings the database to the latest version.
    ///
    /// - Throws: `LexstatError.failedPrecondition` when the file is newer than this build knows.
    static func migrate(_ db: SQLiteDatabase) throws(LexstatError) {
        let current = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
        guard current <= migrations.count else {
            throw .failedPrecondition("database schema version \(current) is newer than this build knows (\(migrations.count)); use a newer lexstatd")
        }
        for v in current..<migrations.count {
            try db.transaction { () throws(LexstatError) in
                try db.exec(migrations[v])
                try db.exec("PRAGMA user_version = \(v + 1)")
            }
        }
    }
}
