/// The one error type at the RPC boundary: a status code, a message for the
/// user, and optionally the error that caused it.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(_ code: StatusCode, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `NAME: message`, as the CLI prints it.
    public var description: String { message.isEmpty ? code.name : "\(code.name): \(message)" }
}
