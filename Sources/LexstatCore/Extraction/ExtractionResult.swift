/// What `Extractor` found in one report.
public struct ExtractionResult: Sendable, Hashable {
    /// The decoded original text (line breaks as LF); all spans index it in code points.
    public var text: String
    /// The encoding the file was read in.
    public var encoding: TextEncodingName
    /// What was assumed: encoding, skipped furniture and repeats, the guessed year.
    public var notes: [String]
    /// The section tree.
    public var sections: [Section]
    /// The mentions in text order.
    public var mentions: [Mention]
    /// The report's year, given or guessed; nil when unknown.
    public var year: Int?
    /// Whether `year` came from the caller rather than from the text.
    public var yearWasGiven: Bool
    /// Code-point ranges skipped as page furniture.
    public var furniture: [Range<Int>]
    /// Code-point ranges skipped as repeated text.
    public var repeated: [Range<Int>]

    /// The text without furniture and repeated parts (spans do not index it).
    public var cleanedText: String {
        let u = Array(text.unicodeScalars)
        var skip = [Bool](repeating: false, count: u.count)
        for r in furniture + repeated { for k in r where k < u.count { skip[k] = true } }
        var v = String.UnicodeScalarView()
        for (k, s) in u.enumerated() where !skip[k] { v.append(s) }
        return String(v)
    }

    static func ranges(_ marks: [PageLayout.Mark], _ m: PageLayout.Mark) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int? = nil
        for (k, x) in marks.enumerated() {
            if x == m { if start == nil { start = k } } else if let s = start { out.append(s..<k); start = nil }
        }
        if let s = start { out.append(s..<marks.count) }
        return out
    }

    /// One JSON object per mention, one per line, in the format of
    /// `eval/score_extraction.py`: doc, start, end (code points), quote,
    /// number_text, subject, value, unit, bound, kind, period, indicator,
    /// change_of, region, confidence.
    ///
    /// - Parameter doc: the document name: the file name without `.txt`.
    public func jsonLines(doc: String) -> String {
        var out = ""
        for m in mentions {
            out += "{\"doc\": " + JSONText.quote(doc)
            out += ", \"start\": \(m.start), \"end\": \(m.end)"
            out += ", \"quote\": " + JSONText.quote(m.quote)
            out += ", \"number_text\": " + JSONText.quote(m.numberText)
            out += ", \"subject\": " + JSONText.quote(m.subject)
            out += ", \"value\": " + JSONText.number(m.value)
            out += ", \"unit\": " + JSONText.quote(m.unit)
            out += ", \"bound\": " + JSONText.quote(m.bound.rawValue)
            out += ", \"kind\": " + JSONText.quote(m.kind.rawValue)
            out += ", \"period\": " + JSONText.quote(m.period?.text ?? "")
            out += ", \"indicator\": " + JSONText.quote(m.indicator ?? "")
            out += ", \"change_of\": " + JSONText.quote(m.changeOf)
            out += ", \"region\": " + JSONText.quote(m.region)
            out += ", \"confidence\": " + JSONText.number((m.confidence * 100).rounded() / 100)
            out += "}\n"
        }
        return out
    }
}

/// Minimal JSON text for the JSON-lines output.
enum JSONText {
    static func quote(_ s: String) -> String {
        var o = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\r": o += "\\r"
            case "\t": o += "\\t"
            default:
                if c.value < 0x20 {
                    let h = String(c.value, radix: 16)
                    o += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    o.unicodeScalars.append(c)
                }
            }
        }
        return o + "\""
    }

    static func number(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.isFinite ? "\(v)" : "0"
    }
}
