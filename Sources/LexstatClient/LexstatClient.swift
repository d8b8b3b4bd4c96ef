import Foundation
import LexstatRPC
import LexstatWire

/// A client of the `lexstat.v1.Lexstat` service.
///
/// Typed methods encode the request, call with the client's deadline and
/// metadata, and return the decoded answer.
public struct LexstatClient: Sendable {
    public let connection: Connection
    /// Deadline of each call; nil waits for ever.
    public var timeout: Duration?
    /// Metadata sent with every call (authorization, request-id…).
    public var metadata: Metadata

    public static let service = "lexstat.v1.Lexstat/"

    public init(connection: Connection, timeout: Duration? = .seconds(30), metadata: Metadata = Metadata()) {
        self.connection = connection
        self.timeout = timeout
        self.metadata = metadata
    }

    /// Connects to an address.
    public init(address: ServerAddress, timeout: Duration? = .seconds(30), metadata: Metadata = Metadata()) throws(RPCError) {
        let connectTimeout = timeout.map { min($0, .seconds(5)) } ?? .seconds(5)
        self.init(connection: try Connection(to: address, connectTimeout: connectTimeout), timeout: timeout, metadata: metadata)
    }

    /// Calls a method of lexstat.v1.Lexstat by its short name, e.g. `Health`.
    public func call<Req: WireMessage, Resp: WireMessage>(_ method: String, _ request: Req, returning: Resp.Type)
        async throws(RPCError) -> Decoded<Resp> {
        var md = metadata
        if md["request-id"] == nil { md["request-id"] = UUID().uuidString.lowercased() }
        let full = method.contains("/") ? method : LexstatClient.service + method
        return try await connection.call(full, request, returning: Resp.self, metadata: md, timeout: timeout)
    }

    /// Calls a server-streaming method; `onMessage` receives each decoded message.
    public func stream<Req: WireMessage, Resp: WireMessage>(_ method: String, _ request: Req, returning: Resp.Type,
                                                           onMessage: @escaping @Sendable (Decoded<Resp>) -> Void)
        async throws(RPCError) {
        var md = metadata
        if md["request-id"] == nil { md["request-id"] = UUID().uuidString.lowercased() }
        let full = method.contains("/") ? method : LexstatClient.service + method
        _ = try await connection.call(full, request.encoded(), metadata: md, timeout: timeout) { bytes in
            if let d = try? Resp.decode(bytes) { onMessage(d) }
        }
    }

    /// Health of the server as a whole.
    public func health() async throws(RPCError) -> Decoded<Lexstat__V1__HealthResponse> {
        try await call("Health", Lexstat__V1__HealthRequest.make(), returning: Lexstat__V1__HealthResponse.self)
    }

    /// The methods the server answers.
    public func methods() async throws(RPCError) -> Decoded<Lexstat__V1__ListMethodsResponse> {
        try await call("ListMethods", Lexstat__V1__ListMethodsRequest.make(), returning: Lexstat__V1__ListMethodsResponse.self)
    }
}
