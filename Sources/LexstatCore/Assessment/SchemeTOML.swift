import Foundation
import TOMLKit

/// The two notations a scheme may be written in, told by the file name.
public enum SchemeFormat: String, Sendable, CaseIterable {
    case json
    case toml

    /// The format a file name says: `.toml` (any case) is TOML, anything else JSON.
    public init(file: String) {
        self = file.lowercased().hasSuffix(".toml") ? .toml : .json
    }

    /// The file extension, with its dot.
    public var fileExtension: String { "." + rawValue }
}

/// A TOML date, time or date-time in a scheme: no field of a scheme takes one,
/// but the reader must be able to say what it found.
struct SchemeTOMLDate {
    let text: String
}

/// Reads a TOML scheme into the tree the JSON reader walks.
///
/// The structure is the JSON one: top-level keys, `[peer_group]` and
/// `[missing]` tables, and `[[components]]` with `indicators` as an array of
/// inline tables or as `[[components.indicators]]` (nested groups as
/// `[[components.indicators.indicators]]`). Tables become `[String: Any]`,
/// arrays `[Any]`, integers and floats `Double`, booleans `Bool`.
enum SchemeTOML {
    /// Parses TOML text into a tree.
    ///
    /// - Throws: `LexstatError.invalidArgument` as `scheme FILE: line N: not valid TOML: reason`.
    static func tree(_ data: Data, file: String) throws(LexstatError) -> Any {
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalidArgument("scheme \(file): not valid TOML: the file is not valid UTF-8")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw .invalidArgument("scheme \(file): line \(e.source.begin.line): not valid TOML: \(e.description)")
        } catch {
            throw .invalidArgument("scheme \(file): not valid TOML: \(error)")
        }
        return convert(table)
    }

    static func convert(_ v: TOMLValueConvertible) -> Any {
        switch v.type {
        case .table:
            guard let t = v.table else { return [String: Any]() }
            var out: [String: Any] = [:]
            for (k, x) in t { out[k] = convert(x) }
            return out
        case .array:
            guard let a = v.array else { return [Any]() }
            return a.map { convert($0) }
        case .string: return v.string ?? ""
        case .int: return v.int.map(Double.init) ?? 0.0
        case .double: return v.double ?? 0.0
        case .bool: return v.bool ?? false
        case .date, .time, .dateTime: return SchemeTOMLDate(text: v.debugDescription)
        }
    }
}
