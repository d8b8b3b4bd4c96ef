// grpc-series-client: checks the gRPC GetSeries server answers real figures,
// and writes the gRPC-framed request body h2load sends (`--h2load-body FILE`).
//
//   grpc-series-client [--port 7434] --indicator CODE --region CODE [--h2load-body FILE]
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import SeriesProto
import SwiftProtobuf

var port = 7434
var indicator = "", region = ""
var bodyFile: String?
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--port": port = Int(args.popFirst() ?? "") ?? port
    case "--indicator": indicator = args.popFirst() ?? ""
    case "--region": region = args.popFirst() ?? ""
    case "--h2load-body": bodyFile = args.popFirst()
    default:
        FileHandle.standardError.write(Data("usage: grpc-series-client [--port N] --indicator CODE --region CODE [--h2load-body FILE]\n".utf8))
        exit(2)
    }
}
var request = Lexstat_V1_GetSeriesRequest()
request.indicator = indicator
request.region = region
if let bodyFile {
    // gRPC length-prefixed message: flag 0 (not compressed), u32 big-endian length, message.
    let msg: [UInt8] = try request.serializedBytes()
    let n = UInt32(msg.count)
    let framed = [0, UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)] + msg
    try Data(framed).write(to: URL(fileURLWithPath: bodyFile))
}
try await withGRPCClient(transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)) { client in
    let lexstat = Lexstat_V1_Lexstat.Client(wrapping: client)
    let reply = try await lexstat.getSeries(request)
    let size = (try reply.serializedBytes() as [UInt8]).count
    let valued = reply.points.filter(\.hasValue_p).count
    print("{\"points\": \(reply.points.count), \"with_value\": \(valued), \"reply_bytes\": \(size), \"indicator\": \"\(reply.indicator.code)\", \"region\": \"\(reply.region.code)\"}")
}
