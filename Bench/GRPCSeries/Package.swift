// swift-tools-version:6.0
import PackageDescription

// The gRPC side of `make bench`: Lexstat's GetSeries served by grpc-swift-2 over
// HTTP/2 (grpc-swift-nio-transport), over the same synthetic data and the same
// LexstatCore query. Not part of the product build or CI (it takes ~8 minutes to
// build clean). The swift-protobuf and grpc code under Generated/ is generated once
// from Proto/series.proto by `sh generate.sh` and committed.
let package = Package(
    name: "GRPCSeries",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", exact: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(name: "Lexstat", path: "../.."),
    ],
    targets: [
        .target(name: "SeriesProto", dependencies: [
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        .executableTarget(name: "grpc-series-server", dependencies: [
            "SeriesProto",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            .product(name: "LexstatCore", package: "Lexstat"),
        ]),
        .executableTarget(name: "grpc-series-client", dependencies: [
            "SeriesProto",
            .product(name: "GRPCCore", package: "grpc-swift-2"),
            .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
        ]),
    ]
)
