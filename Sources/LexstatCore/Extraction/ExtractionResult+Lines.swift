extension ExtractionResult {
    /// JSON lines in the scorer's format for mentions that did not come from
    /// a local extraction (e.g. an Extract answer from a server).
    public static func jsonLines(_ mentions: [Mention], doc: String) -> String {
        ExtractionResult(text: "", encoding: .utf8, notes: [], sections: [], mentions: mentions, year: nil,
                         yearWasGiven: false, furniture: [], repeated: []).jsonLines(doc: doc)
    }
}
