import Foundation
import XCTest
@testable import LexstatCore

/// Scores the extractor on reports written for this test in styles the corpus
/// lacks (a provincial annual report, a city's quarterly bulletin in GB18030,
/// a county's highlights, a conference news page with menus saved twice, a
/// district summary with a plan in CRLF lines, a half-year summary), against
/// gold annotated by hand as corpus/ANNOTATION.md says (`Fixtures/*.gold.jsonl`,
/// the scorer's format).
///
/// A prediction is right when it has the number text of a gold mention at the
/// same place and the same value, unit, bound, kind and period. The floor guards
/// the rules' generality: the corpus alone cannot, as its rules were read off it.
final class ExtractionFixtureTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Gold {
        var start: Int
        var numberText: String
        var value: Double
        var unit: String
        var bound: String
        var kind: String
        var period: String
    }

    struct Score {
        var gold = 0, predicted = 0, matched = 0, correct = 0
        var precision: Double { predicted == 0 ? 0 : Double(correct) / Double(predicted) }
        var recall: Double { gold == 0 ? 0 : Double(correct) / Double(gold) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        static func + (a: Score, b: Score) -> Score {
            Score(gold: a.gold + b.gold, predicted: a.predicted + b.predicted, matched: a.matched + b.matched,
                  correct: a.correct + b.correct)
        }
    }

    /// Gold mentions placed in the decoded text as the scorer places them: the
    /// n-th row with a quote takes the quote's n-th occurrence.
    static func gold(_ url: URL, text: String) throws -> [Gold] {
        let u = Array(text.unicodeScalars)
        var seen: [String: Int] = [:]
        var out: [Gold] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.isEmpty {
            let row = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let quote = Array((row["quote"] as? String ?? "").unicodeScalars)
            let number = row["number_text"] as? String ?? ""
            let q = String(String.UnicodeScalarView(quote))
            var pos = -1
            for _ in 0...(seen[q] ?? 0) {
                guard let p = find(quote, in: u, from: pos + 1) else { pos = -1; break }
                pos = p
            }
            if pos < 0 { pos = try XCTUnwrap(find(quote, in: u, from: 0), "quote not in text: \(q)") }
            seen[q, default: 0] += 1
            let off = try XCTUnwrap(find(Array(number.unicodeScalars), in: quote, from: 0), "\(number) not in \(q)")
            out.append(Gold(start: pos + off, numberText: number, value: (row["value"] as? NSNumber)?.doubleValue ?? .nan,
                            unit: row["unit"] as? String ?? "", bound: row["bound"] as? String ?? "",
                            kind: row["kind"] as? String ?? "", period: row["period"] as? String ?? ""))
        }
        return out
    }

    static func find(_ needle: [Unicode.Scalar], in hay: [Unicode.Scalar], from: Int) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, from <= hay.count - needle.count else { return nil }
        for i in from...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    static func score(_ doc: String, failures: inout [String]) throws -> Score {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(doc + ".txt"))
        let extractor = Extractor(indicators: try IndicatorTSV.bundled())
        let r = try extractor.extract(data: data, name: doc + ".txt", region: "", year: nil)
        let gold = try gold(fixtures.appendingPathComponent(doc + ".gold.jsonl"), text: r.text)
        var s = Score(gold: gold.count, predicted: r.mentions.count)
        var used = Set<Int>()
        for m in r.mentions {
            guard let gi = gold.indices.first(where: { !used.contains($0) && gold[$0].start == m.start
                && gold[$0].numberText == m.numberText }) else {
                failures.append("\(doc): extra \(m.numberText) at \(m.start) in \(m.quote)")
                continue
            }
            used.insert(gi)
            s.matched += 1
            let g = gold[gi]
            var wrong: [String] = []
            if abs(g.value - m.value) > 1e-6 * max(1, abs(g.value)) { wrong.append("value \(m.value) ≠ \(g.value)") }
            if g.unit != m.unit { wrong.append("unit \(m.unit) ≠ \(g.unit)") }
            if g.bound != m.bound.rawValue { wrong.append("bound \(m.bound.rawValue) ≠ \(g.bound)") }
            if g.kind != m.kind.rawValue { wrong.append("kind \(m.kind.rawValue) ≠ \(g.kind)") }
            if g.period != (m.period?.text ?? "") { wrong.append("period \(m.period?.text ?? "") ≠ \(g.period)") }
            if wrong.isEmpty { s.correct += 1 } else { failures.append("\(doc): \(m.numberText): " + wrong.joined(separator: ", ")) }
        }
        for (i, g) in gold.enumerated() where !used.contains(i) {
            failures.append("\(doc): missed \(g.numberText) at \(g.start)")
        }
        return s
    }

    static var documents: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.filter { $0.hasSuffix(".gold.jsonl") }.map { String($0.dropLast(".gold.jsonl".count)) }.sorted()
    }

    func testFixturesScoreAboveTheFloor() throws {
        let docs = Self.documents
        XCTAssertGreaterThanOrEqual(docs.count, 5, "fixtures not found under \(Self.fixtures.path)")
        var total = Score()
        var failures: [String] = []
        for doc in docs {
            let s = try Self.score(doc, failures: &failures)
            print(String(format: "%@: gold %d predicted %d matched %d correct %d F1 %.3f", doc, s.gold, s.predicted,
                         s.matched, s.correct, s.f1))
            XCTAssertGreaterThanOrEqual(s.f1, 0.8, "\(doc): F1 \(s.f1)")
            total = total + s
        }
        for f in failures { print("  " + f) }
        print(String(format: "overall: gold %d predicted %d correct %d F1 %.3f", total.gold, total.predicted, total.correct, total.f1))
        XCTAssertGreaterThanOrEqual(total.f1, 0.9, failures.joined(separator: "\n"))
    }

    /// The GB18030 bulletin is read as GB18030, and the page saved twice yields each figure once.
    func testEncodingAndRepeatedPage() throws {
        let extractor = Extractor(indicators: try IndicatorTSV.bundled())
        let gb = try Data(contentsOf: Self.fixtures.appendingPathComponent("f2_city_quarterly.txt"))
        XCTAssertNil(String(data: gb, encoding: .utf8), "the fixture must stay GB18030")
        XCTAssertEqual(try extractor.extract(data: gb, name: "f2", region: "", year: nil).encoding, .gb18030)
        let page = try Data(contentsOf: Self.fixtures.appendingPathComponent("f4_conference_news.txt"))
        let r = try extractor.extract(data: page, name: "f4", region: "", year: nil)
        let texts = r.mentions.map(\.numberText)
        XCTAssertEqual(texts.count, Set(texts).count, texts.joined(separator: " "))
        XCTAssertFalse(texts.contains("1582"), "page furniture is not read")
    }
}
