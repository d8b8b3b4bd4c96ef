import ArgumentParser
import Foundation
import LexstatCore
import LexstatRPC
import LexstatService
import LexstatWire

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Read the figures of report files without storing anything.",
        discussion: """
            With --jsonl prints one JSON line per figure in the format of the extraction scorer \
            (doc is the file name without .txt; start and end count Unicode code points). \
            With --offline the extraction runs in this process with the shipped catalog: no server needed.
            """)

    @Argument(help: ArgumentHelp("Report text files.", valueName: "file"))
    var files: [String]

    @Option(help: "The reports' region, a code or a name (recorded on each figure).")
    var region: String?

    @Option(help: "The year the reports are about (default: found in each text).")
    var year: Int?

    @Flag(help: "Print one JSON line per figure (the scorer's format).")
    var jsonl = false

    @Flag(help: "Extract in this process, without a server.")
    var offline = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one file") }
        if let year, !(1949...2100).contains(year) { throw ValidationError("--year must be 1949–2100") }
    }

    func run() async throws {
        if offline {
            let extractor: Extractor
            let regionCode: String
            do throws(LexstatError) {
                extractor = Extractor(indicators: try IndicatorTSV.bundled())
                if let region { regionCode = try RegionDirectory.bundled().resolve(region).code } else { regionCode = "" }
            } catch {
                throw CLIError(RPCError(error))
            }
            for f in files {
                let data = try readInput(f)
                let result: ExtractionResult
                do { result = try extractor.extract(data: data, name: f, region: regionCode, year: year) } catch {
                    throw CLIError(RPCError(.invalidArgument, error.message))   // the message names the file
                }
                if jsonl {
                    Printer.write(result.jsonLines(doc: Extractor.documentName(f)))
                } else {
                    printTable(f, ReviewTable.make(result.mentions), encoding: result.encoding.rawValue, notes: result.notes)
                }
            }
            return
        }
        for f in files {
            let data = try readInput(f)
            let answer = try await global.withClient { (c) throws(RPCError) in
                let arena = WireArena()
            defer { withExtendedLifetime(arena) {} }
                var req = Lexstat__V1__ExtractRequest.make()
                req.content = arena.bytes([UInt8](data))
                req.region = arena.string(region ?? "")
                req.year = Int32(year ?? 0)
                req.name = arena.string(URL(fileURLWithPath: f).lastPathComponent)
                return try await c.call("Extract", req, returning: Lexstat__V1__ExtractResponse.self)
            }
            answer.read { m in
                let mentions = wireList(m.n_mentions, m.mentions).compactMap { $0?.pointee }
                if jsonl {
                    let domain = mentions.map { ReviewTable.domainMention($0, region: region ?? "") }
                    Printer.write(ExtractionResult.jsonLines(domain, doc: Extractor.documentName(f)))
                } else if global.format == .json {
                    Printer.write(ProtoJSON.render(answer, pretty: true) + "\n")
                } else {
                    printTable(f, ReviewTable.make(mentions), encoding: wireString(m.encoding),
                               notes: wireStrings(m.n_notes, m.notes))
                }
            }
        }
    }

    private func printTable(_ file: String, _ t: Table, encoding: String, notes: [String]) {
        if global.format == .csv {
            Printer.write(t.csv())
            return
        }
        if files.count > 1 { Printer.write("== \(file)\n") }
        Printer.write(t.text())
        let lines = ["\(t.rows.count) figures (read as \(encoding))"] + notes.map { "note: \($0)" }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
