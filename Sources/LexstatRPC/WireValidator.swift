import CProtobufC
import Foundation
import LexstatWire

/// Checks a decoded message against rules every request must meet, by
/// walking its descriptor: strings are valid UTF-8 and not over a length
/// limit, enum fields hold a value the enum defines, repeated fields are
/// bounded. protobuf-c accepts all of these; the handlers should not see them.
public struct WireValidator: Sendable {
    /// Longest string, in bytes, unless the field is listed in `longFields`.
    public var maxString: Int
    /// Fields (by name) that carry documents, e.g. `csv`, `tsv`: bounded by the frame size only.
    public var longFields: Set<String>
    /// Most elements of a repeated field.
    public var maxRepeated: Int

    public init(maxString: Int = 4096, longFields: Set<String> = ["csv", "tsv", "scheme_text", "text"],
                maxRepeated: Int = 10_000) {
        self.maxString = maxString
        self.longFields = longFields
        self.maxRepeated = maxRepeated
    }

    /// - Throws: `RPCError(.invalidArgument)` naming the field path and the rule.
    public func validate(_ m: UnsafePointer<ProtobufCMessage>) throws(RPCError) {
        try check(m, path: "", depth: 0)
    }

    private func check(_ m: UnsafePointer<ProtobufCMessage>, path: String, depth: Int) throws(RPCError) {
        guard depth < 32 else { throw RPCError(.invalidArgument, "\(path): nested too deeply") }
        let d = m.pointee.descriptor.pointee
        let base = UnsafeRawPointer(m)
        for f in UnsafeBufferPointer(start: d.fields, count: Int(d.n_fields)) {
            if (f.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue)) != 0,
               base.load(fromByteOffset: Int(f.quantifier_offset), as: UInt32.self) != f.id {
                continue
            }
            let name = String(cString: f.name)
            let fieldPath = path.isEmpty ? name : "\(path).\(name)"
            let p = base + Int(f.offset)
            if f.label == PROTOBUF_C_LABEL_REPEATED {
                let n = base.load(fromByteOffset: Int(f.quantifier_offset), as: Int.self)
                guard n <= maxRepeated else {
                    throw RPCError(.invalidArgument, "\(fieldPath): \(n) elements, at most \(maxRepeated)")
                }
                guard let arr = p.load(as: UnsafeRawPointer?.self) else { continue }
                for i in 0..<n {
                    try checkValue(f, arr + i * stride(f), path: "\(fieldPath)[\(i)]", name: name, depth: depth)
                }
            } else {
                try checkValue(f, p, path: fieldPath, name: name, depth: depth)
            }
        }
    }

    private func stride(_ f: ProtobufCFieldDescriptor) -> Int {
        switch f.type {
        case PROTOBUF_C_TYPE_STRING, PROTOBUF_C_TYPE_MESSAGE: return MemoryLayout<UnsafeRawPointer>.stride
        case PROTOBUF_C_TYPE_BYTES: return MemoryLayout<ProtobufCBinaryData>.stride
        case PROTOBUF_C_TYPE_ENUM, PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_SINT32,
             PROTOBUF_C_TYPE_FIXED32, PROTOBUF_C_TYPE_SFIXED32, PROTOBUF_C_TYPE_FLOAT: return 4
        case PROTOBUF_C_TYPE_BOOL: return MemoryLayout<protobuf_c_boolean>.stride
        default: return 8
        }
    }

    private func checkValue(_ f: ProtobufCFieldDescriptor, _ p: UnsafeRawPointer, path: String, name: String,
                            depth: Int) throws(RPCError) {
        switch f.type {
        case PROTOBUF_C_TYPE_STRING:
            guard let s = p.load(as: UnsafePointer<CChar>?.self) else { return }
            let len = strlen(s)
            if !longFields.contains(name) && len > maxString {
                throw RPCError(.invalidArgument, "\(path): \(len) bytes, at most \(maxString)")
            }
            let bytes = UnsafeRawBufferPointer(start: s, count: len)
            guard validUTF8(bytes) else { throw RPCError(.invalidArgument, "\(path): not valid UTF-8") }
        case PROTOBUF_C_TYPE_ENUM:
            let v = p.load(as: Int32.self)
            guard let ed = f.descriptor?.assumingMemoryBound(to: ProtobufCEnumDescriptor.self).pointee else { return }
            let values = UnsafeBufferPointer(start: ed.values, count: Int(ed.n_values))
            guard values.contains(where: { $0.value == v }) else {
                let names = values.map { String(cString: $0.name) }.joined(separator: ", ")
                throw RPCError(.invalidArgument, "\(path): \(v) is not a \(String(cString: ed.short_name)) (\(names))")
            }
        case PROTOBUF_C_TYPE_MESSAGE:
            guard let sub = p.load(as: UnsafePointer<ProtobufCMessage>?.self) else { return }
            try check(sub, path: path, depth: depth + 1)
        case PROTOBUF_C_TYPE_DOUBLE:
            guard p.load(as: Double.self).isFinite else { throw RPCError(.invalidArgument, "\(path): not a finite number") }
        default:
            return
        }
    }

    private func validUTF8(_ b: UnsafeRawBufferPointer) -> Bool {
        // Fast path: ASCII.
        if !b.contains(where: { $0 >= 0x80 }) { return true }
        var it = b.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
