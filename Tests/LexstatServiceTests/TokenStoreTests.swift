import Foundation
import LexstatCore
import LexstatRPC
import LexstatService
import XCTest

final class TokenStoreTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func file(_ text: String, mode: Int16 = 0o600) throws -> String {
        let p = dir.appendingPathComponent("tokens").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        chmod(p, mode_t(mode))
        return p
    }

    static let writer = "w-0123456789abcdef"
    static let reader = "r-0123456789abcdef"

    func store(readsNeedToken: Bool = false) throws -> TokenStore {
        try TokenStore(path: file("# tokens\nwrite \(TokenStoreTests.writer) ingest-bot\nread \(TokenStoreTests.reader)  # dashboard\n"),
                       readsNeedToken: readsNeedToken)
    }

    func code(_ s: TokenStore, writes: Bool, token: String?) -> StatusCode {
        var md = Metadata()
        if let token { md["authorization"] = "Bearer \(token)" }
        do {
            try s.authorize(method: "lexstat.v1.Lexstat/Ingest", writes: writes, metadata: md)
            return .ok
        } catch {
            return error.code
        }
    }

    func testWritesNeedAWriteToken() throws {
        let s = try store()
        XCTAssertEqual(code(s, writes: true, token: nil), .unauthenticated)
        XCTAssertEqual(code(s, writes: true, token: "nonsense-but-long-enough"), .unauthenticated)
        XCTAssertEqual(code(s, writes: true, token: TokenStoreTests.reader), .permissionDenied)
        XCTAssertEqual(code(s, writes: true, token: TokenStoreTests.writer), .ok)
        XCTAssertEqual(code(s, writes: false, token: nil), .ok, "reads are open by default")
    }

    func testReadsCanNeedATokenToo() throws {
        let s = try store(readsNeedToken: true)
        XCTAssertEqual(code(s, writes: false, token: nil), .unauthenticated)
        XCTAssertEqual(code(s, writes: false, token: TokenStoreTests.reader), .ok)
        XCTAssertEqual(code(s, writes: false, token: TokenStoreTests.writer), .ok)
        // Health stays open: probes ask it without credentials.
        XCTAssertNoThrow(try s.authorize(method: "lexstat.v1.Lexstat/Health", writes: false, metadata: Metadata()))
        XCTAssertThrowsError(try s.authorize(method: "lexstat.v1.Lexstat/ListMethods", writes: false, metadata: Metadata()))
    }

    func testMessagesSayWhatToDo() throws {
        let s = try store()
        XCTAssertThrowsError(try s.authorize(method: "lexstat.v1.Lexstat/Ingest", writes: true, metadata: Metadata())) { e in
            XCTAssertTrue((e as? RPCError)?.message.contains("--token-file") ?? false)
        }
        XCTAssertThrowsError(try s.authorize(method: "m", writes: true, metadata: ["authorization": "Bearer \(TokenStoreTests.reader)"])) { e in
            XCTAssertEqual((e as? RPCError)?.message, "token on line 3 may read but not write; m changes stored data")
        }
        XCTAssertThrowsError(try s.authorize(method: "m", writes: true, metadata: ["authorization": "Basic abc"])) { e in
            XCTAssertEqual((e as? RPCError)?.message, "authorization: expected `Bearer <token>`")
        }
    }

    func testAFileOthersCanReadIsRefused() throws {
        let p = try file("write \(TokenStoreTests.writer)\n", mode: 0o644)
        XCTAssertThrowsError(try TokenStore(path: p)) { e in
            guard case LexstatError.permissionDenied(let m) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("mode 644"), m)
        }
    }

    func testMalformedLinesAndShortTokensAreNamed() throws {
        XCTAssertThrowsError(try TokenStore(path: file("admin \(TokenStoreTests.writer)\n"))) { e in
            XCTAssertTrue("\(e)".hasSuffix(":1: expected `write|read TOKEN [NAME]`"), "\(e)")
        }
        XCTAssertThrowsError(try TokenStore(path: file("\nwrite short\n"))) { e in
            XCTAssertTrue("\(e)".hasSuffix(":2: a token must be at least 16 characters"), "\(e)")
        }
    }

    func testReloadReplacesTokensAndKeepsThemOnError() throws {
        let s = try store()
        _ = try file("write new-token-0123456789\n")
        XCTAssertEqual(try s.reload(), 1)
        XCTAssertEqual(code(s, writes: true, token: TokenStoreTests.writer), .unauthenticated)
        XCTAssertEqual(code(s, writes: true, token: "new-token-0123456789"), .ok)
        _ = try file("garbage line\n")
        XCTAssertThrowsError(try s.reload())
        XCTAssertEqual(code(s, writes: true, token: "new-token-0123456789"), .ok, "a bad reload keeps the tokens in force")
    }
}
