import Foundation

/// What one run of the `lexstat` binary printed and returned.
struct CLIRun {
    var status: Int32
    var out: String
    var err: String
}

/// Runs the built `lexstat` with arguments (LEXSTAT_SERVER unset unless given).
func runLexstat(_ args: [String], env: [String: String] = [:], stdin: Data? = nil) throws -> CLIRun {
    let p = Process()
    p.executableURL = DaemonProcess.productsDirectory.appendingPathComponent("lexstat")
    p.arguments = args
    var e = ProcessInfo.processInfo.environment
    e.removeValue(forKey: "LEXSTAT_SERVER")
    for (k, v) in env { e[k] = v }
    p.environment = e
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = Pipe()
    p.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try p.run()
    if let stdin {
        input.fileHandleForWriting.write(stdin)
        try? input.fileHandleForWriting.close()
    }
    // Read both pipes concurrently so a full stderr cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while !reader.isFinished { Thread.sleep(forTimeInterval: 0.001) }
    return CLIRun(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
}

/// Converts UTF-8 text to GB18030 bytes with iconv.
func gb18030(_ text: String) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    p.arguments = ["-f", "UTF-8", "-t", "GB18030"]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let d = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return d
}
