import Foundation

/// A value of a configuration file.
public enum ConfigValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case bool(Bool)
    case array([ConfigValue])

    /// What the value is, for error messages: "a string", "an integer"…
    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a number with a fraction"
        case .bool: return "a boolean"
        case .array: return "an array"
        }
    }
}

/// One `key = value` of a configuration file, with the table it is in folded
/// into the key (`[limits]` + `max_connections` → `limits.max_connections`).
public struct ConfigEntry: Equatable, Sendable {
    public let key: String
    public let value: ConfigValue
    /// 1-based line of the key.
    public let line: Int
}

/// A `[table]` header of a configuration file, with its line (a table may have no keys).
public struct ConfigTable: Equatable, Sendable {
    public let name: String
    /// 1-based line of the header.
    public let line: Int
}

/// Why a configuration could not be used: where, and the reason.
///
/// Printed as `FILE:LINE: REASON` for a file, or `SOURCE: REASON` for an
/// environment variable or a flag.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let source: String
    public let line: Int?
    public let reason: String

    public init(source: String, line: Int? = nil, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(source):\(line): \(reason)" }
        return "\(source): \(reason)"
    }
}

/// The part of TOML (https://toml.io, v1.0) a daemon's configuration needs.
///
/// Comments, `[table]` and `[table.sub]` headers, bare, quoted and dotted
/// keys, basic and literal strings on one line, integers (decimal, `0x`,
/// `0o`, `0b`, with `_`), floats, booleans and arrays (which may span
/// lines). Multi-line strings, inline tables, arrays of tables and dates are
/// refused with their line, as is anything else. Hand-written rather than
/// TOMLKit: every error, including a later "unknown key" or "wrong type",
/// can name its line, and it adds nothing to build.
public enum TOMLSubset {
    /// Parses a whole file.
    ///
    /// - Parameters:
    ///   - text: the file's bytes (UTF-8).
    ///   - source: the file's path, for errors.
    /// - Returns: the entries in file order.
    /// - Throws: `ConfigError` with the line and reason of the first problem.
    public static func parse(_ text: [UInt8], source: String) throws(ConfigError) -> [ConfigEntry] {
        try parseDocument(text, source: source).entries
    }

    /// Parses a whole file into its entries and its table headers.
    ///
    /// - Returns: the entries and the `[table]` headers, each in file order.
    /// - Throws: `ConfigError` with the line and reason of the first problem.
    public static func parseDocument(_ text: [UInt8], source: String) throws(ConfigError)
        -> (entries: [ConfigEntry], tables: [ConfigTable]) {
        var p = Parser(b: text, source: source)
        let entries = try p.document()
        return (entries, p.tables)
    }

    /// Reads and parses a file.
    ///
    /// - Throws: `ConfigError` when it cannot be read or parsed.
    public static func parse(contentsOf path: String) throws(ConfigError) -> [ConfigEntry] {
        try parseDocument(contentsOf: path).entries
    }

    /// Reads and parses a file into its entries and its table headers.
    ///
    /// - Throws: `ConfigError` when it cannot be read or parsed.
    public static func parseDocument(contentsOf path: String) throws(ConfigError)
        -> (entries: [ConfigEntry], tables: [ConfigTable]) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ConfigError(source: path, reason: "no such file")
        }
        guard !isDir.boolValue else { throw ConfigError(source: path, reason: "is a folder, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigError(source: path, reason: "cannot read the file (permissions?)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: 1 << 20 + 1) ?? Data()
        } catch {
            throw ConfigError(source: path, reason: "cannot read the file: \(error.localizedDescription)")
        }
        guard data.count <= 1 << 20 else { throw ConfigError(source: path, reason: "the file is larger than 1 MiB") }
        return try parseDocument([UInt8](data), source: path)
    }

    private struct Parser {
        let b: [UInt8]
        let source: String
        var i = 0
        var line = 1
        /// The `[table]` headers read, in file order.
        var tables: [ConfigTable] = []

        init(b: [UInt8], source: String) {
            self.b = b
            self.source = source
        }

        func fail(_ reason: String, line: Int? = nil) -> ConfigError {
            ConfigError(source: source, line: line ?? self.line, reason: reason)
        }

        var atEnd: Bool { i >= b.count }
        var peek: UInt8? { i < b.count ? b[i] : nil }

        mutating func skipSpaces() {
            while let c = peek, c == 0x20 || c == 0x09 { i += 1 }
        }

        mutating func skipComment() throws(ConfigError) {
            guard peek == UInt8(ascii: "#") else { return }
            while let c = peek, c != 0x0A {
                if c < 0x20 && c != 0x09 && c != 0x0D { throw fail("control character in a comment") }
                i += 1
            }
        }

        /// Consumes the end of a line (or of the file) after optional spaces and a comment.
        mutating func endOfLine(_ what: String) throws(ConfigError) {
            skipSpaces()
            try skipComment()
            if atEnd { return }
            if peek == 0x0D { i += 1 }
            guard peek == 0x0A else { throw fail("unexpected text after \(what): expected the end of the line") }
            i += 1
            line += 1
        }

        mutating func document() throws(ConfigError) -> [ConfigEntry] {
            if let bad = firstInvalidUTF8Line() { throw fail("the file is not valid UTF-8", line: bad) }
            var entries: [ConfigEntry] = []
            var seen: [String: Int] = [:]
            var tables: [String: Int] = [:]
            var table = ""
            while !atEnd {
                skipSpaces()
                guard let c = peek else { break }
                if c == 0x0A || c == 0x0D || c == UInt8(ascii: "#") {
                    try endOfLine("a comment")
                    continue
                }
                if c == UInt8(ascii: "[") {
                    i += 1
                    if peek == UInt8(ascii: "[") { throw fail("arrays of tables ([[…]]) are not supported here") }
                    skipSpaces()
                    let name = try key().joined(separator: ".")
                    skipSpaces()
                    guard peek == UInt8(ascii: "]") else { throw fail("expected ] to close the table header") }
                    i += 1
                    if let first = tables[name] { throw fail("table [\(name)] is defined twice (first on line \(first))") }
                    if let first = seen[name] { throw fail("[\(name)] is already a key (line \(first))") }
                    tables[name] = line
                    self.tables.append(ConfigTable(name: name, line: line))
                    table = name
                    try endOfLine("the table header")
                    continue
                }
                let keyLine = line
                let parts = try key()
                let full = (table.isEmpty ? [] : [table]) + parts
                let name = full.joined(separator: ".")
                skipSpaces()
                guard peek == UInt8(ascii: "=") else { throw fail("expected = after the key \(name)") }
                i += 1
                skipSpaces()
                let v = try value()
                if let first = seen[name] { throw fail("\(name) is set twice (first on line \(first))", line: keyLine) }
                seen[name] = keyLine
                entries.append(ConfigEntry(key: name, value: v, line: keyLine))
                try endOfLine("the value of \(name)")
            }
            return entries
        }

        func firstInvalidUTF8Line() -> Int? {
            guard String(bytes: b, encoding: .utf8) == nil else { return nil }
            var ln = 1
            var start = 0
            for (k, c) in b.enumerated() where c == 0x0A || k == b.count - 1 {
                if String(bytes: b[start...k], encoding: .utf8) == nil { return ln }
                ln += 1
                start = k + 1
            }
            return 1
        }

        mutating func key() throws(ConfigError) -> [String] {
            var parts: [String] = []
            while true {
                skipSpaces()
                if peek == UInt8(ascii: "\"") {
                    i += 1
                    parts.append(try basicString())
                } else if peek == UInt8(ascii: "'") {
                    i += 1
                    parts.append(try literalString())
                } else {
                    let start = i
                    while let c = peek, isBareKey(c) { i += 1 }
                    guard i > start else {
                        let found = peek.map { $0 == 0x0A ? "the end of the line" : "\"\(Character(Unicode.Scalar($0)))\"" } ?? "the end of the file"
                        throw fail("expected a key, found \(found)")
                    }
                    parts.append(String(decoding: b[start..<i], as: UTF8.self))
                }
                skipSpaces()
                guard peek == UInt8(ascii: ".") else { return parts }
                i += 1
            }
        }

        func isBareKey(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
        }

        mutating func value() throws(ConfigError) -> ConfigValue {
            guard let c = peek, c != 0x0A, c != 0x0D, c != UInt8(ascii: "#") else {
                throw fail("expected a value after =")
            }
            switch c {
            case UInt8(ascii: "\""):
                if b[i...].starts(with: Array("\"\"\"".utf8)) { throw fail("multi-line strings (\"\"\") are not supported here") }
                i += 1
                return .string(try basicString())
            case UInt8(ascii: "'"):
                if b[i...].starts(with: Array("'''".utf8)) { throw fail("multi-line strings (''') are not supported here") }
                i += 1
                return .string(try literalString())
            case UInt8(ascii: "["):
                i += 1
                return try array()
            case UInt8(ascii: "{"):
                throw fail("inline tables ({…}) are not supported here; use a [table] header")
            default:
                let start = i
                while let d = peek, isBareKey(d) || d == UInt8(ascii: ".") || d == UInt8(ascii: "+") || d == UInt8(ascii: ":") { i += 1 }
                let word = String(decoding: b[start..<i], as: UTF8.self)
                if word == "true" { return .bool(true) }
                if word == "false" { return .bool(false) }
                if let n = Self.integer(word) { return .integer(n) }
                if let f = Self.float(word) { return .float(f) }
                if word.isEmpty {
                    throw fail("expected a value: a \"string\", a number, true or false, or an [array]")
                }
                if word.contains(":") || (word.first?.isNumber == true && word.dropFirst().contains("-")) {
                    throw fail("dates and times are not supported here; write \"\(word)\" as a string")
                }
                if word.first?.isNumber == true || word.first == "+" || word.first == "-" {
                    throw fail("\(word) is not a valid number")
                }
                throw fail("expected a value, found \(word); strings need quotes: \"\(word)\"")
            }
        }

        static func integer(_ w: String) -> Int64? {
            var s = Substring(w)
            var negative = false
            var radix = 10
            if s.hasPrefix("0x") { radix = 16; s = s.dropFirst(2) }
            else if s.hasPrefix("0o") { radix = 8; s = s.dropFirst(2) }
            else if s.hasPrefix("0b") { radix = 2; s = s.dropFirst(2) }
            else if s.first == "+" || s.first == "-" { negative = s.first == "-"; s = s.dropFirst() }
            guard validUnderscores(s) else { return nil }
            let digits = s.replacingOccurrences(of: "_", with: "")
            if radix == 10 && digits.count > 1 && digits.first == "0" { return nil } // no leading zeros
            guard !digits.isEmpty, let v = Int64(digits, radix: radix) else { return nil }
            return negative ? -v : v
        }

        static func float(_ w: String) -> Double? {
            switch w {
            case "inf", "+inf": return .infinity
            case "-inf": return -.infinity
            case "nan", "+nan", "-nan": return .nan
            default: break
            }
            guard w.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), validUnderscores(Substring(w)),
                  !w.hasPrefix("."), !w.hasSuffix("."), !w.contains("._"), !w.contains("_.") else { return nil }
            return Double(w.replacingOccurrences(of: "_", with: ""))
        }

        static func validUnderscores(_ s: Substring) -> Bool {
            !s.hasPrefix("_") && !s.hasSuffix("_") && !s.contains("__")
        }

        mutating func basicString() throws(ConfigError) -> String {
            var out: [UInt8] = []
            while true {
                guard let c = peek, c != 0x0A else { throw fail("unterminated string: a closing \" is missing") }
                i += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                if c < 0x20 && c != 0x09 || c == 0x7F { throw fail("control character in a string; use an escape such as \\t") }
                guard c == UInt8(ascii: "\\") else { out.append(c); continue }
                guard let e = peek else { throw fail("unterminated string") }
                i += 1
                switch e {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let n = e == UInt8(ascii: "u") ? 4 : 8
                    guard i + n <= b.count, let v = UInt32(String(decoding: b[i..<(i + n)], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(v) else { throw fail("invalid \\\(Character(Unicode.Scalar(e))) escape in a string") }
                    i += n
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw fail("invalid escape \\\(Character(Unicode.Scalar(e))) in a string")
                }
            }
        }

        mutating func literalString() throws(ConfigError) -> String {
            let start = i
            while let c = peek, c != UInt8(ascii: "'") {
                if c == 0x0A { break }
                if c < 0x20 && c != 0x09 { throw fail("control character in a string") }
                i += 1
            }
            guard peek == UInt8(ascii: "'") else { throw fail("unterminated string: a closing ' is missing") }
            defer { i += 1 }
            return String(decoding: b[start..<i], as: UTF8.self)
        }

        /// After `[`: values separated by commas; newlines and comments may come between them.
        mutating func array() throws(ConfigError) -> ConfigValue {
            var items: [ConfigValue] = []
            let startLine = line
            while true {
                try skipBlank()
                guard let c = peek else { throw fail("unterminated array: ] is missing (opened on line \(startLine))") }
                if c == UInt8(ascii: "]") { i += 1; return .array(items) }
                items.append(try value())
                try skipBlank()
                if peek == UInt8(ascii: ",") { i += 1; continue }
                if peek == UInt8(ascii: "]") { i += 1; return .array(items) }
                if atEnd { throw fail("unterminated array: ] is missing (opened on line \(startLine))") }
                throw fail("expected , or ] in the array")
            }
        }

        /// Spaces, comments and newlines (inside arrays).
        mutating func skipBlank() throws(ConfigError) {
            while true {
                skipSpaces()
                try skipComment()
                if peek == 0x0D { i += 1 }
                if peek == 0x0A { i += 1; line += 1; continue }
                return
            }
        }
    }
}
