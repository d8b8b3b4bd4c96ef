#!/usr/bin/env bash
# Prints the count of XCTest cases in a `swift test` log as the plain line CI
# reads: "XCTest: N passed, N failed, N skipped". (swift test ends with Swift
# Testing's own summary, which counts only its tests: none here.)
set -uo pipefail
log=$1
count() { grep -cE "^Test Case '[^']+' $1 \(" "$log"; }
p=$(count passed); f=$(count failed); s=$(count skipped)
echo "XCTest: $p passed, $f failed, $s skipped"
