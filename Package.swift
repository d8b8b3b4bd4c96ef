// swift-tools-version:6.0
import Foundation
import PackageDescription

// Layers, bottom up (see README, "Architecture"):
//   LexstatNet (C, libuv)   sockets, framing, limits, timers, back-pressure, drain
//   LexstatWire (C)         protobuf-c code generated from Proto/ by `make proto`
//   LexstatCore (Swift)     model, catalog, regions, store, queries, extraction
//   LexstatRPC (Swift)      status codes, errors, metadata, message coding (server and client)
//   LexstatService (Swift)  method table, decode/encode, errors -> status codes
//   LexstatClient (Swift)   client library: connections, calls, deadlines
//   lexstatd, lexstat       the daemon and the CLI
let package = Package(
    name: "Lexstat",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lexstatd", targets: ["lexstatd"]),
        .executable(name: "lexstat", targets: ["lexstat"]),
        .library(name: "LexstatClient", targets: ["LexstatClient"]),
        // For Bench/GRPCSeries, which serves the same queries over gRPC for `make bench`.
        .library(name: "LexstatCore", targets: ["LexstatCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // TOML assessment schemes (SchemeTOML.swift): a whole TOML 1.0 parser with lines in its errors.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // System libraries (Debian: libuv1-dev, libprotobuf-c-dev, libsqlite3-dev, libssl-dev).
        .systemLibrary(name: "CLibUV", pkgConfig: "libuv", providers: [.apt(["libuv1-dev"])]),
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c", providers: [.apt(["libprotobuf-c-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        .target(name: "LexstatNet", dependencies: ["CLibUV"],
                cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Wno-unused-parameter"])]),
        .target(name: "LexstatWire", dependencies: ["CProtobufC"]),
        .target(name: "LexstatCore", dependencies: ["CSQLite", "CCrypto", .product(name: "TOMLKit", package: "TOMLKit")],
                resources: [.copy("Resources")]),
        .target(name: "LexstatRPC", dependencies: ["LexstatNet", "LexstatWire", "CProtobufC"]),
        .target(name: "LexstatService", dependencies: [
            "LexstatNet", "LexstatWire", "LexstatRPC", "LexstatCore",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "LexstatClient", dependencies: ["LexstatNet", "LexstatWire", "LexstatRPC"]),
        .executableTarget(name: "lexstatd", dependencies: [
            "LexstatService", "LexstatRPC", "LexstatCore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmarks (issue 7, `make bench`): a load generator speaking the wire protocol, and the
        // "ceiling" server (same framing, canned answers, no decoding). C on libuv, never linked into lexstatd.
        .executableTarget(name: "lexstat-load", dependencies: ["LexstatNet", "LexstatWire", "CLibUV", "CProtobufC"],
                          cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Wno-unused-parameter"])]),
        .executableTarget(name: "lexstat-ceiling", dependencies: ["LexstatNet", "CLibUV"],
                          cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Wno-unused-parameter"])]),
        // Offline extraction runner for scoring and benchmarking LexstatCore's extractor.
        .executableTarget(name: "lexstat-extract", dependencies: ["LexstatCore"]),
        .executableTarget(name: "lexstat", dependencies: [
            "LexstatClient", "LexstatRPC", "LexstatWire", "LexstatCore", "LexstatService",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "LexstatNetTests", dependencies: ["LexstatNet"]),
        .testTarget(name: "LexstatCoreTests", dependencies: ["LexstatCore"],
                    exclude: ["Extraction/Fixtures"]),
        .testTarget(name: "LexstatRPCTests", dependencies: ["LexstatRPC", "LexstatWire"]),
        .testTarget(name: "LexstatServiceTests", dependencies: ["LexstatService", "LexstatRPC", "LexstatWire"]),
        .testTarget(name: "LexstatClientTests", dependencies: ["LexstatClient", "LexstatRPC", "LexstatNet"]),
        .testTarget(name: "lexstatdTests", dependencies: ["LexstatClient", "LexstatRPC", "LexstatWire", "LexstatNet"]),
    ]
)

// `make fuzz` builds libFuzzer harnesses of the Swift layers; they exist only
// then (LEXSTAT_FUZZ=1), linked with libFuzzer's no-main library
// (LEXSTAT_FUZZ_LIB), whose driver their entry point calls. The Makefile
// instruments the whole build for coverage and AddressSanitizer.
let env = ProcessInfo.processInfo.environment
if env["LEXSTAT_FUZZ"] == "1", let fuzzLib = env["LEXSTAT_FUZZ_LIB"] {
    package.targets.append(.executableTarget(
        name: "lexstat-fuzz-requests", dependencies: ["LexstatService", "LexstatCore", "LexstatRPC"],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])],
        linkerSettings: [.unsafeFlags([fuzzLib, "-lstdc++"])]))
}
