@testable import LexstatService
import XCTest

final class ResponseCacheTests: XCTestCase {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func answer(_ c: ResponseCache, _ method: Int32, _ body: String, _ g: UInt64) -> String? {
        bytes(body).withUnsafeBytes { c.answer(method: method, body: $0, generation: g) }.map { String(decoding: Array($0), as: UTF8.self) }
    }

    func keep(_ c: ResponseCache, _ method: Int32, _ body: String, _ g: UInt64, _ a: String) {
        bytes(body).withUnsafeBytes { c.keep(method: method, body: $0, generation: g, answer: bytes(a)) }
    }

    func testAnAnswerIsServedAgainForTheSameMethodAndBytesOnly() {
        let c = ResponseCache(budget: 1 << 20)
        XCTAssertNil(answer(c, 1, "req", 7))
        keep(c, 1, "req", 7, "answer")
        XCTAssertEqual(answer(c, 1, "req", 7), "answer")
        XCTAssertNil(answer(c, 2, "req", 7), "another method with the same bytes")
        XCTAssertNil(answer(c, 1, "req2", 7), "other bytes")
        XCTAssertEqual(c.hits, 1)
        XCTAssertEqual(c.misses, 3)
    }

    func testAWriteMakesEveryAnswerStale() {
        let c = ResponseCache(budget: 1 << 20)
        keep(c, 1, "a", 7, "old")
        XCTAssertNil(answer(c, 1, "a", 8), "the data changed since")
        keep(c, 1, "b", 8, "new")
        XCTAssertGreaterThan(c.bytes, 0)
        XCTAssertNil(answer(c, 1, "a", 8), "emptied when the first newer answer arrived")
        keep(c, 1, "a", 7, "late")
        XCTAssertNil(answer(c, 1, "a", 7), "an answer computed on older data is not kept")
        XCTAssertNil(answer(c, 1, "a", 8))
        XCTAssertEqual(answer(c, 1, "b", 8), "new")
    }

    func testMemoryStaysWithinTheBudgetAndOftenAskedAnswersStay() {
        let budget = 64 * 1024
        let c = ResponseCache(budget: budget)
        let answer600 = String(repeating: "x", count: 600)
        keep(c, 1, "hot", 1, answer600)
        for i in 0..<1000 {
            keep(c, 1, "cold-\(i)", 1, answer600)
            if i % 20 == 0 { XCTAssertNotNil(answer(c, 1, "hot", 1), "asked often, kept (round \(i))") }
            XCTAssertLessThanOrEqual(c.bytes, budget)
        }
        XCTAssertNil(answer(c, 1, "cold-0", 1), "asked once long ago, dropped")
        XCTAssertNotNil(answer(c, 1, "cold-999", 1))
    }

    func testLargeAnswersAndAZeroBudgetKeepNothing() {
        let c = ResponseCache(budget: 64 * 1024)
        keep(c, 1, "big", 1, String(repeating: "x", count: 2000))
        XCTAssertNil(answer(c, 1, "big", 1), "over budget/64")
        let off = ResponseCache(budget: 0)
        XCTAssertFalse(off.isEnabled)
        keep(off, 1, "a", 1, "x")
        XCTAssertNil(answer(off, 1, "a", 1))
    }
}
