import CSQLite
import Foundation

/// SQLite's way of saying "copy this text now": the binding outlives the Swift string.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A value bound to a statement parameter.
enum SQLValue {
    case int(Int64)
    case double(Double)
    case text(String)
    case null
}

/// One SQLite connection.
///
/// Not thread-safe by itself: the owner (``LexstatStore``) serialises all use
/// of a connection behind a lock. Every failure becomes a ``LexstatError``
/// carrying SQLite's message.
/// SQLITE_IOERR_WRITE (SQLITE_IOERR | 3<<8), a macro Swift does not import.
let SQLITE_IOERR_WRITE_CODE: Int32 = SQLITE_IOERR | (3 << 8)

final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?
    let path: String

    /// Opens (creating if needed) the database file at `path`.
    init(path: String, readOnly: Bool = false) throws(LexstatError) {
        self.path = path
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw .unavailable("cannot open database \(path): \(msg)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Closes the connection; later use throws.
    func close() {
        if let h = handle {
            sqlite3_close_v2(h)
            handle = nil
        }
    }

    func error(_ what: String, _ rc: Int32) -> LexstatError {
        let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "database is closed"
        if rc & 0xff == SQLITE_CONSTRAINT {
            return .alreadyExists("\(what): \(msg)")
        }
        if rc & 0xff == SQLITE_BUSY || rc & 0xff == SQLITE_LOCKED {
            return .unavailable("\(what): database busy: \(msg)")
        }
        if let full = diskFull(rc) { return full }
        return .internalError("\(what): \(msg) (sqlite \(rc))")
    }

    /// A write refused for want of room (a full disk, a quota, a file-size limit).
    ///
    /// SQLite reports a write that found no room as SQLITE_FULL, or as
    /// SQLITE_IOERR_WRITE when the system said EFBIG or EDQUOT; by then the
    /// system's errno is often gone, so a failed write is taken as no room.
    func diskFull(_ rc: Int32) -> LexstatError? {
        guard rc & 0xff == SQLITE_FULL || rc == SQLITE_IOERR_WRITE_CODE else { return nil }
        let sys = handle.map { sqlite3_system_errno($0) } ?? 0
        let why = sys != 0 ? String(cString: strerror(sys)) : "the disk is full, or a quota or file-size limit was reached"
        return .resourceExhausted("cannot write the database \(path): \(why); nothing of this change was stored; free space and retry")
    }

    /// Runs one or more statements that take no parameters and return no rows.
    func exec(_ sql: String) throws(LexstatError) {
        guard let h = handle else { throw .unavailable("database is closed") }
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(h, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(h))
            sqlite3_free(err)
            if let full = diskFull(sqlite3_extended_errcode(h)) { throw full }
            throw .internalError("sql failed: \(msg) (sqlite \(sqlite3_extended_errcode(h)), errno \(sqlite3_system_errno(h))) in: \(sql.prefix(120))")
        }
    }

    /// Prepares a statement.
    func prepare(_ sql: String) throws(LexstatError) -> SQLiteStatement {
        guard let h = handle else { throw .unavailable("database is closed") }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(h, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error("prepare \(sql.prefix(80))", rc) }
        return SQLiteStatement(db: self, stmt: stmt)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws(LexstatError) -> T) throws(LexstatError) -> T {
        try exec("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try exec("COMMIT")
            return result
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
    }

    /// The value of a one-row, one-column integer query (e.g. a PRAGMA).
    func scalarInt(_ sql: String) throws(LexstatError) -> Int64? {
        let st = try prepare(sql)
        guard try st.step() else { return nil }
        return st.isNull(0) ? nil : st.int(0)
    }

    var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }
    var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }
}

/// A prepared statement. Finalised on deinit.
final class SQLiteStatement {
    private let db: SQLiteDatabase
    private var stmt: OpaquePointer?

    init(db: SQLiteDatabase, stmt: OpaquePointer) {
        self.db = db
        self.stmt = stmt
    }

    deinit { sqlite3_finalize(stmt) }

    /// Clears bindings and resets the statement for another run.
    @discardableResult
    func reset() -> SQLiteStatement {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        return self
    }

    /// Binds values to parameters 1…n.
    @discardableResult
    func bind(_ values: [SQLValue]) throws(LexstatError) -> SQLiteStatement {
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch v {
            case .int(let x): rc = sqlite3_bind_int64(stmt, idx, x)
            case .double(let x): rc = sqlite3_bind_double(stmt, idx, x)
            case .text(let s): rc = sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT)
            case .null: rc = sqlite3_bind_null(stmt, idx)
            }
            if rc != SQLITE_OK { throw db.error("bind parameter \(idx)", rc) }
        }
        return self
    }

    /// Advances to the next row; `false` when done.
    func step() throws(LexstatError) -> Bool {
        let rc = sqlite3_step(stmt)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw db.error("step", rc)
        }
    }

    /// Runs a statement that returns no rows.
    func run(_ values: [SQLValue] = []) throws(LexstatError) {
        reset()
        try bind(values)
        while try step() {}
    }

    func int(_ col: Int32) -> Int64 { sqlite3_column_int64(stmt, col) }
    func double(_ col: Int32) -> Double { sqlite3_column_double(stmt, col) }
    func isNull(_ col: Int32) -> Bool { sqlite3_column_type(stmt, col) == SQLITE_NULL }

    /// The raw UTF-8 bytes of a text column, valid only inside `body`.
    func withBytes<T>(_ col: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let p = sqlite3_column_text(stmt, col)
        let n = Int(sqlite3_column_bytes(stmt, col))
        return body(UnsafeBufferPointer(start: p, count: p == nil ? 0 : n))
    }

    func text(_ col: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, col) else { return "" }
        let n = Int(sqlite3_column_bytes(stmt, col))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
}
