import Foundation
import LexstatRPC
import LexstatWire

/// What Health reports about the server as a whole.
public protocol HealthSource: Sendable {
    var isServing: Bool { get }
    var version: String { get }
    var startedAt: ContinuousClock.Instant { get }
    /// Stored reports and observations, for the health answer.
    func counts() -> (reports: UInt64, observations: UInt64)
}

extension MethodTableBuilder {
    /// Health (like grpc.health.v1) and ListMethods (like server reflection).
    public mutating func addHealth(_ source: any HealthSource, methods: @escaping @Sendable () -> MethodTable) {
        unary("Health", Lexstat__V1__HealthRequest.self, Lexstat__V1__HealthResponse.self,
              summary: "Whether the server is serving: SERVING, or NOT_SERVING while it drains.") { _, req, arena in
            var r = Lexstat__V1__HealthResponse.make()
            let service = wireString(req.service)
            if !service.isEmpty && service != "lexstat.v1.Lexstat" {
                r.status = LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVICE_UNKNOWN
            } else {
                r.status = source.isServing ? LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVING
                    : LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__NOT_SERVING
            }
            r.version = arena.string(source.version)
            let up = ContinuousClock.now - source.startedAt
            r.uptime_ms = UInt64(max(0, up.components.seconds * 1000 + up.components.attoseconds / 1_000_000_000_000_000))
            let (reports, observations) = source.counts()
            r.reports = reports
            r.observations = observations
            return r
        }
        unary("ListMethods", Lexstat__V1__ListMethodsRequest.self, Lexstat__V1__ListMethodsResponse.self,
              summary: "The methods this server answers, with their message types.") { _, _, arena in
            var r = Lexstat__V1__ListMethodsResponse.make()
            let list = methods().sorted.map { m -> Lexstat__V1__MethodDescriptor in
                var d = Lexstat__V1__MethodDescriptor.make()
                d.name = arena.string(m.name)
                d.request_type = arena.string(m.requestType)
                d.response_type = arena.string(m.responseType)
                d.server_streaming = m.isStreaming ? 1 : 0
                d.writes = m.writes ? 1 : 0
                d.summary = arena.string(m.summary)
                return d
            }
            r.n_methods = list.count
            r.methods = arena.messages(list)
            return r
        }
    }
}
