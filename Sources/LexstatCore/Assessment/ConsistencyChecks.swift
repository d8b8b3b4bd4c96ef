import Foundation

/// One inconsistency among stored figures.
public struct Finding: Hashable, Sendable {
    public enum Rule: String, Sendable, CaseIterable {
        /// A percentage outside 0–100 %.
        case rateRange = "rate_range"
        /// A stated change against last year that last year's stored figure does not bear out.
        case changeMismatch = "change_mismatch"
        /// A region's figure below the sum of its children's, for an indicator that adds up.
        case parentBelowChildren = "parent_below_children"
        /// Two sources giving incompatible values for the same figure.
        case sourcesDisagree = "sources_disagree"
    }

    public var rule: Rule
    /// Names the figures, their values and their sources.
    public var message: String
    public var observations: [Observation]
}

/// Checks stored figures against each other.
///
/// "Beyond rounding": a figure written with d decimals stands for anything
/// within half a unit of its last place (10.65 for 10.645…10.655). Bounds
/// widen a figure: 约/近 (approx) by 10 %, 余/超 (at least) upwards without
/// limit, 以内/不超过 (at most) downwards. Two figures disagree only when
/// those intervals do not meet.
public enum ConsistencyChecks {
    /// Runs every check.
    ///
    /// - Parameters:
    ///   - observations: the figures to check (include the year before `year` for changes).
    ///   - catalog: indicator code → indicator.
    ///   - regions: for parents and names.
    ///   - year: only findings about figures of this year; all years when `nil`.
    ///   - source: how to name an observation's source in messages.
    public static func run(_ observations: [Observation], catalog: [String: Indicator], regions: RegionDirectory,
                           year: Int?, source: (Observation) -> String) -> [Finding] {
        var out: [Finding] = []
        func inYear(_ o: Observation) -> Bool { year == nil || o.period.year == year }
        func name(_ o: Observation) -> String {
            let ind = o.indicator.flatMap { catalog[$0] }
            return "\(regions.fullName(of: o.region)) \(ind?.name ?? o.subject) \(o.period.text)"
        }
        func figure(_ o: Observation) -> String { "\(show(o.value))\(o.unit) (\(source(o)))" }

        // 1. Rates outside 0–100 %.
        for o in observations where o.kind == .actual && o.unit == "%" && inYear(o) && (o.value < 0 || o.value > 100) {
            out.append(Finding(rule: .rateRange, message: "\(name(o)) is \(figure(o)): a rate outside 0–100 %", observations: [o]))
        }

        // The latest actual per (indicator, region, period, unit), as queries use it.
        struct Key: Hashable { var indicator: String; var region: String; var period: Period; var unit: String }
        var latest: [Key: Observation] = [:]
        var latestAnyUnit: [Key: Observation] = [:]
        var groups: [Key: [Observation]] = [:]
        for o in observations where o.kind == .actual {
            guard let ind = o.indicator else { continue }
            let k = Key(indicator: ind, region: o.region, period: o.period, unit: o.unit)
            if let have = latest[k], have.id > o.id {} else { latest[k] = o }
            let any = Key(indicator: ind, region: o.region, period: o.period, unit: "")
            if let have = latestAnyUnit[any], have.id > o.id {} else { latestAnyUnit[any] = o }
            groups[k, default: []].append(o)
        }
        func actual(_ ind: String, _ region: String, _ period: Period, unit: String?) -> Observation? {
            if let unit { return latest[Key(indicator: ind, region: region, period: period, unit: unit)] }
            return latestAnyUnit[Key(indicator: ind, region: region, period: period, unit: "")]
        }

        // 2. Stated changes against last year's stored figure.
        for c in observations where c.kind == .change && inYear(c) && c.bound == .exact {
            guard let ind = c.indicator, case .year(let y) = c.period, c.unit == "%" || c.unit == "pp" else { continue }
            let unit: String? = c.unit == "pp" ? "%" : nil
            guard let cur = actual(ind, c.region, .year(y), unit: unit), let prev = actual(ind, c.region, .year(y - 1), unit: cur.unit),
                  cur.bound == .exact, prev.bound == .exact else { continue }
            let computed: Double, tolerance: Double
            if c.unit == "pp" {
                computed = cur.value - prev.value
                tolerance = halfUnit(c.value) + halfUnit(cur.value) + halfUnit(prev.value)
            } else {
                guard prev.value != 0 else { continue }
                computed = (cur.value / prev.value - 1) * 100
                tolerance = halfUnit(c.value) + 100 * halfUnit(cur.value) / abs(prev.value)
                    + 100 * abs(cur.value) * halfUnit(prev.value) / (prev.value * prev.value)
            }
            if abs(computed - c.value) > tolerance + 1e-9 {
                let sign = c.value >= 0 ? "+" : ""
                let csign = computed >= 0 ? "+" : ""
                out.append(Finding(rule: .changeMismatch, message:
                    "\(name(c)) states a change of \(sign)\(show(c.value))\(c.unit) (\(source(c))), but \(y - 1) was \(figure(prev)) and \(y) is \(figure(cur)): a change of \(csign)\(show(rounded(computed, 2)))\(c.unit)",
                    observations: [c, prev, cur]))
            }
        }

        // 3. A parent's figure below the sum of its children's, for additive indicators.
        for (k, parent) in latest.sorted(by: { ($0.key.indicator, $0.key.region, $0.key.period.text) < ($1.key.indicator, $1.key.region, $1.key.period.text) }) {
            guard catalog[k.indicator]?.aggregation == .sum, year == nil || k.period.year == year,
                  parent.bound == .exact || parent.bound == .atMost else { continue }
            let kids = regions.children(of: k.region).compactMap { r -> Observation? in
                guard let o = latest[Key(indicator: k.indicator, region: r.code, period: k.period, unit: k.unit)],
                      o.bound == .exact || o.bound == .atLeast else { return nil }
                return o
            }
            guard kids.count >= 1 else { continue }
            let sum = kids.reduce(0) { $0 + $1.value }
            let slack = halfUnit(parent.value) + kids.reduce(0) { $0 + halfUnit($1.value) }
            if parent.value + slack < sum - 1e-9 {
                let list = kids.map { "\(regions.region(code: $0.region)?.name ?? $0.region) \(show($0.value)) (\(source($0)))" }
                out.append(Finding(rule: .parentBelowChildren, message:
                    "\(name(parent)) is \(figure(parent)), less than the sum of its children's figures, \(show(rounded(sum, 6)))\(k.unit): \(list.joined(separator: ", "))",
                    observations: [parent] + kids))
            }
        }

        // 4. Two sources disagreeing on the same figure.
        for (k, list) in groups.sorted(by: { ($0.key.indicator, $0.key.region, $0.key.period.text) < ($1.key.indicator, $1.key.region, $1.key.period.text) }) {
            guard list.count > 1, year == nil || k.period.year == year else { continue }
            let sorted = list.sorted { $0.id < $1.id }
            var reported = Set<Int64>()
            for i in sorted.indices {
                for j in sorted.indices where j > i {
                    let a = sorted[i], b = sorted[j]
                    guard source(a) != source(b), !reported.contains(b.id) else { continue }
                    let ia = interval(a), ib = interval(b)
                    if ia.upperBound < ib.lowerBound || ib.upperBound < ia.lowerBound {
                        reported.insert(b.id)
                        out.append(Finding(rule: .sourcesDisagree, message:
                            "\(name(a)): \(figure(a)) against \(figure(b))", observations: [a, b]))
                    }
                }
            }
        }
        return out
    }

    /// The values a stated figure stands for.
    static func interval(_ o: Observation) -> ClosedRange<Double> {
        let h = halfUnit(o.value)
        switch o.bound {
        case .exact: return (o.value - h)...(o.value + h)
        case .approx: return (o.value - abs(o.value) * 0.1 - h)...(o.value + abs(o.value) * 0.1 + h)
        case .atLeast: return (o.value - h)...Double.infinity
        case .atMost: return -Double.infinity...(o.value + h)
        }
    }

    /// Half a unit of the last decimal place a value is written with (1200 → 0.5, 10.65 → 0.005).
    static func halfUnit(_ v: Double) -> Double {
        let s = show(v)
        guard let dot = s.firstIndex(of: ".") else { return 0.5 }
        let places = s.distance(from: dot, to: s.endIndex) - 1
        return 0.5 * pow(10, -Double(places))
    }

    /// The shortest decimal form of a value: 1200, 10.65.
    static func show(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func rounded(_ v: Double, _ places: Int) -> Double {
        let p = pow(10, Double(places))
        return (v * p).rounded() / p
    }
}

extension LexstatStore {
    /// Checks the stored figures of a region (and its descendants) or of all regions.
    ///
    /// - Parameters:
    ///   - region: a code or name; every region when `nil`.
    ///   - year: only findings about this year's figures.
    /// - Throws: `LexstatError.notFound` for an unknown region, `.invalidArgument` for a year outside 1949–2100.
    public func check(region: String?, year: Int?) throws(LexstatError) -> [Finding] {
        if let year, !Period.validYears.contains(year) {
            throw .invalidArgument("year: \(year) is outside \(Period.validYears.lowerBound)–\(Period.validYears.upperBound)")
        }
        // One pass over the in-memory index, not page by page: each page would redo the match.
        let filter = ObservationFilter(region: region, descendants: region != nil,
                                       from: year.map { String($0 - 1) }, to: year.map { String($0) })
        let all: [Observation] = try read { (m) throws(LexstatError) in
            let (rows, _) = try matching(filter, in: m)
            return rows.map { m.observation(m.rows[Int($0)]) }
        }
        let catalog = Dictionary(indicators().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var titles: [Int64: String] = [:]
        for o in all {
            if case .report(let id, _, _, _) = o.provenance, titles[id] == nil {
                titles[id] = (try? report(id: id, withText: false, withSections: false))?.report.title ?? "report \(id)"
            }
        }
        return ConsistencyChecks.run(all, catalog: catalog, regions: regions, year: year) { o in
            switch o.provenance {
            case .source(let s): return s.isEmpty ? "no source" : s
            case .report(let id, _, _, _): return "report \(id) \(titles[id] ?? "")"
            }
        }
    }
}
