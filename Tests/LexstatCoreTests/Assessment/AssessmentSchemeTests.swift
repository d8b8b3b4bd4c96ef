import Foundation
import XCTest
@testable import LexstatCore

/// Every invalid scheme is refused with the file, the field (a JSON path) and the reason.
final class AssessmentSchemeTests: XCTestCase {
    typealias F = AssessmentFixture

    func testParsesTheFixtureScheme() throws {
        let s = try F.scheme()
        XCTAssertEqual(s.name, "fixture")
        XCTAssertEqual(s.components.map(\.name), ["平时", "年度"])
        XCTAssertEqual(s.indicators.map(\.indicator.code), [F.a.code, F.b.code, F.c.code])
        XCTAssertEqual(s.indicators[1].polarity, .lowerIsBetter, "polarity from the catalog")
        XCTAssertEqual(s.missing, .reweight(minCoverage: 0.5))
        XCTAssertEqual(s.components[1].path, "components[1]")
    }

    func testRefusesANonPositiveWeightAtItsPath() {
        let json = F.schemeJSON().replacingOccurrences(of: #""weight": 0.5},"#, with: #""weight": -0.5},"#)
        let m = F.refusal(json)
        XCTAssertTrue(m.hasPrefix("scheme bad.json: "), m)
        XCTAssertTrue(m.contains("components[1].indicators[0].weight: -0.5 is not positive"), m)
    }

    func testRefusesWeightsThatDoNotAddUp() {
        let json = F.schemeJSON().replacingOccurrences(of: #""name": "年度", "weight": 0.6"#, with: #""name": "年度", "weight": 0.5"#)
        XCTAssertTrue(F.refusal(json).contains("components: weights add up to 0.9; they must add up to 1 (or 100, as percentages)"),
                      F.refusal(json))
        let pct = #"{"components": [{"name": "a", "weight": 40, "indicators": [{"indicator": "service.legal_aid_cases", "weight": 100}]}, {"name": "b", "weight": 60, "indicators": [{"indicator": "litig.loss_rate", "weight": 100}]}]}"#
        XCTAssertNoThrow(try F.scheme(pct), "percentages adding to 100 are fine")
    }

    func testRefusesAnUnknownIndicatorWithASuggestion() {
        let json = F.schemeJSON().replacingOccurrences(of: "litig.loss_rate", with: "litig.loss_rat")
        let m = F.refusal(json)
        XCTAssertTrue(m.contains(#"components[1].indicators[0].indicator: "litig.loss_rat" is not in the catalog (did you mean: litig.loss_rate?)"#), m)
    }

    func testRefusesAMisspeltField() {
        let json = F.schemeJSON().replacingOccurrences(of: #"{"name": "平时", "weight": 0.4"#, with: #"{"name": "平时", "weigth": 0.4"#)
        let m = F.refusal(json)
        XCTAssertTrue(m.contains("components[0].weigth: unknown field; expected one of name, weight, indicators, description"), m)
        XCTAssertTrue(m.contains("components[0].weight: required"), m)
    }

    func testRefusesANeutralIndicatorWithoutAPolarity() {
        let json = #"{"components": [{"name": "a", "weight": 1, "indicators": [{"indicator": "行政复议受理案件数", "weight": 1}]}]}"#
        let m = F.refusal(json)
        XCTAssertTrue(m.contains("components[0].indicators[0].indicator: review.cases_received (行政复议受理案件数) is neutral in the catalog"), m)
        let ok = json.replacingOccurrences(of: #""weight": 1}]}]"#, with: #""weight": 1, "polarity": "higher"}]}]"#)
        XCTAssertEqual(try F.scheme(ok).indicators.first?.polarity, .higherIsBetter)
    }

    func testRefusesTargetProblems() {
        XCTAssertTrue(F.refusal(F.schemeJSON(extraB: #", "normalisation": "target""#))
            .contains("components[1].indicators[0].target: required with normalisation target"))
        XCTAssertTrue(F.refusal(F.schemeJSON(extraB: #", "target": 3"#))
            .contains("components[1].indicators[0].target: only with normalisation target (this indicator uses minmax)"))
        XCTAssertTrue(F.refusal(F.schemeJSON(extraB: #", "normalisation": "ranking""#))
            .contains(#"components[1].indicators[0].normalisation: "ranking" is not one of minmax, zscore, rank, target"#))
    }

    func testRefusesBadMissingRulesTypesAndStructure() {
        XCTAssertTrue(F.refusal(F.schemeJSON(missing: #"{"rule": "skip"}"#)).contains(#"missing.rule: "skip" is not one of reweight, zero, exclude"#))
        XCTAssertTrue(F.refusal(F.schemeJSON(missing: #"{"rule": "reweight", "min_coverage": 1.5}"#)).contains("missing.min_coverage: 1.5 is outside 0…1"))
        XCTAssertTrue(F.refusal(F.schemeJSON(missing: #"{"rule": "zero", "min_coverage": 0.5}"#)).contains("missing.min_coverage: only with rule reweight"))
        XCTAssertTrue(F.refusal(F.schemeJSON().replacingOccurrences(of: #""weight": 0.4"#, with: #""weight": "0.4""#))
            .contains("components[0].weight: expected a number, found a string"))
        XCTAssertTrue(F.refusal(#"{"components": []}"#).contains("components: empty"))
        XCTAssertTrue(F.refusal(#"{"title": "x"}"#).contains("components: required"))
        XCTAssertTrue(F.refusal(#"{"components": [{"indicator": "litig.loss_rate", "weight": 1}]}"#)
            .contains("components[0]: a component is a named group of indicators"))
        let twice = #"{"components": [{"name": "a", "weight": 1, "indicators": [{"indicator": "litig.loss_rate", "weight": 0.5}, {"indicator": "行政诉讼败诉率", "weight": 0.5}]}]}"#
        XCTAssertTrue(F.refusal(twice).contains("components[0].indicators[1].indicator: litig.loss_rate appears twice (also at components[0].indicators[0].indicator)"))
        let m = F.refusal("{\"components\": [", file: "broken.json")
        XCTAssertTrue(m.hasPrefix("scheme broken.json: not valid JSON"), m)
        XCTAssertTrue(F.refusal(#"{"peer_group": {"level": "town"}, "components": []}"#).contains(#"peer_group.level: "town" is not one of province, city, county"#))
    }

    /// Several faults are all reported at once, each with its path.
    func testReportsEveryProblem() {
        let json = #"{"components": [{"name": "a", "weight": 0, "indicators": [{"indicator": "nope", "weight": 1}]}]}"#
        let m = F.refusal(json)
        XCTAssertTrue(m.contains("components[0].weight: 0.0 is not positive"), m)
        XCTAssertTrue(m.contains(#"components[0].indicators[0].indicator: "nope" is not in the catalog"#), m)
    }

    /// The shipped examples validate against the bundled catalog, and the library finds them by name.
    func testShippedSchemesValidate() throws {
        let catalog = try IndicatorTSV.parse(ReferenceData.text(named: "indicators.tsv"))
        let lib = try SchemeLibrary.bundled()
        XCTAssertEqual(lib.names(), ["chengdu-districts", "chengdu-districts-toml", "chongqing-districts"])
        for n in lib.names() {
            let s = try lib.load(n, catalog: catalog)
            XCTAssertEqual(s.name, n)
            XCTAssertFalse(s.indicators.isEmpty)
        }
        XCTAssertThrowsError(try lib.load("nothing-here", catalog: catalog)) { e in
            XCTAssertTrue("\(e)".contains("no nothing-here.json or nothing-here.toml in"), "\(e)")
            XCTAssertTrue("\(e)".contains("there are: chengdu-districts, chengdu-districts-toml, chongqing-districts"), "\(e)")
        }
        XCTAssertThrowsError(try lib.load("../etc/passwd", catalog: catalog)) { e in
            XCTAssertEqual(e as? LexstatError, .invalidArgument(#"scheme: "../etc/passwd" is not a scheme name (a file name in the scheme folder, without a path)"#))
        }
    }

    /// The fixture scheme in TOML, the same structure as `AssessmentFixture.schemeJSON()`.
    static let fixtureTOML = """
        title = "fixture"
        normalisation = "minmax"

        [missing]
        rule = "reweight"
        min_coverage = 0.5

        [[components]]
        name = "平时"
        weight = 0.4
        indicators = [{ indicator = "service.legal_aid_cases", weight = 1 }]

        [[components]]
        name = "年度"
        weight = 0.6

          [[components.indicators]]
          indicator = "litig.loss_rate"
          weight = 0.5

          [[components.indicators]]
          indicator = "mediation.disputes_resolved"
          weight = 0.5
        """

    /// A `.toml` file is read as TOML into the same scheme as its JSON twin.
    func testParsesATOMLSchemeLikeItsJSONTwin() throws {
        let t = try F.scheme(Self.fixtureTOML, file: "fixture.toml")
        let j = try F.scheme()
        XCTAssertEqual(t.components, j.components)
        XCTAssertEqual(t.missing, j.missing)
        XCTAssertEqual(t.title, j.title)
        XCTAssertEqual(t.name, "fixture")
        XCTAssertEqual(t.file, "fixture.toml")
        XCTAssertEqual(Scorer.score(t, F.data(best: true)).scores.map(\.total), Scorer.score(j, F.data(best: true)).scores.map(\.total))
    }

    /// TOML faults: the same `scheme FILE: path: reason` form, a syntax error with its line.
    func testRefusesTOMLFaultsInTheSameForm() {
        let neg = Self.fixtureTOML.replacingOccurrences(of: "weight = 0.5\n\n", with: "weight = -0.5\n\n")
        let m = F.refusal(neg, file: "bad.toml")
        XCTAssertTrue(m.hasPrefix("scheme bad.toml: "), m)
        XCTAssertTrue(m.contains("components[1].indicators[0].weight: -0.5 is not positive"), m)

        let misspelt = Self.fixtureTOML.replacingOccurrences(of: "name = \"平时\"\nweight", with: "name = \"平时\"\nweigth")
        let u = F.refusal(misspelt, file: "bad.toml")
        XCTAssertTrue(u.contains("components[0].weigth: unknown field; expected one of name, weight, indicators, description"), u)
        XCTAssertTrue(u.contains("components[0].weight: required"), u)

        let typed = Self.fixtureTOML.replacingOccurrences(of: "weight = 0.4", with: "weight = \"0.4\"")
        XCTAssertTrue(F.refusal(typed, file: "bad.toml").contains("components[0].weight: expected a number, found a string"))
        let dated = Self.fixtureTOML.replacingOccurrences(of: "weight = 0.4", with: "weight = 2024-01-01")
        XCTAssertTrue(F.refusal(dated, file: "bad.toml").contains("components[0].weight: expected a number, found a date or time"),
                      F.refusal(dated, file: "bad.toml"))

        // Line 4 lacks its value.
        let broken = "title = \"x\"\n\n[missing]\nrule = \n"
        let b = F.refusal(broken, file: "broken.toml")
        XCTAssertTrue(b.hasPrefix("scheme broken.toml: line 4: not valid TOML: "), b)
        let twice = "title = \"x\"\ntitle = \"y\"\n"
        XCTAssertTrue(F.refusal(twice, file: "twice.toml").hasPrefix("scheme twice.toml: line 2: not valid TOML: "), F.refusal(twice, file: "twice.toml"))
        // JSON text in a .toml file is a TOML syntax error, not read as JSON.
        XCTAssertTrue(F.refusal(F.schemeJSON(), file: "wrong.toml").hasPrefix("scheme wrong.toml: line 1: not valid TOML: "))
    }

    /// The shipped TOML example is chengdu-districts.json in TOML: the same scheme, the same scores on the demo data.
    func testShippedTOMLExampleScoresAsItsJSONTwin() throws {
        let store = try StoreFixture.open()
        _ = try Demo.load(into: store)
        let lib = try SchemeLibrary.bundled()
        let j = try lib.load("chengdu-districts", catalog: store.indicators())
        let t = try lib.load("chengdu-districts-toml", catalog: store.indicators())
        XCTAssertEqual(t.file, "chengdu-districts-toml.toml")
        XCTAssertEqual(t.components, j.components)
        XCTAssertEqual(t.missing, j.missing)
        XCTAssertEqual(t.title, j.title)
        XCTAssertEqual(t.within, j.within)
        XCTAssertEqual(t.level, j.level)
        for year in [2023, 2024] {
            let data = try store.peerData(indicators: j.indicators.map(\.indicator.code), year: year, within: j.within, level: j.level)
            let sj = Scorer.score(j, data), st = Scorer.score(t, data)
            XCTAssertFalse(sj.scores.filter { !$0.excluded }.isEmpty, "\(year)")
            XCTAssertEqual(st.scores.map(\.region.code), sj.scores.map(\.region.code))
            XCTAssertEqual(st.scores.map(\.total), sj.scores.map(\.total))
            XCTAssertEqual(st.scores.map(\.rank), sj.scores.map(\.rank))
        }
    }

    /// A folder's TOML schemes are listed and loaded by name; a name with both files is refused.
    func testLibraryReadsTOMLAndRefusesAJSONAndTOMLPair() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lexstat-lib-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.fixtureTOML.utf8).write(to: dir.appendingPathComponent("t.toml"))
        try Data(F.schemeJSON().utf8).write(to: dir.appendingPathComponent("j.json"))
        let lib = SchemeLibrary(directory: dir)
        XCTAssertEqual(lib.names(), ["j", "t"])
        XCTAssertEqual(try lib.load("t", catalog: F.catalog).file, "t.toml")
        XCTAssertEqual(try lib.load("t.toml", catalog: F.catalog).file, "t.toml")
        XCTAssertThrowsError(try lib.load("t.json", catalog: F.catalog)) { e in
            XCTAssertTrue("\(e)".contains("no t.json in"), "\(e)")
        }
        try Data(F.schemeJSON().utf8).write(to: dir.appendingPathComponent("t.json"))
        XCTAssertEqual(lib.names(), ["j", "t"])
        XCTAssertThrowsError(try lib.load("t", catalog: F.catalog)) { e in
            XCTAssertTrue("\(e)".contains("scheme t: both t.json and t.toml are in"), "\(e)")
        }
    }

    /// The folder check names each invalid scheme with its error; loading one by name is the
    /// server's fault (FAILED_PRECONDITION), not the caller's, while a bad name stays INVALID_ARGUMENT.
    func testFolderCheckNamesEachInvalidSchemeAndLoadingOneIsAFailedPrecondition() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lexstat-lib-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(F.schemeJSON().utf8).write(to: dir.appendingPathComponent("good.json"))
        try Data(F.schemeJSON().replacingOccurrences(of: #""weight": 0.4"#, with: #""weight": -1"#).utf8)
            .write(to: dir.appendingPathComponent("negative.json"))
        try Data("title = \n".utf8).write(to: dir.appendingPathComponent("syntax.toml"))
        try Data(Self.fixtureTOML.utf8).write(to: dir.appendingPathComponent("pair.toml"))
        try Data(F.schemeJSON().utf8).write(to: dir.appendingPathComponent("pair.json"))
        let lib = SchemeLibrary(directory: dir)
        let check = lib.check(catalog: F.catalog)
        XCTAssertNil(check.unreadable)
        XCTAssertEqual(check.valid, ["good"])
        XCTAssertEqual(check.invalid.map(\.name), ["negative", "pair", "syntax"])
        let messages = check.invalid.map(\.error.message)
        XCTAssertTrue(messages[0].hasPrefix("scheme negative.json: components[0].weight: -1.0 is not positive"), messages[0])
        XCTAssertTrue(messages[1].hasPrefix("scheme pair: both pair.json and pair.toml"), messages[1])
        XCTAssertTrue(messages[2].hasPrefix("scheme syntax.toml: line 1: not valid TOML: "), messages[2])
        for (_, e) in check.invalid {
            guard case .failedPrecondition = e else { return XCTFail("\(e) should be a failed precondition") }
        }
        XCTAssertThrowsError(try lib.load("negative", catalog: F.catalog)) { e in
            guard case .failedPrecondition(let m)? = e as? LexstatError else { return XCTFail("\(e)") }
            XCTAssertTrue(m.contains("components[0].weight: -1.0 is not positive"), m)
        }
        XCTAssertThrowsError(try lib.load("../good", catalog: F.catalog)) { e in
            guard case .invalidArgument? = e as? LexstatError else { return XCTFail("\(e)") }
        }
        let gone = SchemeLibrary(directory: dir.appendingPathComponent("none")).check(catalog: F.catalog)
        XCTAssertTrue(gone.unreadable?.contains("cannot list the scheme folder") == true, "\(gone.unreadable ?? "nil")")
    }
}
