import Foundation

/// The folder of scheme files a server offers by name (`<name>.json` or `<name>.toml`).
public struct SchemeLibrary: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The shipped examples (`schemes/` among the reference data).
    public static func bundled() throws(LexstatError) -> SchemeLibrary {
        SchemeLibrary(directory: try ReferenceData.url(named: "schemes"))
    }

    /// The scheme files of the folder, sorted.
    func files() -> [String] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return all.filter { f in
            !f.hasPrefix(".") && SchemeFormat.allCases.contains { f.hasSuffix($0.fileExtension) }
        }.sorted()
    }

    /// Names of the schemes in the folder (file names without `.json` or `.toml`), sorted.
    public func names() -> [String] {
        Array(Set(files().map(SchemeLibrary.baseName))).sorted()
    }

    static func baseName(_ file: String) -> String {
        for f in SchemeFormat.allCases where file.hasSuffix(f.fileExtension) {
            return String(file.dropLast(f.fileExtension.count))
        }
        return file
    }

    /// Every scheme of the folder, validated, for a server to report at start and on reload.
    ///
    /// - Returns: the names that load, each that does not with its error, and
    ///   why the folder could not be listed, if it could not.
    public func check(catalog: [Indicator]) -> SchemeFolderCheck {
        var result = SchemeFolderCheck()
        do {
            _ = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            result.unreadable = "\(directory.path): cannot list the scheme folder: \((error as NSError).localizedDescription)"
            return result
        }
        for name in names() {
            do throws(LexstatError) {
                _ = try load(name, catalog: catalog)
                result.valid.append(name)
            } catch {
                result.invalid.append((name, error))
            }
        }
        return result
    }

    /// Reads and validates a scheme by name (with or without `.json` or `.toml`).
    ///
    /// - Throws: `LexstatError.invalidArgument` for a name that is not a plain
    ///   file name; `.notFound` for a missing one, listing those there are;
    ///   `.failedPrecondition` for a file of the folder that does not
    ///   validate (also when both `<name>.json` and `<name>.toml` exist): the
    ///   fault is in the server's configuration, not in the caller's request.
    public func load(_ name: String, catalog: [Indicator]) throws(LexstatError) -> AssessmentScheme {
        let base = SchemeLibrary.baseName(name)
        guard !base.isEmpty, !base.contains("/"), !base.hasPrefix(".") else {
            throw .invalidArgument("scheme: \"\(name)\" is not a scheme name (a file name in the scheme folder, without a path)")
        }
        let asked = base != name ? [SchemeFormat(file: name)] : SchemeFormat.allCases
        let present = asked.map { base + $0.fileExtension }.filter {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        guard let file = present.first else {
            let have = names()
            let wanted = asked.map { base + $0.fileExtension }.joined(separator: " or ")
            throw .notFound("scheme \"\(base)\": no \(wanted) in \(directory.path)" + (have.isEmpty ? "" : "; there are: \(have.joined(separator: ", "))"))
        }
        guard present.count == 1 else {
            throw .failedPrecondition("scheme \(base): both \(present.joined(separator: " and ")) are in \(directory.path); keep one")
        }
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
            throw .failedPrecondition("scheme \(file): cannot be read")
        }
        do throws(LexstatError) {
            return try SchemeParser.parse(data, file: file, catalog: catalog)
        } catch .invalidArgument(let m) {
            throw .failedPrecondition(m)
        }
    }
}

/// The outcome of ``SchemeLibrary/check(catalog:)``.
public struct SchemeFolderCheck: Sendable {
    /// Names of the schemes that validate, sorted.
    public var valid: [String] = []
    /// Each scheme that does not, with its error (the message names the file, the path and the reason).
    public var invalid: [(name: String, error: LexstatError)] = []
    /// Why the folder could not be listed, when it could not.
    public var unreadable: String?

    public init() {}
}
