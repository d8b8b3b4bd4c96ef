import XCTest
@testable import LexstatCore

final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(SHA256.hex(Array("".utf8)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testContentHashIgnoresWhiteSpace() {
        XCTAssertEqual(SHA256.contentHash(of: "法律 援助\n案件"), SHA256.contentHash(of: "法律援助案件"))
        XCTAssertNotEqual(SHA256.contentHash(of: "法律援助"), SHA256.contentHash(of: "法律援助案件"))
    }
}
