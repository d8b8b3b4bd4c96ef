import Foundation

/// Reads a report file and finds its sections and quantitative mentions.
///
/// Spans (`Mention.start`/`end`, `Section.start`/`end`) are Unicode code-point
/// offsets into `ExtractionResult.text`, the decoded original text (line
/// breaks read as LF and a byte-order mark kept, as a UTF-8 reader in
/// universal-newline mode sees the file): page furniture and repeated text are
/// skipped, never cut out, so offsets stay valid against the file as saved.
///
/// ```swift
/// let x = Extractor(indicators: try IndicatorTSV.bundled())
/// let r = try x.extract(data: bytes, name: "report.txt", region: "成都市", year: nil)
/// print(r.jsonLines(doc: "report"))
/// ```
public struct Extractor: Sendable {
    /// The default size limit, 8 MiB.
    public static let defaultMaxBytes = 8 << 20

    /// The default cap on mentions per report: far above any real report
    /// (a long one has a few hundred), it bounds time and memory on hostile input.
    public static let defaultMaxMentions = 50_000

    public let indicators: [Indicator]
    public let maxBytes: Int
    public let maxMentions: Int
    public let reader: NumberReader
    let matcher: IndicatorMatcher

    /// - Parameters:
    ///   - indicators: the catalog to match subjects against (e.g. `IndicatorTSV.bundled()`).
    ///   - maxBytes: the largest file accepted.
    ///   - maxMentions: extraction stops after this many mentions, with a note.
    ///   - units: the unit table of the number reader.
    public init(indicators: [Indicator], maxBytes: Int = Extractor.defaultMaxBytes,
                maxMentions: Int = Extractor.defaultMaxMentions, units: CountingUnits = .standard) {
        self.indicators = indicators
        self.maxBytes = maxBytes
        self.maxMentions = maxMentions
        self.reader = NumberReader(units: units)
        self.matcher = IndicatorMatcher(indicators)
    }

    /// Extracts from the bytes of a report file.
    ///
    /// - Parameters:
    ///   - data: the file, UTF-8 or GB18030/GBK (UTF-16 with a byte-order mark too).
    ///   - name: the file name, for messages.
    ///   - region: the report's region, given to every mention.
    ///   - year: the report's year; nil to guess it from the text.
    /// - Throws: `LexstatError.invalidArgument` for an empty file, binary data,
    ///   undecodable bytes, or a file over `maxBytes`.
    public func extract(data: Data, name: String, region: String, year: Int?) throws(LexstatError) -> ExtractionResult {
        let decoded = try TextIntake.decode(data, name: name, maxBytes: maxBytes)
        var r = extract(text: decoded.text, region: region, year: year)
        r.encoding = decoded.encoding
        r.notes = decoded.notes + r.notes
        return r
    }

    /// The scorer's JSON lines for one report file: what `lexstat extract
    /// --offline --jsonl FILE` prints. The document name is the file name
    /// without its folder and `.txt`.
    ///
    /// - Throws: `LexstatError.invalidArgument` as `extract(data:name:region:year:)`.
    public func jsonLines(data: Data, name: String, region: String, year: Int?) throws(LexstatError) -> String {
        try extract(data: data, name: name, region: region, year: year).jsonLines(doc: Extractor.documentName(name))
    }

    /// `reports/001_abc.txt` → `001_abc`.
    public static func documentName(_ path: String) -> String {
        var doc = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        if doc.hasSuffix(".txt") { doc.removeLast(4) }
        return doc
    }

    /// Extracts from text already decoded (the encoding is reported as UTF-8).
    public func extract(text: String, region: String, year: Int?) -> ExtractionResult {
        let u = Scalars.of(text)
        let layout = PageLayout(u)
        var notes = layout.notes
        var reportYear = year
        if reportYear == nil, let g = YearGuesser.guess(u, layout: layout) {
            reportYear = g.year
            notes.append("assumed the report is about \(g.year): \(g.how)")
        } else if reportYear == nil {
            notes.append("found no year in the text: periods are left empty")
        }
        let partEnd = YearGuesser.partOfYearEnd(u, layout: layout)
        let sections = SectionParser(u, layout: layout, year: reportYear, partEnd: partEnd)
        let quotes = QuoteMarks(u)
        let planDocument = YearGuesser.isPlanDocument(u, layout: layout)
        let partYear = planDocument || partEnd != nil
        if planDocument {
            notes.append("the document is a plan: its figures are read as targets for the year it names")
        } else if partYear {
            notes.append("the report covers part of its year: plans are read as targets for the same year")
        }
        let writtenIn = YearGuesser.writtenIn(u, layout: layout)
        let mentions = findMentions(u, layout: layout, sections: sections, quotes: quotes, year: reportYear, region: region,
                                    partYear: partYear, planDocument: planDocument, writtenIn: writtenIn)
        if mentions.count >= maxMentions {
            notes.append("stopped after \(maxMentions) mentions: the text is not a report")
        }
        return ExtractionResult(text: text, encoding: .utf8, notes: notes, sections: sections.tree(u),
                                mentions: mentions, year: reportYear, yearWasGiven: year != nil,
                                furniture: ExtractionResult.ranges(layout.marks, .furniture),
                                repeated: ExtractionResult.ranges(layout.marks, .repeated))
    }

    func findMentions(_ u: [UInt32], layout: PageLayout, sections: SectionParser, quotes: QuoteMarks,
                      year: Int?, region: String, partYear: Bool = false, planDocument: Bool = false,
                      writtenIn: Int? = nil) -> [Mention] {
        var out: [Mention] = []
        var previous: MentionAnalyzer.Previous? = nil
        var figures = MentionAnalyzer.SentenceFigures()
        var line = 0
        var i = 0
        let n = u.count
        // The paragraph's topic year (会议指出，2023年，…。一年来，…56件): the last year
        // the paragraph named before the figure, scanned once, left to right.
        var topic: Int? = nil
        var topicLine = -1
        var topicScan = 0
        while i < n && out.count < maxMentions {
            let c = u[i]
            guard Scalars.isDigit(c) || ChineseNumerals.isNumeral(c) else { i += 1; continue }
            if layout.marks[i] != .text || (i > 0 && (Scalars.isDigit(u[i - 1]) || (ChineseNumerals.isNumeral(u[i - 1]) && ChineseNumerals.isNumeral(c)))) {
                i += 1
                continue
            }
            while line + 1 < layout.lines.count, layout.lines[line + 1].lowerBound <= i { line += 1 }
            let kind = line < sections.lineKinds.count ? sections.lineKinds[line] : .other
            let inPlan = kind == .plans || planDocument
            if line != topicLine, line < layout.lines.count {
                topicLine = line
                topic = nil
                topicScan = layout.lines[line].lowerBound
            }
            while topicScan < i {
                if let (named, len) = MentionAnalyzer.namedYear(u, at: topicScan, limit: i, quotes: quotes) {
                    if let y = named { topic = y } else { topic = nil }
                    topicScan += len
                } else {
                    topicScan += 1
                }
            }

            // 零败诉, 为零
            if c == ChineseNumerals.zero, !(i + 1 < n && ChineseNumerals.isNumeral(u[i + 1])) {
                if MentionRules.zeroResult(u, at: i, units: reader.units) {
                    let isWeiLing = i > 0 && u[i - 1] == MentionRules.wei
                    let subj: Range<Int>
                    if isWeiLing {
                        subj = MentionAnalyzer.trimSubject(u, ClauseContext.clauseStart(u, i)..<(i - 1))
                    } else {
                        var e = i + 1
                        while e < n, Scalars.isHan(u[e]), u[e] != 0x3001, e - i <= 8 {
                            if e > i + 1, u[e] == ChineseNumerals.zero { break }
                            e += 1
                        }
                        subj = (i + 1)..<e
                    }
                    let t = NumberToken(start: i, numeralStart: i, numeralEnd: i + 1, end: i + 1, value: 0, unit: "",
                                        unitText: "", role: nil, bound: .exact, isChinese: true, isDecimal: false,
                                        integerDigits: 0, hasMultiplier: false, isPercentWord: false)
                    out.append(make(t, u, previous: &previous, figures: &figures, inPlan: false, year: year, region: region,
                                    sectionKind: kind, zeroSubject: subj, partYear: partYear, topicYear: topic, writtenIn: writtenIn))
                }
                i += 1
                continue
            }

            guard var t = reader.read(u, at: i) else {
                i += 1
                while i < n, ChineseNumerals.isNumeral(u[i]) || Scalars.isDigit(u[i]) { i += 1 }
                continue
            }
            if MentionRules.refusal(&t, u, quotes: quotes, inPlan: inPlan, units: reader.units, year: year) == nil {
                out.append(make(t, u, previous: &previous, figures: &figures, inPlan: inPlan, year: year, region: region,
                                sectionKind: kind, zeroSubject: nil, partYear: partYear, topicYear: topic, writtenIn: writtenIn))
                i = max(t.end, i + 1)
            } else {
                i = max(t.numeralEnd, i + 1)
            }
        }
        return out
    }

    /// Subjects that name a rate or a share.
    static let rateWords: [[UInt32]] = ["占比", "比例", "比重", "比值", "满意度", "覆盖面"].map(Scalars.of)
    var rateWords: [[UInt32]] { Extractor.rateWords }

    func make(_ t: NumberToken, _ u: [UInt32], previous: inout MentionAnalyzer.Previous?,
              figures: inout MentionAnalyzer.SentenceFigures, inPlan: Bool, year: Int?,
              region: String, sectionKind: Section.Kind, zeroSubject: Range<Int>?, partYear: Bool = false,
              topicYear: Int? = nil, writtenIn: Int? = nil) -> Mention {
        var a = MentionAnalyzer.analyse(t, u, previous: previous, inPlan: inPlan, year: year, zeroSubject: zeroSubject,
                                        partYear: partYear, topicYear: topicYear, writtenIn: writtenIn,
                                        inResults: sectionKind == .results)
        // 律师事务所1,236家、执业律师1.65万人，分别比上年增长6.1%和9.4%: the i-th of k
        // changes is the change of the i-th of the sentence's last k figures.
        let sentence = ClauseContext.sentenceStart(u, t.start)
        if sentence != figures.sentence { figures.subjects.removeAll(keepingCapacity: true); figures.sentence = sentence }
        if a.kind == .change {
            if let (i, k) = MentionAnalyzer.respectiveSlot(u, t, context: a.context), figures.subjects.count >= k {
                a.subject = figures.subjects[figures.subjects.count - k + i]
                a.changeOf = a.subject
            }
        } else {
            figures.subjects.append(a.subject)
        }
        // The figure's own item of its clause: from the figure before to the next 、
        // (审核规范性文件14件、重大行政决策事项9件: each item names its own thing).
        var itemStart = a.context.lowerBound, itemEnd = t.end
        if let p = previous, p.end > itemStart, p.end <= t.start, u[p.end..<t.start].contains(0x3001) { itemStart = p.end }
        while itemEnd < a.context.upperBound, u[itemEnd] != 0x3001 { itemEnd += 1 }
        let context = Array(u[min(itemStart, a.quote.lowerBound, t.start)..<max(itemEnd, t.end)])
        var match: (code: String, confidence: Double)? = nil
        // A change in % may be the change of a count (案件数同比下降53.79%).
        // It is the change of a rate only when the subject names one (败诉率, 占比).
        var matchUnit = a.unit
        if a.kind == .change && a.unit == "%" {
            let s = a.changeOf.isEmpty ? a.subject : a.changeOf
            matchUnit = s.last == MentionAnalyzer.lü || rateWords.contains(where: { Scalars.contains(s, $0) }) ? "%" : IndicatorMatcher.notARate
        }
        if a.kind == .change, !a.changeOf.isEmpty {
            match = matcher.match(subject: a.changeOf, context: context, unit: matchUnit)
        }
        if match == nil {
            match = matcher.match(subject: a.subject, context: context, unit: matchUnit)
        }
        if a.kind != .change || previous == nil {
            previous = MentionAnalyzer.Previous(end: t.end, sentenceStart: sentence,
                                                clauseStart: ClauseContext.clauseStart(u, t.start), subject: a.subject,
                                                kind: a.kind, unit: a.unit, falling: a.value < 0)
        } else if var p = previous {
            p.end = t.end
            p.kind = a.kind
            p.unit = a.unit
            p.falling = a.value < 0
            p.sentenceStart = sentence
            previous = p
        }
        return Mention(start: t.start, end: t.end, quoteStart: a.quote.lowerBound, quoteEnd: a.quote.upperBound,
                       quote: Scalars.string(u, a.quote), numberText: Scalars.string(u, t.start..<t.end),
                       subject: String(String.UnicodeScalarView(a.subject.compactMap(Unicode.Scalar.init))),
                       value: a.value, unit: a.unit, bound: t.bound, kind: a.kind, period: a.period, region: region,
                       indicator: match?.code, confidence: match?.confidence ?? 0,
                       changeOf: String(String.UnicodeScalarView(a.changeOf.compactMap(Unicode.Scalar.init))),
                       sectionKind: sectionKind)
    }
}
