import Foundation

/// Locates the reference data shipped with Lexstat (catalog, regions, demo set).
///
/// Looks in `LEXSTAT_DATA_DIR` when set, then in the installed data folder
/// (`<prefix>/share/lexstat` next to the binary's `bin/`), then in the
/// resource bundle the build produces.
public enum ReferenceData {
    /// Candidate folders, in the order they are searched.
    public static var searchPath: [URL] { installedFolders + bundleFolders }

    /// `LEXSTAT_DATA_DIR` and `<prefix>/share/lexstat`.
    static var installedFolders: [URL] {
        var dirs: [URL] = []
        if let env = ProcessInfo.processInfo.environment["LEXSTAT_DATA_DIR"], !env.isEmpty {
            dirs.append(URL(fileURLWithPath: env))
        }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        dirs.append(exe.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/lexstat"))
        return dirs
    }

    /// The build's resource bundle. Touched only when the installed folders
    /// lack a file: `Bundle.module` stops the process when the bundle is
    /// gone, as it is for an installed binary away from its build tree.
    static var bundleFolders: [URL] {
        guard let res = Bundle.module.resourceURL else { return [] }
        return [res.appendingPathComponent("Resources"), res]
    }

    /// The URL of a reference file.
    ///
    /// - Throws: `LexstatError.internalError` listing the folders searched.
    public static func url(named name: String) throws(LexstatError) -> URL {
        let fm = FileManager.default
        for dir in installedFolders {
            let u = dir.appendingPathComponent(name)
            if fm.fileExists(atPath: u.path) { return u }
        }
        for dir in bundleFolders {
            let u = dir.appendingPathComponent(name)
            if fm.fileExists(atPath: u.path) { return u }
        }
        throw .internalError("reference file \(name) not found in \(searchPath.map(\.path).joined(separator: ", ")); set LEXSTAT_DATA_DIR")
    }

    /// The text of a reference file, UTF-8.
    public static func text(named name: String) throws(LexstatError) -> String {
        let u = try url(named: name)
        do {
            return try String(contentsOf: u, encoding: .utf8)
        } catch {
            throw .internalError("cannot read \(u.path): \(error)")
        }
    }
}
