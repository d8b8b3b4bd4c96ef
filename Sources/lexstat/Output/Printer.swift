import Foundation
import LexstatRPC

/// Writes command output to stdout in the chosen format.
enum Printer {
    static func write(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    /// Prints a table as text or CSV, or the message as JSON.
    static func emit<M: WireMessage>(_ format: OutputFormat, table: () -> Table, json decoded: Decoded<M>) {
        switch format {
        case .table: write(table().text())
        case .csv: write(table().csv())
        case .json: write(ProtoJSON.render(decoded, pretty: true) + "\n")
        }
    }
}
