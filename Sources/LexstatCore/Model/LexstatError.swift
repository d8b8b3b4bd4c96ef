/// The one error type of the domain layer.
///
/// Each case maps onto a gRPC status code at the RPC boundary; the message is
/// meant for the user and names the field and the rule that failed.
public enum LexstatError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidArgument(String)
    case notFound(String)
    case alreadyExists(String)
    case failedPrecondition(String)
    case resourceExhausted(String)
    case permissionDenied(String)
    case unauthenticated(String)
    case unavailable(String)
    case deadlineExceeded(String)
    case cancelled(String)
    case internalError(String)

    public var message: String {
        switch self {
        case .invalidArgument(let m), .notFound(let m), .alreadyExists(let m), .failedPrecondition(let m),
             .resourceExhausted(let m), .permissionDenied(let m), .unauthenticated(let m),
             .unavailable(let m), .deadlineExceeded(let m), .cancelled(let m), .internalError(let m):
            return m
        }
    }

    public var description: String { message }
}
