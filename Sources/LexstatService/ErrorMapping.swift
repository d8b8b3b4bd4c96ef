import LexstatCore
import LexstatRPC

extension RPCError {
    /// The status a domain error becomes at the boundary.
    public init(_ e: LexstatError) {
        switch e {
        case .invalidArgument(let m): self.init(.invalidArgument, m)
        case .notFound(let m): self.init(.notFound, m)
        case .alreadyExists(let m): self.init(.alreadyExists, m)
        case .failedPrecondition(let m): self.init(.failedPrecondition, m)
        case .resourceExhausted(let m): self.init(.resourceExhausted, m)
        case .permissionDenied(let m): self.init(.permissionDenied, m)
        case .unauthenticated(let m): self.init(.unauthenticated, m)
        case .unavailable(let m): self.init(.unavailable, m)
        case .deadlineExceeded(let m): self.init(.deadlineExceeded, m)
        case .cancelled(let m): self.init(.cancelled, m)
        case .internalError(let m): self.init(.internalError, m)
        }
    }
}

/// Runs domain code, turning its errors into RPC errors.
@inlinable
public func domain<T>(_ body: () throws(LexstatError) -> T) throws(RPCError) -> T {
    do {
        return try body()
    } catch {
        throw RPCError(error)
    }
}
