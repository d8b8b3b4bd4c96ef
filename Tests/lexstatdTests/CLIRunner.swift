import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Runs the built `lexstat` binary as a user does.
struct CLIRunner {
    struct Run: CustomStringConvertible {
        var status: Int32
        var out: String
        var err: String
        var description: String { "exit \(status)\nstdout:\n\(out)\nstderr:\n\(err)" }
        /// Lines of standard output; an index past the end reads "" (a short output fails an assertion, not the run).
        var lines: Lines { Lines(all: out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) }
    }

    /// The server every run talks to (`unix:PATH`), passed as LEXSTAT_SERVER.
    var server: String
    /// Keeps the daemon running as long as the runner is in use.
    let daemon: DaemonProcess?

    init(_ daemon: DaemonProcess) {
        server = "unix:\(daemon.socketPath)"
        self.daemon = daemon
    }

    /// A runner for checks that never reach a server.
    init(server: String) {
        self.server = server
        daemon = nil
    }


    func callAsFunction(_ args: String...) throws -> Run { try run(args) }

    func run(_ args: [String], env: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = DaemonProcess.productsDirectory.appendingPathComponent("lexstat")
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        e["LEXSTAT_SERVER"] = server
        e.removeValue(forKey: "NO_COLOR")
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read both pipes at once so a full stderr cannot stall a large stdout.
        let errBox = DataBox()
        let errDone = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            errBox.data = errHandle.readDataToEndOfFile()
            errDone.signal()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        errDone.wait()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self),
                   err: String(decoding: errBox.data, as: UTF8.self))
    }
}

/// Output lines, safe to index past the end.
struct Lines {
    var all: [String]
    var count: Int { all.count }
    subscript(_ i: Int) -> String { all.indices.contains(i) ? all[i] : "" }
}

/// Bytes read on another thread; written once before the semaphore is signalled, read after.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// Parses CSV output the simple way (fields may be quoted; no line breaks inside fields).
func parseCSV(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { line in
        var fields: [String] = [], field = "", quoted = false
        let it = Array(line)
        var i = 0
        while i < it.count {
            let c = it[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < it.count, it[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { fields.append(field); field = ""
            } else { field.append(c) }
            i += 1
        }
        fields.append(field)
        return fields
    }
}

/// Parses JSON output into a dictionary.
func parseJSON(_ text: String) throws -> [String: Any] {
    guard let obj = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw CocoaError(.coderReadCorrupt)
    }
    return obj
}

/// Counts the elements of an XML document by name and class; nil when the document is not well-formed.
final class XMLCensus: NSObject, XMLParserDelegate {
    private(set) var counts: [String: Int] = [:]
    private(set) var texts: [String] = []
    private var text = ""

    static func of(file url: URL) -> XMLCensus? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let census = XMLCensus()
        let parser = XMLParser(data: data)
        parser.delegate = census
        return parser.parse() ? census : nil
    }

    /// Elements named `element`, or `element.class`.
    subscript(_ key: String) -> Int { counts[key] ?? 0 }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
        if let c = attributes["class"] { counts["\(name).\(c)", default: 0] += 1 }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if !text.isEmpty { texts.append(text) }
        text = ""
    }
}
