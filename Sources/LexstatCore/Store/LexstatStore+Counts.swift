extension LexstatStore {
    /// Reports and observations stored, for Health and metrics.
    ///
    /// Answered from the in-memory indexes, which mirror every committed write:
    /// Health runs on the event loop, and a `count(*)` through SQLite there
    /// (statement preparation, file locks) was most of Health's time.
    ///
    /// - Throws: `LexstatError.unavailable` once the store is closed.
    public func counts() throws(LexstatError) -> (reports: Int, observations: Int) {
        try withReader { (_) throws(LexstatError) in }  // `unavailable` once closed, as before
        return read { ($0.reportIds.count, $0.aliveCount) }
    }
}
