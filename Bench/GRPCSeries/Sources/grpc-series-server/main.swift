// grpc-series-server: Lexstat's GetSeries over gRPC (grpc-swift-2, HTTP/2 on
// SwiftNIO), for the side-by-side figures of `make bench`.
//
//   grpc-series-server --db FILE [--port 7434]
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LexstatCore

var db = "var/bench/synthetic.db"
var port = 7434
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--db": db = args.popFirst() ?? db
    case "--port": port = Int(args.popFirst() ?? "") ?? port
    default:
        FileHandle.standardError.write(Data("usage: grpc-series-server --db FILE [--port N]\n".utf8))
        exit(2)
    }
}
let store = try LexstatStore(path: db)
let server = GRPCServer(
    transport: .http2NIOPosix(address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext),
    services: [SeriesService(store: store)])
try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await server.serve() }
    if let address = try await server.listeningAddress {
        FileHandle.standardError.write(Data("grpc-series-server: listening on \(address)\n".utf8))
    }
}
