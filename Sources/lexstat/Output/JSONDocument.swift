import CProtobufC
import LexstatRPC

/// JSON for answers the CLI assembles from several responses (all pages of a listing).
enum JSONDocument {
    /// One message as JSON (any generated protobuf-c struct).
    static func render<T>(_ message: UnsafeMutablePointer<T>, pretty: Bool = true) -> String {
        ProtoJSON.render(UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self), pretty: pretty)
    }

    /// `{ "<field>": [items…], <scalars…> }`, pretty-printed like `ProtoJSON`,
    /// so that all pages of a listing read as one response of its type.
    ///
    /// - Parameters:
    ///   - field: the repeated field, e.g. `regions`.
    ///   - items: each element already rendered as pretty JSON.
    ///   - scalars: further fields as name and JSON text, e.g. `("next_page_token", "\"\"")`.
    static func list(_ field: String, _ items: [String], scalars: [(String, String)] = []) -> String {
        var out = "{\n  \(ProtoJSON.quote(field)): ["
        for (i, item) in items.enumerated() {
            out += (i == 0 ? "\n    " : ",\n    ") + item.replacingOccurrences(of: "\n", with: "\n    ")
        }
        out += items.isEmpty ? "]" : "\n  ]"
        for (name, value) in scalars { out += ",\n  \(ProtoJSON.quote(name)): \(value)" }
        return out + "\n}\n"
    }
}
