import XCTest
@testable import LexstatCore

/// The radix sort behind rankings, against the standard library's sort.
final class RankOrderTests: XCTestCase {
    /// Best first by value, equal values in their given order (what `sorted` gives with the index as tie-break).
    func reference(_ values: [Double], lowerFirst: Bool) -> [Int] {
        values.indices.sorted { a, b in
            let x = values[a], y = values[b]
            if x.isNaN || y.isNaN { return !x.isNaN && y.isNaN || (x.isNaN && y.isNaN && a < b) }
            if x != y { return lowerFirst ? x < y : x > y }
            return a < b
        }
    }

    func radix(_ values: [Double], lowerFirst: Bool) -> [Int] {
        var keys = values.indices.map { (key: RankOrder.key(values[$0], lowerFirst: lowerFirst), index: UInt32($0)) }
        RankOrder.sort(&keys)
        return keys.map { Int($0.index) }
    }

    func testOrdersLikeSortedBothWays() {
        var rng = SplitMix64(seed: 7)
        let shapes: [(String, () -> Double)] = [
            ("whole counts", { Double(rng.next() % 5000) }),
            ("rates with ties", { Double(rng.next() % 400) / 4 }),
            ("signed changes", { (Double(rng.next() % 20001) - 10000) / 10 }),
            ("any magnitude", { Double(bitPattern: rng.next() & ~(0x7FF << 52) | (UInt64(rng.next() % 80 + 990) << 52)) * (rng.next() % 2 == 0 ? 1 : -1) }),
        ]
        for (name, make) in shapes {
            for n in [0, 1, 2, 3, 17, 300, 2850] {
                let values = (0..<n).map { _ in make() }
                for lowerFirst in [false, true] {
                    XCTAssertEqual(radix(values, lowerFirst: lowerFirst), reference(values, lowerFirst: lowerFirst),
                                   "\(name), \(n) values, lowerFirst \(lowerFirst)")
                }
            }
        }
    }

    func testZeroesTieAndNaNGoesLast() {
        let values: [Double] = [0, -0.0, .nan, -1, .infinity, 1, -.infinity, 0]
        XCTAssertEqual(radix(values, lowerFirst: false), [4, 5, 0, 1, 7, 3, 6, 2])
        XCTAssertEqual(radix(values, lowerFirst: true), [6, 3, 0, 1, 7, 5, 4, 2])
    }

    func testEveryByteAlikeLeavesTheOrder() {
        XCTAssertEqual(radix([5, 5, 5, 5], lowerFirst: true), [0, 1, 2, 3])
    }
}
