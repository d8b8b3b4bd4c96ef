import XCTest
@testable import LexstatCore

final class ExtractionNumberReaderTests: XCTestCase {
    struct Case {
        let text: String
        let value: Double
        let unit: String
        let bound: Bound
        /// The number text expected, when it differs from `text`.
        let numberText: String?
        init(_ text: String, _ value: Double, _ unit: String, _ bound: Bound = .exact, numberText: String? = nil) {
            self.text = text
            self.value = value
            self.unit = unit
            self.bound = bound
            self.numberText = numberText
        }
    }

    static let cases: [Case] = [
        // Arabic numerals, units
        Case("158件", 158, "件"),
        Case("525件次", 525, "件次"),
        Case("850人次", 850, "人次"),
        Case("4066人", 4066, "人"),
        Case("7名", 7, "名"),
        Case("52次", 52, "次"),
        Case("18家", 18, "家"),
        Case("36场", 36, "场"),
        Case("120场次", 120, "场次"),
        Case("29期", 29, "期"),
        Case("21份", 21, "份"),
        Case("14条", 14, "条"),
        Case("476项", 476, "项"),
        Case("12篇", 12, "篇"),
        Case("47户", 47, "户"),
        Case("6类", 6, "类"),
        Case("3部", 3, "部"),
        Case("15起", 15, "起"),
        Case("2张", 2, "张"),
        Case("4所", 4, "所"),
        Case("9批", 9, "批"),
        Case("0件", 0, "件"),
        // decimals, separators, full-width digits
        Case("3,456件", 3456, "件"),
        Case("1,234,567元", 1_234_567, "元"),
        Case("１２３件", 123, "件"),
        Case("１２．５％", 12.5, "%"),
        Case("99.96%", 99.96, "%"),
        Case("92.6％", 92.6, "%"),
        // mixed forms and money
        Case("1.3万", 13_000, ""),
        Case("20万件", 200_000, "件"),
        Case("1.16万件", 11_600, "件"),
        Case("1.3万余人次", 13_000, "人次", .atLeast),
        Case("70万余人次", 700_000, "人次", .atLeast),
        Case("130余万次", 1_300_000, "次", .atLeast),
        Case("9000余万元", 90_000_000, "元", .atLeast),
        Case("400余万元", 4_000_000, "元", .atLeast),
        Case("1546.5万元", 15_465_000, "元"),
        Case("5000万元", 50_000_000, "元"),
        Case("1.03亿元", 103_000_000, "元"),
        Case("234.6亿元", 23_460_000_000, "元"),
        Case("3.5亿余元", 350_000_000, "元", .atLeast),
        Case("3千余人", 3000, "人", .atLeast),
        Case("860元", 860, "元"),
        // Chinese numerals
        Case("十期", 10, "期"),
        Case("两期", 2, "期"),
        Case("三个", 3, "个"),
        Case("八大", 8, "个"),
        Case("十余家", 10, "家", .atLeast),
        Case("三十多人", 30, "人", .atLeast),
        Case("一百零五件", 105, "件"),
        Case("三百五十名", 350, "名"),
        Case("两千余件", 2000, "件", .atLeast),
        Case("一万二千人", 12_000, "人"),
        Case("四十二场", 42, "场"),
        // percent and percentage points
        Case("百分之九十五", 95, "%"),
        Case("百分之百", 100, "%"),
        Case("百分之九十九点五", 99.5, "%"),
        Case("2.16个百分点", 2.16, "pp"),
        Case("24个百分点", 24, "pp"),
        Case("约10个百分点", 10, "pp", .approx),
        // bound words
        Case("超5.4亿元", 540_000_000, "元", .atLeast),
        Case("近3.92亿元", 392_000_000, "元", .approx),
        Case("逾1万人次", 10_000, "人次", .atLeast),
        Case("突破100人", 100, "人", .atLeast),
        Case("超过200件", 200, "件", .atLeast),
        Case("不少于50场", 50, "场", .atLeast),
        Case("至少8个", 8, "个", .atLeast),
        Case("30家以上", 30, "家", .atLeast),
        Case("1万人次以上", 10_000, "人次", .atLeast),
        Case("30多个", 30, "个", .atLeast),
        Case("100人以下", 100, "人", .atMost),
        Case("5%以内", 5, "%", .atMost),
        Case("不超过3次", 3, "次", .atMost),
        Case("不到20人", 20, "人", .atMost),
        Case("10个左右", 10, "个", .approx),
        Case("大约300份", 300, "份", .approx),
        Case("约2000人", 2000, "人", .approx),
        Case("大于1", 1, "", .atLeast),
        Case("约二点六万人次", 26_000, "人次", .approx),
        Case("三点二亿元", 320_000_000, "元", .exact),
        Case("一点五万余件", 15_000, "件", .atLeast),
    ]

    func testReadsEveryForm() {
        let reader = NumberReader()
        XCTAssertGreaterThanOrEqual(Self.cases.count, 60)
        for c in Self.cases {
            guard let t = reader.first(in: c.text) else { XCTFail("no number in \(c.text)"); continue }
            XCTAssertEqual(t.value, c.value, accuracy: max(1e-9, abs(c.value) * 1e-9), c.text)
            XCTAssertEqual(t.unit, c.unit, c.text)
            XCTAssertEqual(t.bound, c.bound, c.text)
            let scalars = Array(c.text.unicodeScalars)
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[t.start..<t.end])
            XCTAssertEqual(String(s), c.numberText ?? c.text, "number text of \(c.text)")
        }
    }

    func testSpansAreCodePointsWithinLongerText() {
        let reader = NumberReader()
        let text = "全年办结案件1.3万余人次。"
        let t = reader.first(in: text)
        XCTAssertEqual(t?.start, 6)
        XCTAssertEqual(t?.end, 13)
    }

    func testMarksTimeAndOrderWordsAsNoFigure() {
        let reader = NumberReader()
        for s in ["2023年", "3个月", "15分钟", "27周年", "18周岁", "10个工作日", "3届", "二级"] {
            XCTAssertEqual(reader.first(in: s)?.role, .notAFigure, s)
        }
    }

    func testUnitCharacterStartingANounIsNoUnit() {
        let reader = NumberReader()
        XCTAssertEqual(reader.first(in: "12部门")?.unit, "")
        XCTAssertEqual(reader.first(in: "5项目")?.unit, "")
    }

    func testRefusesMalformedChineseRuns() {
        let reader = NumberReader()
        XCTAssertNil(reader.read(Scalars.of("二〇二三年"), at: 0))
        XCTAssertNil(reader.read(Scalars.of("十四五"), at: 0))
        XCTAssertNil(reader.read(Scalars.of("一一对应"), at: 0))
    }

    func testChineseNumeralValues() {
        func v(_ s: String) -> Double? { ChineseNumerals.value(Scalars.of(s), 0..<s.unicodeScalars.count) }
        XCTAssertEqual(v("十"), 10)
        XCTAssertEqual(v("十二"), 12)
        XCTAssertEqual(v("二十"), 20)
        XCTAssertEqual(v("一千零一"), 1001)
        XCTAssertEqual(v("三亿五千万"), 350_000_000)
        XCTAssertEqual(v("两万"), 20_000)
        XCTAssertEqual(v("零"), 0)
        XCTAssertNil(v("十百"))
    }
}
