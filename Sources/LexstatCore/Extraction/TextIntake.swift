import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The character encoding a report file was read in.
public enum TextEncodingName: String, Sendable, Codable, CaseIterable {
    case utf8 = "UTF-8"
    /// GB18030, a superset of GBK and GB2312.
    case gb18030 = "GB18030"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
}

/// Turns the bytes of a report file into text: detects the encoding, refuses
/// what is not report text.
public enum TextIntake {
    /// The decoded text and what was assumed on the way.
    public struct Decoded: Sendable, Hashable {
        public var text: String
        public var encoding: TextEncodingName
        /// Remarks for the user, e.g. that a byte-order mark was dropped.
        public var notes: [String]
    }

    /// Decodes `data` as UTF-8, UTF-16 (with a byte-order mark) or GB18030.
    /// Line breaks are normalised to LF (CRLF and CR, as Python's universal
    /// newlines read a file), so that code-point offsets agree with tools that
    /// read the file that way.
    ///
    /// UTF-8 is tried first; a file that is not valid UTF-8 is read as GB18030
    /// (which covers GBK and GB2312), and the note says so.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - name: the file name, for messages.
    ///   - maxBytes: the largest file accepted.
    /// - Throws: `LexstatError.invalidArgument` for an empty file, a file over
    ///   `maxBytes`, binary data, or bytes that are neither UTF-8 nor GB18030.
    public static func decode(_ data: Data, name: String, maxBytes: Int) throws(LexstatError) -> Decoded {
        if data.isEmpty {
            throw .invalidArgument("\(name): the file is empty")
        }
        if data.count > maxBytes {
            throw .invalidArgument("\(name): the file has \(data.count) bytes, more than the limit of \(maxBytes) bytes")
        }
        let bytes = [UInt8](data)
        var notes: [String] = []
        var text: String
        var encoding: TextEncodingName

        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let le = bytes[0] == 0xFF
            guard let s = String(data: Data(bytes[2...]), encoding: le ? .utf16LittleEndian : .utf16BigEndian) else {
                throw .invalidArgument("\(name): the file starts with a UTF-16 byte-order mark but is not valid UTF-16")
            }
            text = s
            encoding = le ? .utf16LE : .utf16BE
            notes.append("read as \(encoding.rawValue) (byte-order mark)")
        } else {
            if bytes.contains(0) {
                throw .invalidArgument("\(name): the file holds binary data (NUL bytes), not text")
            }
            var body = bytes[...]
            var bom = ""
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                // Kept as U+FEFF: a UTF-8 reader counts it, so offsets agree.
                body = bytes[3...]
                bom = "\u{FEFF}"
                notes.append("kept the UTF-8 byte-order mark as the first character (offsets count it)")
            }
            if let s = String(data: Data(body), encoding: .utf8) {
                text = bom + s
                encoding = .utf8  // the usual case: named by `encoding`, no note
            } else if let s = gb18030(Array(body)) {
                // Random bytes often decode as GB18030: ask for mostly Chinese text.
                guard plausibleShare(s) >= 0.8 else {
                    throw .invalidArgument("\(name): the file looks like binary data: not UTF-8, and as GB18030 it is not Chinese text")
                }
                text = s
                encoding = .gb18030
                notes.append("not valid UTF-8: read as GB18030 (GBK)")
            } else {
                throw .invalidArgument("\(name): the bytes are neither UTF-8 nor GB18030 text")
            }
        }
        try checkLooksLikeText(text, name: name)
        // Line breaks as Python's universal newlines read them (the scorer's
        // view of the file): CRLF and CR become LF, so offsets agree.
        if text.unicodeScalars.contains("\r") {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            notes.append("line breaks CRLF/CR read as LF")
        }
        return Decoded(text: text, encoding: encoding, notes: notes)
    }

    /// Refuses text that is blank or mostly control characters.
    static func checkLooksLikeText(_ text: String, name: String) throws(LexstatError) {
        var total = 0, control = 0, visible = 0
        for s in text.unicodeScalars {
            total += 1
            let v = s.value
            if v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D && v != 0x0C { control += 1 }
            else if v == 0xFFFD || (v >= 0xE000 && v <= 0xF8FF) { control += 1 }
            else if !Scalars.isSpace(v) && !Scalars.isNewline(v) { visible += 1 }
        }
        if control * 20 > total {
            throw .invalidArgument("\(name): the file looks like binary data (\(control) of \(total) characters are control or replacement characters)")
        }
        if visible == 0 {
            throw .invalidArgument("\(name): the file holds no text, only white space")
        }
    }

    /// The share of characters that report text is made of: ASCII, common
    /// Chinese characters, CJK and full-width punctuation.
    static func plausibleShare(_ s: String) -> Double {
        var total = 0, ok = 0
        for c in s.unicodeScalars {
            total += 1
            let v = c.value
            if (v >= 0x20 && v < 0x7F) || v == 0x0A || v == 0x0D || v == 0x09 || (v >= 0x4E00 && v <= 0x9FFF)
                || (v >= 0x3000 && v <= 0x303F) || (v >= 0xFF00 && v <= 0xFFEF) || (v >= 0x2000 && v <= 0x206F) {
                ok += 1
            }
        }
        return total == 0 ? 0 : Double(ok) / Double(total)
    }

    /// GB18030 to String through iconv; nil when the bytes are not GB18030.
    static func gb18030(_ bytes: [UInt8]) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        var inLeft = input.count
        var outLeft = output.count
        let ok: Bool = input.withUnsafeMutableBufferPointer { ib in
            output.withUnsafeMutableBufferPointer { ob in
                var ip: UnsafeMutablePointer<CChar>? = ib.baseAddress
                var op: UnsafeMutablePointer<CChar>? = ob.baseAddress
                return iconv(cd, &ip, &inLeft, &op, &outLeft) != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        let produced = output.count - outLeft
        return String(data: Data(output[0..<produced].map { UInt8(bitPattern: $0) }), encoding: .utf8)
    }
}
