import LexstatService
import XCTest

/// The TOML subset of lexstatd.toml: what it reads, and the line of every refusal.
final class OpsConfigFileTests: XCTestCase {
    func parse(_ text: String) throws(ConfigError) -> [String: ConfigValue] {
        var out: [String: ConfigValue] = [:]
        for e in try TOMLSubset.parse(Array(text.utf8), source: "t.toml") { out[e.key] = e.value }
        return out
    }

    func error(_ text: String) -> String {
        do {
            _ = try TOMLSubset.parse(Array(text.utf8), source: "t.toml")
            return "no error"
        } catch {
            return error.description
        }
    }

    func testValuesTablesAndComments() throws {
        let v = try parse("""
            # top
            a = "x\\ty \\u00e9" # trailing
            b = 'C:\\path'
            c = 1_000
            d = -7
            e = 0x1F
            f = true
            g = 2.5
            h = [ "p", # one
                  "q", ]
            [limits]
            max = 3
            [x.y]
            "quoted key" = ""
            """)
        XCTAssertEqual(v["a"], .string("x\ty é"))
        XCTAssertEqual(v["b"], .string("C:\\path"))
        XCTAssertEqual(v["c"], .integer(1000))
        XCTAssertEqual(v["d"], .integer(-7))
        XCTAssertEqual(v["e"], .integer(31))
        XCTAssertEqual(v["f"], .bool(true))
        XCTAssertEqual(v["g"], .float(2.5))
        XCTAssertEqual(v["h"], .array([.string("p"), .string("q")]))
        XCTAssertEqual(v["limits.max"], .integer(3))
        XCTAssertEqual(v["x.y.quoted key"], .string(""))
        XCTAssertEqual(try TOMLSubset.parse(Array("\r\n\na = 1\r\n".utf8), source: "t").first?.line, 3)
    }

    func testEveryRefusalNamesItsLine() {
        XCTAssertEqual(error("a = 1\nb = \"open\n"), "t.toml:2: unterminated string: a closing \" is missing")
        XCTAssertEqual(error("a = 1\n\nb = 1 2\n"), "t.toml:3: unexpected text after the value of b: expected the end of the line")
        XCTAssertEqual(error("a = 1\na = 2\n"), "t.toml:2: a is set twice (first on line 1)")
        XCTAssertEqual(error("[t]\n[t]\n"), "t.toml:2: table [t] is defined twice (first on line 1)")
        XCTAssertEqual(error("a = {x = 1}\n"), "t.toml:1: inline tables ({…}) are not supported here; use a [table] header")
        XCTAssertEqual(error("[[a]]\n"), "t.toml:1: arrays of tables ([[…]]) are not supported here")
        XCTAssertEqual(error("a = 1979-05-27\n"), "t.toml:1: dates and times are not supported here; write \"1979-05-27\" as a string")
        XCTAssertEqual(error("a = 012\n"), "t.toml:1: 012 is not a valid number")
        XCTAssertEqual(error("a = 1__0\n"), "t.toml:1: 1__0 is not a valid number")
        XCTAssertEqual(error("a =\n"), "t.toml:1: expected a value after =")
        XCTAssertEqual(error("= 1\n"), "t.toml:1: expected a key, found \"=\"")
        XCTAssertEqual(error("a = \"\\q\"\n"), "t.toml:1: invalid escape \\q in a string")
        XCTAssertEqual(error("a = [1,\n2\n"), "t.toml:3: unterminated array: ] is missing (opened on line 1)")
        XCTAssertEqual(error("ok = 1\na = \u{FF}\n").prefix(10), "t.toml:2: ")
        XCTAssertTrue(error("x = 1\nb = \"\u{1}\"\n").hasPrefix("t.toml:2: control character"))
    }

    func testNonUTF8IsRefusedWithItsLine() {
        var bytes = Array("a = 1\nb = \"".utf8)
        bytes += [0xFF, 0x22, 0x0A]
        do {
            _ = try TOMLSubset.parse(bytes, source: "t.toml")
            XCTFail("invalid UTF-8 accepted")
        } catch {
            XCTAssertEqual(error.description, "t.toml:2: the file is not valid UTF-8")
        }
    }
}
