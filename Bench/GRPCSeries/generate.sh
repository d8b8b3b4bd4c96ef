#!/bin/sh
# Regenerates Sources/SeriesProto/Generated from Proto/series.proto with the
# plugins built from this package's own dependencies, and protoc from Debian's
# protobuf-compiler. Run from Bench/GRPCSeries.
set -e
swift build -c release --product protoc-gen-swift
swift build -c release --product protoc-gen-grpc-swift-2
B=.build/release
protoc --plugin=protoc-gen-swift=$B/protoc-gen-swift --plugin=protoc-gen-grpc-swift-2=$B/protoc-gen-grpc-swift-2 -IProto \
  --swift_out=Visibility=Public:Sources/SeriesProto/Generated \
  --grpc-swift-2_out=Visibility=Public,Client=true,Server=true:Sources/SeriesProto/Generated Proto/series.proto
