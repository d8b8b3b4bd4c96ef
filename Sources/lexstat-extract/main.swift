// Offline extraction runner: prints the scorer's JSON lines for report files,
// or measures throughput. The `lexstat extract --offline --jsonl` command is
// the supported interface; this tool exists to score and benchmark LexstatCore.
//
//   lexstat-extract [--region R] [--year Y] [--catalog FILE] FILE.txt...
//   lexstat-extract --bench SECONDS FILE.txt...
import Foundation
import LexstatCore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

var files: [String] = []
var region = ""
var year: Int? = nil
var catalog: String? = nil
var bench: Double? = nil
var args = CommandLine.arguments.dropFirst()
while let a = args.first {
    args = args.dropFirst()
    func value() -> String {
        guard let v = args.first else { fail("\(a) needs a value") }
        args = args.dropFirst()
        return v
    }
    switch a {
    case "--region": region = value()
    case "--year": guard let y = Int(value()) else { fail("--year needs a number") }; year = y
    case "--catalog": catalog = value()
    case "--bench": guard let s = Double(value()) else { fail("--bench needs seconds") }; bench = s
    default: files.append(a)
    }
}
if files.isEmpty { fail("usage: lexstat-extract [--region R] [--year Y] [--catalog FILE] [--bench SECONDS] FILE...") }

let indicators: [Indicator]
do {
    if let c = catalog {
        indicators = try IndicatorTSV.parse(try String(contentsOfFile: c, encoding: .utf8), source: c)
    } else {
        indicators = try IndicatorTSV.bundled()
    }
} catch {
    fail("catalog: \(error)")
}
let extractor = Extractor(indicators: indicators)
let inputs: [(String, Data)] = files.map { f in
    guard let d = FileManager.default.contents(atPath: f) else { fail("\(f): cannot read") }
    var doc = (f as NSString).lastPathComponent
    if doc.hasSuffix(".txt") { doc = String(doc.dropLast(4)) }
    return (doc, d)
}

/// CPU time of this process, seconds: the figure for "one core", whatever else runs.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

if let seconds = bench {
    let bytes = inputs.reduce(0) { $0 + $1.1.count }
    var done = 0, mentions = 0
    let t0 = Date()
    let c0 = cpuSeconds()
    while Date().timeIntervalSince(t0) < seconds {
        for (doc, d) in inputs {
            do { mentions += try extractor.extract(data: d, name: doc, region: region, year: year).mentions.count }
            catch { fail("\(doc): \(error)") }
        }
        done += bytes
    }
    let dt = Date().timeIntervalSince(t0)
    let cpu = cpuSeconds() - c0
    print(String(format: "%.1f MB in %.2f s wall, %.2f s CPU: %.2f MB/s wall, %.2f MB/s per CPU second (%d mentions per pass)",
                 Double(done) / 1e6, dt, cpu, Double(done) / 1e6 / dt, Double(done) / 1e6 / cpu,
                 mentions / max(1, done / max(1, bytes))))
    exit(0)
}

var status: Int32 = 0
for (doc, d) in inputs {
    do {
        let r = try extractor.extract(data: d, name: doc, region: region, year: year)
        FileHandle.standardOutput.write(Data(r.jsonLines(doc: doc).utf8))
        for n in r.notes { FileHandle.standardError.write(Data("\(doc): \(n)\n".utf8)) }
    } catch {
        FileHandle.standardError.write(Data("\(doc): \(error)\n".utf8))
        status = 1
    }
}
exit(status)
