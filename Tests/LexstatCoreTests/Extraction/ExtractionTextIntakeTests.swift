import XCTest
@testable import LexstatCore

final class ExtractionTextIntakeTests: XCTestCase {
    /// 受理复议案件158件，同比下降5%。 in GB18030.
    static let gbBytes: [UInt8] = [0xCA, 0xDC, 0xC0, 0xED, 0xB8, 0xB4, 0xD2, 0xE9, 0xB0, 0xB8, 0xBC, 0xFE, 0x31, 0x35, 0x38,
                                   0xBC, 0xFE, 0xA3, 0xAC, 0xCD, 0xAC, 0xB1, 0xC8, 0xCF, 0xC2, 0xBD, 0xB5, 0x35, 0x25, 0xA1, 0xA3]

    func testReadsGB18030AndSaysSo() throws {
        let r = try TestCatalog.extractor.extract(data: Data(Self.gbBytes), name: "gb.txt", region: "", year: 2023)
        XCTAssertEqual(r.encoding, .gb18030)
        XCTAssertEqual(r.text, "受理复议案件158件，同比下降5%。")
        XCTAssertTrue(r.notes.contains { $0.contains("GB18030") })
        XCTAssertEqual(r.mentions.map(\.numberText), ["158件", "5%"])
        XCTAssertEqual(r.mentions.map(\.start), [6, 15])
    }

    func testReadsUTF8WithAndWithoutBOM() throws {
        let body = Array("受理案件3件。".utf8)
        let plain = try TextIntake.decode(Data(body), name: "a", maxBytes: 1000)
        XCTAssertEqual(plain.encoding, .utf8)
        let bom = try TextIntake.decode(Data([0xEF, 0xBB, 0xBF] + body), name: "a", maxBytes: 1000)
        XCTAssertEqual(bom.text, "\u{FEFF}受理案件3件。")
        XCTAssertTrue(bom.notes.contains { $0.contains("byte-order mark") })
    }

    func assertRefused(_ data: Data, maxBytes: Int = 1000, mentioning word: String, file: StaticString = #filePath, line: UInt = #line) {
        let x = Extractor(indicators: [], maxBytes: maxBytes)
        XCTAssertThrowsError(try x.extract(data: data, name: "r.txt", region: "", year: nil), file: file, line: line) { e in
            guard case LexstatError.invalidArgument(let m) = e else { return XCTFail("\(e)", file: file, line: line) }
            XCTAssertTrue(m.contains(word), m, file: file, line: line)
            XCTAssertTrue(m.contains("r.txt"), m, file: file, line: line)
        }
    }

    func testRefusesEmptyFile() {
        assertRefused(Data(), mentioning: "empty")
    }

    func testRefusesBlankFile() {
        assertRefused(Data("  \n\t \n".utf8), mentioning: "no text")
    }

    func testRefusesBinaryData() {
        assertRefused(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]), mentioning: "binary")
    }

    func testRefusesBytesThatAreNoText() {
        assertRefused(Data([0xFF, 0xFF, 0xFF, 0x80, 0xFF]), mentioning: "neither")
    }

    func testRefusesFileOverTheLimit() {
        assertRefused(Data(repeating: 0x41, count: 2001), maxBytes: 2000, mentioning: "limit")
        XCTAssertEqual(Extractor.defaultMaxBytes, 8 * 1024 * 1024)
    }

    func testSkipsPageFurniture() {
        let text = """
        首页 政务公开 办事服务 互动交流
        当前位置：首页 > 工作动态
        字号：大 中 小
        浏览次数：356
        日期：2024-02-01
        索引号 | 11500000/2024-00012 | 分类 | 总结 |
        今年办理法律援助案件321件。
        【打印】【关闭】返回顶部
        """
        let r = TestCatalog.extractor.extract(text: text, region: "", year: 2023)
        XCTAssertEqual(r.mentions.map(\.numberText), ["321件"])
        XCTAssertFalse(r.furniture.isEmpty)
        XCTAssertFalse(r.cleanedText.contains("返回顶部"))
        XCTAssertTrue(r.cleanedText.contains("今年办理法律援助案件321件。"))
        // Spans index the original text.
        let m = r.mentions[0]
        let u = Array(text.unicodeScalars)
        XCTAssertEqual(String(String.UnicodeScalarView(u[m.start..<m.end])), "321件")
    }

    func testDoubledPageYieldsEachMentionOnce() {
        let page = """
        本局全年化解矛盾纠纷2100件，调解成功率98.5%。
        培训干部450人次，开展普法活动60场。
        """
        let r = TestCatalog.extractor.extract(text: page + "\n" + page, region: "", year: 2023)
        XCTAssertEqual(r.mentions.map(\.numberText), ["2100件", "98.5%", "450人次", "60场"])
        XCTAssertFalse(r.repeated.isEmpty)
        XCTAssertTrue(r.notes.contains { $0.contains("repeated") })
        XCTAssertTrue(r.mentions.allSatisfy { $0.end <= page.unicodeScalars.count })
    }

    func testGuessesTheYearAndSaysSo() {
        let r = TestCatalog.extractor.extract(text: "某局2022年法治政府建设情况报告\n全年办理案件9件。", region: "", year: nil)
        XCTAssertEqual(r.year, 2022)
        XCTAssertFalse(r.yearWasGiven)
        XCTAssertEqual(r.mentions.first?.period, .year(2022))
        XCTAssertTrue(r.notes.contains { $0.contains("2022") })
    }
    func testDoubledPageWithOtherLineBreaksYieldsEachMentionOnce() {
        let page = "本局全年化解矛盾纠纷2100件，调解成功率98.5%。\n培训干部450人次，开展普法活动60场，群众反响良好。\n"
        let again = page.replacingOccurrences(of: "\n", with: "")
        let r = TestCatalog.extractor.extract(text: page + again, region: "", year: 2023)
        XCTAssertEqual(r.mentions.map(\.numberText), ["2100件", "98.5%", "450人次", "60场"])
    }
    func testTablesOfFiguresAreNotFurniture() {
        let text = "指标 | 数值 | 单位\n受理复议申请 | 158件 | 件\n"
        XCTAssertEqual(TestCatalog.numbers(text), ["158件"])
    }
    func testLongMetadataLineIsFurniture() {
        let text = "发布时间：2024-01-01 09:30  来源：县司法局办公室  作者：综合科  浏览次数：356次  【字体：大 中 小】\n受理复议申请9件。\n"
        XCTAssertEqual(TestCatalog.numbers(text), ["9件"])
    }
    func testRefusesBytesThatOnlyDecodeAsGB18030Noise() {
        // Four-byte GB18030 sequences for rare symbols: valid, but not report text.
        let noise: [UInt8] = [0x81, 0x30, 0x89, 0x38, 0x81, 0x31, 0x82, 0x30, 0x81, 0x32, 0x83, 0x31, 0x81, 0x33, 0x84, 0x32]
        assertRefused(Data(noise), mentioning: "binary")
    }
    func testCRLFIsReadAsLF() throws {
        let r = try TestCatalog.extractor.extract(data: Data("标题\r\n受理复议申请7件。\r\n".utf8), name: "crlf.txt", region: "", year: 2023)
        XCTAssertEqual(r.text, "标题\n受理复议申请7件。\n")
        XCTAssertEqual(r.mentions.first?.start, 9)
    }
}
