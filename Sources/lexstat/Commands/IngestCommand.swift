import ArgumentParser
import Foundation
import LexstatCore
import LexstatRPC
import LexstatWire

/// Report kinds as the CLI names them.
enum ReportKindOption: String, ExpressibleByArgument, CaseIterable {
    case annualSummary = "annual_summary"
    case ruleOfLawReport = "rule_of_law_report"
    case highlights
    case meetingNews = "meeting_news"
    case other

    var wire: Lexstat__V1__ReportKind {
        switch self {
        case .annualSummary: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_ANNUAL_SUMMARY
        case .ruleOfLawReport: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_RULE_OF_LAW_REPORT
        case .highlights: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_HIGHLIGHTS
        case .meetingNews: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_MEETING_NEWS
        case .other: return LEXSTAT__V1__REPORT_KIND__REPORT_KIND_OTHER
        }
    }
}

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store a report and the figures read from it, and print them for review.",
        discussion: """
            The file may be UTF-8 or GB18030/GBK, with page furniture around the text; the server \
            says which encoding it assumed. The same text ingested twice is stored once. \
            With --dry-run nothing is stored: the table shows what would be.
            """)

    @Argument(help: ArgumentHelp("The report's text file.", valueName: "file"))
    var file: String

    @Option(help: "The report's region: a code or a name (重庆市江北区, 510100).")
    var region: String

    @Option(help: "The year the report is about (default: found in the text).")
    var year: Int?

    @Option(help: "The report's title (default: its first line).")
    var title: String?

    @Option(help: "The kind of report: annual_summary, rule_of_law_report, highlights, meeting_news or other.")
    var kind: ReportKindOption = .other

    @Option(help: "The body that issued the report.")
    var publisher: String?

    @Option(help: "The publication date, YYYY-MM-DD.")
    var published: String?

    @Option(help: "Where the report came from, e.g. its URL.")
    var source: String?

    @Flag(help: "Read the figures but store nothing.")
    var dryRun = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let year, !(1949...2100).contains(year) { throw ValidationError("--year must be 1949–2100") }
        if let published, published.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
            throw ValidationError("--published must be YYYY-MM-DD")
        }
    }

    func run() async throws {
        let data = try readInput(file)
        let answer = try await global.withClient { (c) throws(RPCError) in
            let arena = WireArena()
            defer { withExtendedLifetime(arena) {} }
            var req = Lexstat__V1__IngestRequest.make()
            req.content = arena.bytes([UInt8](data))
            req.region = arena.string(region)
            req.year = Int32(year ?? 0)
            req.title = arena.string(title ?? "")
            req.kind = kind.wire
            req.publisher = arena.string(publisher ?? "")
            req.published = arena.string(published ?? "")
            req.source = arena.string(source ?? URL(fileURLWithPath: file).lastPathComponent)
            req.dry_run = dryRun ? 1 : 0
            return try await c.call("Ingest", req, returning: Lexstat__V1__IngestResponse.self)
        }
        Printer.emit(global.format, table: {
            answer.read { m in ReviewTable.make(wireList(m.n_mentions, m.mentions).compactMap { $0?.pointee }) }
        }, json: answer)
        guard global.format == .table else { return }
        answer.read { m in
            var summary: String
            if dryRun {
                summary = "dry run: \(m.n_mentions) figures read, nothing stored"
            } else if m.duplicate != 0 {
                summary = "already stored as report \(m.report_id): nothing stored"
            } else {
                summary = "stored report \(m.report_id): \(m.observations_stored) figures, \(m.targets_stored) of them targets"
            }
            summary += " (read as \(wireString(m.encoding)))"
            var lines = [summary] + wireStrings(m.n_notes, m.notes).map { "note: \($0)" }
            lines.append("")
            FileHandle.standardError.write(Data(lines.joined(separator: "\n").utf8))
        }
    }
}

/// Reads a file, or stdin for `-`, with a clear error.
func readInput(_ path: String) throws -> Data {
    if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
    guard let h = FileHandle(forReadingAtPath: path) else {
        throw LocalError("\(path): cannot read: \(String(cString: strerror(errno)))")
    }
    defer { try? h.close() }
    return h.readDataToEndOfFile()
}

/// An error found before any call: printed as is, exit 1.
struct LocalError: Error, CustomStringConvertible, LocalizedError {
    let description: String
    init(_ d: String) { description = d }
    var errorDescription: String? { description }
}
