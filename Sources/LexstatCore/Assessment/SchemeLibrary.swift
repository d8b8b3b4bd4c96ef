import Foundation

/// The folder of scheme files a server offers by name (`<name>.json`).
public struct SchemeLibrary: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The shipped examples (`schemes/` among the reference data).
    public static func bundled() throws(LexstatError) -> SchemeLibrary {
        SchemeLibrary(directory: try ReferenceData.url(named: "schemes"))
    }

    /// Names of the schemes in the folder, sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Reads and validates a scheme by name.
    ///
    /// - Throws: `LexstatError.invalidArgument` for a name that is not a plain
    ///   file name or a scheme that does not validate; `.notFound` for a
    ///   missing one, listing those there are.
    public func load(_ name: String, catalog: [Indicator]) throws(LexstatError) -> AssessmentScheme {
        let base = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        guard !base.isEmpty, !base.contains("/"), !base.hasPrefix(".") else {
            throw .invalidArgument("scheme: \"\(name)\" is not a scheme name (a file name in the scheme folder, without a path)")
        }
        let url = directory.appendingPathComponent(base + ".json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let have = names()
            throw .notFound("scheme \"\(base)\": no \(base).json in \(directory.path)" + (have.isEmpty ? "" : "; there are: \(have.joined(separator: ", "))"))
        }
        return try SchemeParser.parse(data, file: base + ".json", catalog: catalog)
    }
}
