import ArgumentParser
import Foundation
import LexstatRPC
import LexstatWire

// Typed option values and small helpers shared by the domain commands.

/// `--level`: a level of the region tree.
enum LevelOption: String, ExpressibleByArgument, CaseIterable {
    case province, city, county

    var wire: Lexstat__V1__RegionLevel {
        switch self {
        case .province: return LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_PROVINCE
        case .city: return LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_CITY
        case .county: return LEXSTAT__V1__REGION_LEVEL__REGION_LEVEL_COUNTY
        }
    }
}

/// `--kind` of an observation.
enum ObservationKindOption: String, ExpressibleByArgument, CaseIterable {
    case actual, target, change

    var wire: Lexstat__V1__ObservationKind {
        switch self {
        case .actual: return LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_ACTUAL
        case .target: return LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_TARGET
        case .change: return LEXSTAT__V1__OBSERVATION_KIND__OBSERVATION_KIND_CHANGE
        }
    }
}

// `--kind` of a report: ReportKindOption, in IngestCommand.swift.

/// `--by`: the step of a series.
enum GranularityOption: String, ExpressibleByArgument, CaseIterable {
    case year, quarter, month

    var wire: Lexstat__V1__Granularity {
        switch self {
        case .year: return LEXSTAT__V1__GRANULARITY__GRANULARITY_YEAR
        case .quarter: return LEXSTAT__V1__GRANULARITY__GRANULARITY_QUARTER
        case .month: return LEXSTAT__V1__GRANULARITY__GRANULARITY_MONTH
        }
    }
}

/// Years a period may name (the server's rule, checked early for a clear message).
let validYears = 1949...2100

/// Throws a `ValidationError` when a `--year` is outside 1949–2100.
func checkYear(_ year: Int?, option: String = "--year") throws {
    if let year, !validYears.contains(year) {
        throw ValidationError("\(option) \(year) is outside \(validYears.lowerBound)–\(validYears.upperBound)")
    }
}

// LocalError (a problem found before any call) is in IngestCommand.swift.

/// Reads a text file given on the command line (`-` for standard input).
///
/// - Returns: the text and the name to send as the source (the file's last path component).
func readTextFile(_ path: String) throws -> (text: String, name: String) {
    let data: Data
    if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
        return (String(decoding: data, as: UTF8.self), "stdin")
    }
    do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw LocalError("cannot read \(path): \((error as NSError).localizedDescription)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw LocalError("\(path) is not UTF-8 text (save it as UTF-8; GBK files need converting first)")
    }
    return (text, (path as NSString).lastPathComponent)
}

/// Writes a file, e.g. an SVG chart.
func writeTextFile(_ path: String, _ text: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw LocalError("cannot write \(path): \((error as NSError).localizedDescription)")
    }
}

/// Prints a line on standard error (notes that must not mix with CSV or JSON on standard output).
func note(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

extension GlobalOptions {
    /// Calls one unary method and maps its errors like every command.
    func call<Req: WireMessage, Resp: WireMessage>(_ method: String, _ request: Req,
                                                   returning: Resp.Type) async throws -> Decoded<Resp> {
        try await withClient { (c) throws(RPCError) in try await c.call(method, request, returning: Resp.self) }
    }
}

/// A region as people read it: the full name (四川省成都市), else the name, else the code.
func regionLabel(_ r: UnsafeMutablePointer<Lexstat__V1__Region>?) -> String {
    guard let r else { return "" }
    let full = wireString(r.pointee.full_name)
    if !full.isEmpty { return full }
    let name = wireString(r.pointee.name)
    return name.isEmpty ? wireString(r.pointee.code) : name
}

/// A short region name for a column: the name (江北区), else the code.
func regionName(_ r: UnsafeMutablePointer<Lexstat__V1__Region>?) -> String {
    guard let r else { return "" }
    let name = wireString(r.pointee.name)
    return name.isEmpty ? wireString(r.pointee.code) : name
}

/// `法律援助案件数 (service.legal_aid_cases)`.
func indicatorLabel(_ i: UnsafeMutablePointer<Lexstat__V1__Indicator>?) -> String {
    guard let i else { return "" }
    let name = wireString(i.pointee.name), code = wireString(i.pointee.code)
    return name.isEmpty ? code : "\(name) (\(code))"
}

/// A value with its bound marker: `≥40000`.
func boundedValue(_ v: Double, _ b: Lexstat__V1__Bound) -> String {
    b.marker + NumberFormat.plain(v)
}
