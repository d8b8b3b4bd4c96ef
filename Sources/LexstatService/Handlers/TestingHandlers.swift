import Foundation
import LexstatRPC
import LexstatWire

/// Methods for exercising the transport (`lexstatd --test-methods` only):
/// `lexstat.testing.v1.Testing/Sleep` waits on a worker for the milliseconds
/// given in `HealthRequest.service` (a number) and answers like Health,
/// stopping early when the client is gone; `Echo` answers inline with an
/// empty health answer.
extension MethodTableBuilder {
    public static let testingPrefix = "lexstat.testing.v1.Testing/"

    public mutating func addTesting() {
        unary(MethodTableBuilder.testingPrefix + "Sleep", Lexstat__V1__HealthRequest.self, Lexstat__V1__HealthResponse.self,
              execution: .worker, summary: "Testing: sleeps for the milliseconds given in `service`.") { (ctx, req, _) throws(RPCError) in
            guard let ms = Int(wireString(req.service)), (0...600_000).contains(ms) else {
                throw RPCError(.invalidArgument, "service: a number of milliseconds 0…600000")
            }
            let end = ContinuousClock.now + .milliseconds(ms)
            while ContinuousClock.now < end {
                try ctx.checkCancelled()
                Thread.sleep(forTimeInterval: 0.001)
            }
            var r = Lexstat__V1__HealthResponse.make()
            r.status = LEXSTAT__V1__HEALTH_RESPONSE__SERVING_STATUS__SERVING
            return r
        }
        unary(MethodTableBuilder.testingPrefix + "Echo", Lexstat__V1__HealthRequest.self, Lexstat__V1__HealthRequest.self,
              summary: "Testing: answers with the request.") { _, req, _ in req }
    }
}
