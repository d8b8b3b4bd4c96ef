extension LexstatStore {
    /// Reports and observations stored, for Health and metrics.
    ///
    /// - Throws: `LexstatError.unavailable` once the store is closed.
    public func counts() throws(LexstatError) -> (reports: Int, observations: Int) {
        let observations = read { $0.aliveCount }
        let reports = try withReader { (db) throws(LexstatError) in try db.scalarInt("SELECT count(*) FROM reports") } ?? 0
        return (Int(reports), observations)
    }
}
