import Foundation

/// Reads and validates assessment schemes written in JSON or TOML.
///
/// ## Format
/// ```json
/// {
///   "name": "chengdu-districts",
///   "title": "成都市区（市）县司法行政工作考评",
///   "peer_group": {"within": "成都市", "level": "county"},
///   "normalisation": "minmax",
///   "missing": {"rule": "reweight", "min_coverage": 0.5},
///   "components": [
///     {"name": "平时考评", "weight": 0.4, "indicators": [
///       {"indicator": "service.legal_aid_cases", "weight": 1}]},
///     {"name": "年度考评", "weight": 0.6, "indicators": [
///       {"indicator": "litig.loss_rate", "weight": 0.5, "normalisation": "target", "target": 5},
///       {"group": "人民调解", "weight": 0.5, "indicators": [
///         {"indicator": "mediation.disputes_resolved", "weight": 1, "cap": 20000}]}]}
///   ]
/// }
/// ```
/// Weights of siblings add up to 1 (or to 100, as percentages). An indicator
/// is a catalog code or Chinese name; its polarity comes from the catalog
/// unless `polarity` (`higher`, `lower`) says otherwise, and a neutral
/// indicator must say. Unknown fields are refused, so a misspelt one cannot
/// silently fall back to a default.
///
/// A file ending in `.toml` is read as TOML with the same structure, e.g.
/// ```toml
/// title = "成都市区（市）县司法行政工作考评"
/// [peer_group]
/// within = "成都市"
/// [[components]]
/// name = "平时考评"
/// weight = 0.4
/// indicators = [{ indicator = "service.legal_aid_cases", weight = 1 }]
/// ```
/// and its faults are named by the same paths.
public enum SchemeParser {
    /// Parses a scheme.
    ///
    /// - Parameters:
    ///   - data: the file's bytes (UTF-8 JSON, or TOML when `file` ends in `.toml`).
    ///   - file: the file name, for messages and the format; its base name is the default scheme name.
    ///   - catalog: the indicators a scheme may name.
    /// - Returns: the validated scheme.
    /// - Throws: `LexstatError.invalidArgument` naming the file, each faulty
    ///   field as a JSON path (`components[1].indicators[0].weight`) and why;
    ///   a TOML syntax error as `line N: not valid TOML: reason`.
    public static func parse(_ data: Data, file: String, catalog: [Indicator]) throws(LexstatError) -> AssessmentScheme {
        let root: Any
        switch SchemeFormat(file: file) {
        case .toml:
            root = try SchemeTOML.tree(data, file: file)
        case .json:
            do {
                root = try JSONSerialization.jsonObject(with: data, options: [])
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
                throw .invalidArgument("scheme \(file): not valid JSON: \(detail)")
            }
        }
        var p = Reader(file: file, catalog: catalog)
        let scheme = p.scheme(root)
        if !p.problems.isEmpty || scheme == nil {
            throw .invalidArgument("scheme \(file): " + p.problems.joined(separator: "; "))
        }
        return scheme!
    }
}

/// Walks the JSON tree, collecting every problem with its path.
private struct Reader {
    let file: String
    let catalog: [Indicator]
    var problems: [String] = []
    /// Indicator code → path where it first appeared.
    var seen: [String: String] = [:]

    init(file: String, catalog: [Indicator]) {
        self.file = file
        self.catalog = catalog
    }

    mutating func fail(_ path: String, _ reason: String) {
        problems.append("\(path.isEmpty ? "(top level)" : path): \(reason)")
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func object(_ v: Any, _ path: String, allowed: [String]) -> [String: Any]? {
        guard let o = v as? [String: Any] else {
            fail(path, "expected an object, found \(describe(v))")
            return nil
        }
        for k in o.keys.sorted() where !allowed.contains(k) {
            fail(Reader.join(path, k), "unknown field; expected one of \(allowed.joined(separator: ", "))")
        }
        return o
    }

    func number(_ v: Any) -> Double? {
        if type(of: v) == Bool.self { return nil }
        if v is String { return nil }
        if let n = v as? NSNumber { return n.doubleValue }
        return v as? Double
    }

    func describe(_ v: Any) -> String {
        if v is String { return "a string" }
        if v is [Any] { return "an array" }
        if v is [String: Any] { return "an object" }
        if v is NSNull { return "null" }
        if v is SchemeTOMLDate { return "a date or time" }
        if type(of: v) == Bool.self { return "a boolean" }
        if number(v) != nil { return "a number" }
        return "\(type(of: v))"
    }

    mutating func string(_ o: [String: Any], _ key: String, _ path: String, required: Bool) -> String? {
        guard let v = o[key] else {
            if required { fail(Reader.join(path, key), "required") }
            return nil
        }
        guard let s = v as? String else {
            fail(Reader.join(path, key), "expected a string, found \(describe(v))")
            return nil
        }
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { fail(Reader.join(path, key), "empty") ; return nil }
        return t
    }

    mutating func finite(_ o: [String: Any], _ key: String, _ path: String) -> Double? {
        guard let v = o[key] else { return nil }
        guard let n = number(v) else {
            fail(Reader.join(path, key), "expected a number, found \(describe(v))")
            return nil
        }
        guard n.isFinite else { fail(Reader.join(path, key), "not a finite number"); return nil }
        return n
    }

    mutating func method(_ o: [String: Any], _ path: String) -> NormalisationMethod? {
        guard let s = string(o, "normalisation", path, required: false) else { return nil }
        guard let m = NormalisationMethod(rawValue: s) else {
            fail(Reader.join(path, "normalisation"),
                 "\"\(s)\" is not one of \(NormalisationMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return m
    }

    mutating func scheme(_ root: Any) -> AssessmentScheme? {
        guard let o = object(root, "", allowed: ["name", "title", "description", "peer_group", "normalisation",
                                                 "missing", "components"]) else { return nil }
        let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = string(o, "name", "", required: false) ?? base
        let title = string(o, "title", "", required: false) ?? name
        _ = string(o, "description", "", required: false)
        var within: String?
        var level: Region.Level?
        if let pg = o["peer_group"], let g = object(pg, "peer_group", allowed: ["within", "level"]) {
            within = string(g, "within", "peer_group", required: false)
            if let l = string(g, "level", "peer_group", required: false) {
                level = Region.Level(rawValue: l)
                if level == nil { fail("peer_group.level", "\"\(l)\" is not one of province, city, county") }
            }
        }
        let defaultMethod = method(o, "") ?? .minmax
        var missing = MissingRule.reweight(minCoverage: 0.5)
        if let mv = o["missing"], let m = object(mv, "missing", allowed: ["rule", "min_coverage"]) {
            let rule = string(m, "rule", "missing", required: true)
            let cov = finite(m, "min_coverage", "missing")
            if let c = cov, !(0...1).contains(c) { fail("missing.min_coverage", "\(c) is outside 0…1") }
            switch rule {
            case "reweight": missing = .reweight(minCoverage: cov.map { min(max($0, 0), 1) } ?? 0.5)
            case "zero": missing = .zero
            case "exclude": missing = .exclude
            case nil: break
            case let r?: fail("missing.rule", "\"\(r)\" is not one of reweight, zero, exclude")
            }
            if cov != nil, rule != nil, rule != "reweight" {
                fail("missing.min_coverage", "only with rule reweight")
            }
        }
        var components: [SchemeNode] = []
        if let cv = o["components"] {
            if let list = cv as? [Any] {
                if list.isEmpty { fail("components", "empty; a scheme needs at least one component") }
                for (i, c) in list.enumerated() {
                    let path = "components[\(i)]"
                    if let obj = c as? [String: Any], obj["indicator"] != nil {
                        fail(path, "a component is a named group of indicators (name, weight, indicators), not an indicator")
                        continue
                    }
                    if let n = node(c, path, defaultMethod, top: true) { components.append(n) }
                }
                checkSiblings(components, list.count, "components")
            } else {
                fail("components", "expected an array, found \(describe(cv))")
            }
        } else {
            fail("components", "required")
        }
        return AssessmentScheme(name: name, title: title, within: within, level: level, missing: missing,
                                components: components, file: file)
    }

    /// Checks the weights of siblings add up to 1 or 100, and their names are distinct.
    mutating func checkSiblings(_ nodes: [SchemeNode], _ written: Int, _ path: String) {
        guard nodes.count == written, !nodes.isEmpty else { return }
        let sum = nodes.reduce(0) { $0 + $1.weight }
        if abs(sum - 1) > 1e-6 && abs(sum - 100) > 1e-4 {
            let shown = (sum * 1e6).rounded() / 1e6
            fail(path, "weights add up to \(shown); they must add up to 1 (or 100, as percentages)")
        }
        var names: [String: Int] = [:]
        for (i, n) in nodes.enumerated() {
            if case .group = n.kind {
                if let j = names[n.name] { fail("\(path)[\(i)].name", "\"\(n.name)\" repeats \(path)[\(j)].name") }
                names[n.name] = i
            }
        }
    }

    mutating func node(_ v: Any, _ path: String, _ defaultMethod: NormalisationMethod, top: Bool) -> SchemeNode? {
        let groupKeys = top ? ["name", "weight", "indicators", "description"] : ["group", "weight", "indicators", "description"]
        let leafKeys = ["indicator", "weight", "normalisation", "target", "cap", "polarity", "note"]
        guard let raw = v as? [String: Any] else {
            fail(path, "expected an object, found \(describe(v))")
            return nil
        }
        let isLeaf = raw["indicator"] != nil
        if isLeaf && raw["indicators"] != nil {
            fail(path, "has both indicator and indicators: a node is either one indicator or a group of them")
            return nil
        }
        if !isLeaf && raw["indicators"] == nil {
            fail(path, top ? "a component needs indicators" : "needs indicator (one indicator) or group and indicators (a group)")
            return nil
        }
        guard let o = object(raw, path, allowed: isLeaf ? leafKeys : groupKeys) else { return nil }
        let weight = finite(o, "weight", path)
        if o["weight"] == nil { fail(Reader.join(path, "weight"), "required") }
        if let w = weight, w <= 0 { fail(Reader.join(path, "weight"), "\(w) is not positive") }
        if isLeaf { return leaf(o, path, weight ?? 0, defaultMethod) }

        let name = string(o, top ? "name" : "group", path, required: true) ?? "?"
        _ = string(o, "description", path, required: false)
        guard let list = o["indicators"] as? [Any] else {
            fail(Reader.join(path, "indicators"), "expected an array, found \(describe(o["indicators"]!))")
            return nil
        }
        if list.isEmpty { fail(Reader.join(path, "indicators"), "empty") }
        var children: [SchemeNode] = []
        for (i, c) in list.enumerated() {
            if let n = node(c, "\(path).indicators[\(i)]", defaultMethod, top: false) { children.append(n) }
        }
        checkSiblings(children, list.count, "\(path).indicators")
        return SchemeNode(name: name, weight: weight ?? 0, kind: .group(children), path: path)
    }

    mutating func leaf(_ o: [String: Any], _ path: String, _ weight: Double, _ defaultMethod: NormalisationMethod) -> SchemeNode? {
        let ipath = Reader.join(path, "indicator")
        guard let q = string(o, "indicator", path, required: true) else { return nil }
        guard let ind = catalog.first(where: { $0.code == q }) ?? catalog.first(where: { $0.name == q }) else {
            let near = Suggestions.closest(to: q, among: catalog.lazy.flatMap { ind in
                [(key: ind.code, label: ind.code), (key: ind.name, label: ind.code)]
            })
            fail(ipath, "\"\(q)\" is not in the catalog\(Suggestions.hint(near))")
            return nil
        }
        if let first = seen[ind.code] {
            fail(ipath, "\(ind.code) appears twice (also at \(first))")
        } else {
            seen[ind.code] = ipath
        }
        var polarity = ind.polarity
        if let p = string(o, "polarity", path, required: false) {
            switch p {
            case "higher": polarity = .higherIsBetter
            case "lower": polarity = .lowerIsBetter
            default: fail(Reader.join(path, "polarity"), "\"\(p)\" is not higher or lower")
            }
        } else if polarity == .neutral {
            fail(ipath, "\(ind.code) (\(ind.name)) is neutral in the catalog: its size says nothing good or bad; give polarity higher or lower")
        }
        let m = method(o, path) ?? defaultMethod
        let target = finite(o, "target", path)
        if m == .target {
            if target == nil && o["target"] == nil {
                fail(Reader.join(path, "target"), "required with normalisation target")
            } else if let t = target, t <= 0, polarity != .lowerIsBetter {
                fail(Reader.join(path, "target"), "\(t) is not positive; a higher-is-better target must be above 0")
            } else if let t = target, t < 0 {
                fail(Reader.join(path, "target"), "\(t) is negative")
            }
        } else if o["target"] != nil {
            fail(Reader.join(path, "target"), "only with normalisation target (this indicator uses \(m.rawValue))")
        }
        let cap = finite(o, "cap", path)
        _ = string(o, "note", path, required: false)
        let spec = SchemeIndicator(indicator: ind, polarity: polarity == .neutral ? .higherIsBetter : polarity,
                                   normalisation: m, target: target, cap: cap)
        return SchemeNode(name: ind.code, weight: weight, kind: .indicator(spec), path: path)
    }
}
