import ArgumentParser
import Foundation
import LexstatRPC
import LexstatWire

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored figures as CSV in the layout `lexstat import` reads.",
        discussion: """
            Columns: region,indicator,period,value,unit,bound,kind,source,subject (region as its code; \
            a figure taken from a report has the source `report ID: TITLE`). Rows are written as the \
            server streams them, so large exports start at once. The output is always CSV: \
            --format table and csv mean the same here.
            """)

    @OptionGroup var filter: ObservationFilterOptions

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if global.format == .json {
            throw ValidationError("export writes CSV; for JSON use `lexstat observations --all --format json`")
        }
    }

    static let columns = ["region", "indicator", "period", "value", "unit", "bound", "kind", "source", "subject"]

    func run() async throws {
        let arena = WireArena()
        let request = filter.request(arena)
        let sink = CSVSink()
        sink.header(ExportCommand.columns.map(csvField).joined(separator: ",") + "\n")
        try await global.withClient { (c) throws(RPCError) in
            do throws(RPCError) {
                try await c.stream("ExportObservations", request, returning: Lexstat__V1__QueryObservationsResponse.self) { page in
                    sink.write(ExportCommand.rows(page))
                }
            } catch {
                // A server without the streaming method: page through QueryObservations instead.
                guard error.code == .unimplemented, sink.pages == 0 else { throw error }
                var token = ""
                repeat {
                    var r = request
                    r.page_size = 10_000
                    r.page_token = arena.string(token)
                    let page = try await c.call("QueryObservations", r, returning: Lexstat__V1__QueryObservationsResponse.self)
                    sink.write(ExportCommand.rows(page))
                    token = page.read { wireString($0.next_page_token) }
                } while !token.isEmpty
            }
        }
        withExtendedLifetime(arena) {}
    }

    /// The CSV rows of one page.
    static func rows(_ page: Decoded<Lexstat__V1__QueryObservationsResponse>) -> String {
        page.read { m in
            var out = ""
            for o in wireList(m.n_observations, m.observations) {
                guard let o = o?.pointee else { continue }
                var source = ""
                if let p = o.provenance?.pointee {
                    source = p.report_id != 0 ? "report \(p.report_id): \(wireString(p.source))" : wireString(p.source)
                }
                let fields = [wireString(o.region), wireString(o.indicator), wireString(o.period), NumberFormat.raw(o.value),
                              wireString(o.unit), o.bound.name, o.kind.name, source, wireString(o.subject)]
                out += fields.map(csvField).joined(separator: ",") + "\n"
            }
            return out
        }
    }
}

/// Writes CSV to standard output as pages arrive (from the client's reader thread).
final class CSVSink: @unchecked Sendable {
    // `count` is guarded by `lock`.
    private let lock = NSLock()
    private var count = 0

    /// Pages written so far.
    var pages: Int { lock.withLock { count } }

    /// Writes the header row (not counted as a page).
    func header(_ text: String) {
        lock.withLock { Printer.write(text) }
    }

    /// Writes the rows of one page.
    func write(_ text: String) {
        lock.withLock {
            count += 1
            Printer.write(text)
        }
    }
}
