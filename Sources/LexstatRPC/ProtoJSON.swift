import CProtobufC
import LexstatWire
import Foundation

/// Renders any protobuf-c message as JSON by walking its descriptor.
///
/// Field names are the `.proto` names (snake_case). Every field is written,
/// defaults included, so consumers see a stable shape. Enum values are
/// written as lowercase names without the enum's prefix
/// (`BOUND_AT_LEAST` → `"at_least"`); maps become objects; bytes, base64.
public enum ProtoJSON {
    public static func render(_ message: UnsafePointer<ProtobufCMessage>, pretty: Bool = false) -> String {
        var out = ""
        write(message, into: &out, indent: pretty ? 0 : nil)
        return out
    }

    public static func render<M: WireMessage>(_ decoded: Decoded<M>, pretty: Bool = false) -> String {
        withExtendedLifetime(decoded) { render(decoded.rawMessage, pretty: pretty) }
    }

    static func write(_ m: UnsafePointer<ProtobufCMessage>, into out: inout String, indent: Int?) {
        let d = m.pointee.descriptor.pointee
        let base = UnsafeRawPointer(m)
        let fields = UnsafeBufferPointer(start: d.fields, count: Int(d.n_fields))
        // Write fields in number order, as .proto files list them.
        let ordered = fields.sorted { $0.id < $1.id }
        out += "{"
        var first = true
        for f in ordered {
            if (f.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue)) != 0 {
                let which = base.load(fromByteOffset: Int(f.quantifier_offset), as: UInt32.self)
                if which != f.id { continue }
            }
            if !first { out += "," }
            first = false
            newline(&out, indent.map { $0 + 1 })
            out += quote(String(cString: f.name)) + (indent == nil ? ":" : ": ")
            let p = base + Int(f.offset)
            if f.label == PROTOBUF_C_LABEL_REPEATED {
                let n = base.load(fromByteOffset: Int(f.quantifier_offset), as: Int.self)
                let arr = p.load(as: UnsafeRawPointer?.self)
                if isMapEntry(f) {
                    writeMap(n, arr, into: &out, indent: indent.map { $0 + 1 })
                    continue
                }
                out += "["
                let size = elementSize(f)
                for i in 0..<n {
                    if i > 0 { out += indent == nil ? "," : ", " }
                    if let arr { writeValue(f, arr + i * size, into: &out, indent: indent.map { $0 + 1 }) }
                }
                out += "]"
            } else {
                writeValue(f, p, into: &out, indent: indent.map { $0 + 1 })
            }
        }
        if !first { newline(&out, indent) }
        out += "}"
    }

    private static func isMapEntry(_ f: ProtobufCFieldDescriptor) -> Bool {
        guard f.type == PROTOBUF_C_TYPE_MESSAGE, let desc = f.descriptor else { return false }
        let md = desc.assumingMemoryBound(to: ProtobufCMessageDescriptor.self).pointee
        return String(cString: md.name).hasSuffix("Entry") && md.n_fields == 2
    }

    private static func writeMap(_ n: Int, _ arr: UnsafeRawPointer?, into out: inout String, indent: Int?) {
        out += "{"
        guard let arr else { out += "}"; return }
        for i in 0..<n {
            let entry = arr.load(fromByteOffset: i * MemoryLayout<UnsafeRawPointer>.stride, as: UnsafePointer<ProtobufCMessage>.self)
            let d = entry.pointee.descriptor.pointee
            let fields = UnsafeBufferPointer(start: d.fields, count: Int(d.n_fields)).sorted { $0.id < $1.id }
            let raw = UnsafeRawPointer(entry)
            var key = ""
            writeValue(fields[0], raw + Int(fields[0].offset), into: &key, indent: nil)
            if !key.hasPrefix("\"") { key = quote(key) }
            if i > 0 { out += "," }
            newline(&out, indent.map { $0 + 1 })
            out += key + (indent == nil ? ":" : ": ")
            writeValue(fields[1], raw + Int(fields[1].offset), into: &out, indent: indent.map { $0 + 1 })
        }
        if n > 0 { newline(&out, indent) }
        out += "}"
    }

    private static func elementSize(_ f: ProtobufCFieldDescriptor) -> Int {
        switch f.type {
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_SFIXED32,
             PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_FIXED32, PROTOBUF_C_TYPE_FLOAT, PROTOBUF_C_TYPE_ENUM:
            return 4
        case PROTOBUF_C_TYPE_BOOL:
            return MemoryLayout<protobuf_c_boolean>.stride
        case PROTOBUF_C_TYPE_BYTES:
            return MemoryLayout<ProtobufCBinaryData>.stride
        case PROTOBUF_C_TYPE_STRING, PROTOBUF_C_TYPE_MESSAGE:
            return MemoryLayout<UnsafeRawPointer>.stride
        default:
            return 8
        }
    }

    private static func writeValue(_ f: ProtobufCFieldDescriptor, _ p: UnsafeRawPointer, into out: inout String, indent: Int?) {
        switch f.type {
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_SFIXED32:
            out += String(p.load(as: Int32.self))
        case PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_FIXED32:
            out += String(p.load(as: UInt32.self))
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64:
            out += String(p.load(as: Int64.self))
        case PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64:
            out += String(p.load(as: UInt64.self))
        case PROTOBUF_C_TYPE_FLOAT:
            out += number(Double(p.load(as: Float.self)))
        case PROTOBUF_C_TYPE_DOUBLE:
            out += number(p.load(as: Double.self))
        case PROTOBUF_C_TYPE_BOOL:
            out += p.load(as: protobuf_c_boolean.self) != 0 ? "true" : "false"
        case PROTOBUF_C_TYPE_ENUM:
            out += quote(enumName(f, p.load(as: Int32.self)))
        case PROTOBUF_C_TYPE_STRING:
            let s = p.load(as: UnsafePointer<CChar>?.self)
            out += quote(s.map { String(cString: $0) } ?? "")
        case PROTOBUF_C_TYPE_BYTES:
            let b = p.load(as: ProtobufCBinaryData.self)
            let data = b.data.map { Data(bytes: $0, count: b.len) } ?? Data()
            out += quote(data.base64EncodedString())
        case PROTOBUF_C_TYPE_MESSAGE:
            if let sub = p.load(as: UnsafePointer<ProtobufCMessage>?.self) {
                write(sub, into: &out, indent: indent)
            } else {
                out += "null"
            }
        default:
            out += "null"
        }
    }

    private static func enumName(_ f: ProtobufCFieldDescriptor, _ v: Int32) -> String {
        guard let d = f.descriptor?.assumingMemoryBound(to: ProtobufCEnumDescriptor.self).pointee else { return String(v) }
        let values = UnsafeBufferPointer(start: d.values, count: Int(d.n_values))
        guard let ev = values.first(where: { $0.value == v }) else { return String(v) }
        var name = String(cString: ev.name)
        // Strip the enum's own prefix: BOUND_AT_LEAST -> at_least.
        let prefix = snake(String(cString: d.short_name)).uppercased() + "_"
        if name.hasPrefix(prefix) { name.removeFirst(prefix.count) }
        return name.lowercased()
    }

    /// `ObservationKind` -> `observation_kind`.
    static func snake(_ s: String) -> String {
        var out = ""
        for (i, c) in s.enumerated() {
            if c.isUppercase, i > 0 { out += "_" }
            out += c.lowercased()
        }
        return out
    }

    private static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    /// A JSON string literal.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                out += String(format: "\\u%04x", u.value)
            default:
                out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }
}
