// libFuzzer harness for every method's decode-and-handle path. An input is
// `Method\0body`: the method's short name, a NUL, its request body (the seeds
// in Tests/Fuzz/corpus/requests are written so, and stay valid when methods
// are added). An input without a known name before a NUL is still run: its
// first byte picks a method of the table and the rest is the body.
// Exists only when the package is built with LEXSTAT_FUZZ=1 (`make fuzz`).
import Foundation
import LexstatCore
import LexstatRPC
import LexstatService

final class Harness: @unchecked Sendable {
    // Built once, before the first input; read-only afterwards.
    let table: MethodTable
    let names: [String]
    /// Full method names by short name (`Compare` → `lexstat.v1.Lexstat/Compare`), as UTF-8.
    let byShortName: [[UInt8]: String]
    let store: LexstatStore

    init() {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lexstat-fuzz-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        do {
            store = try LexstatStore(path: dir.appendingPathComponent("f.db").path)
            _ = try Demo.load(into: store)
        } catch {
            fatalError("fuzz store: \(error)")
        }
        var b = MethodTableBuilder()
        b.addCatalog(store)
        b.addReports(store)
        b.addObservations(store)
        b.addExtraction(store, maxBytes: 64 * 1024)
        b.addAssessment(store)
        table = b.build()
        names = table.sorted.map(\.name)
        var short: [[UInt8]: String] = [:]
        for n in names { short[Array((n.split(separator: "/").last.map(String.init) ?? n).utf8)] = n }
        byShortName = short
    }

    /// The method an input calls, and where its body starts.
    func method(of data: UnsafeRawBufferPointer) -> (name: String, bodyStart: Int)? {
        guard let first = data.first else { return nil }
        if let nul = data.prefix(64).firstIndex(of: 0), let name = byShortName[Array(data[..<nul])] {
            return (name, nul + 1)
        }
        return (names[Int(first) % names.count], 1)
    }

    func run(_ data: UnsafeRawBufferPointer) {
        guard let (name, start) = method(of: data) else { return }
        let body = [UInt8](data[start...])
        let ctx = RequestContext(method: name, deadline: ContinuousClock.now + .seconds(5))
        do {
            if table[name]?.isStreaming == true {
                try table.invokeStreaming(name, ctx, body) { _ in }
            } else {
                _ = try table.invokeUnary(name, ctx, body)
            }
        } catch {
            // Every failure must be a status with a message, never a crash.
            precondition(!error.message.isEmpty || error.code == .ok, "\(name): empty error message")
        }
    }
}

let harness = Harness()

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    harness.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// The entry point SwiftPM links as `main`: hands over to libFuzzer's driver.
@_cdecl("lexstat_fuzz_requests_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) }
}
