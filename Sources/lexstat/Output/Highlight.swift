import Foundation

/// How a search match is marked in printed snippets.
struct Highlight {
    var open: String
    var close: String

    /// Bold red in a terminal (unless NO_COLOR is set or TERM is dumb), else 【…】.
    static var forStandardOutput: Highlight {
        let env = ProcessInfo.processInfo.environment
        if isatty(STDOUT_FILENO) != 0, env["NO_COLOR"] == nil, env["TERM"] != "dumb" {
            return Highlight(open: "\u{1B}[1;31m", close: "\u{1B}[0m")
        }
        return brackets
    }

    static let brackets = Highlight(open: "【", close: "】")

    /// The snippet with the server's markers replaced by these, and line breaks by spaces.
    func apply(_ snippet: String, open serverOpen: String, close serverClose: String) -> String {
        var s = snippet.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
        if !serverOpen.isEmpty { s = s.replacingOccurrences(of: serverOpen, with: open) }
        if !serverClose.isEmpty { s = s.replacingOccurrences(of: serverClose, with: close) }
        return s
    }
}
