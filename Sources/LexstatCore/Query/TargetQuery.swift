/// Whether a target was reached.
public enum TargetStatus: String, Sendable, Codable, CaseIterable {
    case met
    case missed
    /// No actual figure for the target's indicator, region and period (yet).
    case noData = "no_data"
}

/// A target held against the actual figure of its period.
public struct TargetAttainment: Hashable, Sendable {
    public var target: Observation
    /// The stored actual of the period or, for an additive indicator whose
    /// period was not reported as a whole, the sum of its parts (see `parts`).
    public var actual: Observation?
    public var status: TargetStatus
    /// For an actual added up from quarters or months: the parts found and
    /// the parts the period has (4 quarters, 12 or 3 months); 0 and 0 for a
    /// stored figure.
    public var parts = 0
    public var partsExpected = 0

    public init(target: Observation, actual: Observation?, status: TargetStatus, parts: Int = 0, partsExpected: Int = 0) {
        self.target = target
        self.actual = actual
        self.status = status
        self.parts = parts
        self.partsExpected = partsExpected
    }
}

extension LexstatStore {
    /// Each target with the actual figure of its indicator, region and period, and whether it was met.
    ///
    /// A target stated as `at_least` (…以上, 不少于) is met by an actual at or
    /// above it, one stated `at_most` (不超过, 以内) by an actual at or below
    /// it; otherwise polarity decides (lower-is-better: at or below, else at
    /// or above). A target with only a free subject has no actual to compare:
    /// `no_data`.
    ///
    /// For an additive indicator a year (or quarter) not reported as a whole
    /// is held against the sum of its quarters (else months), as a series
    /// adds them up. A sum of all the parts decides as a stored figure does;
    /// a sum of some decides only where the rest cannot change the outcome
    /// (a count already above an at-least target is met; one already above
    /// an at-most target missed), and is otherwise `no_data` with the sum so far.
    ///
    /// - Parameters:
    ///   - region: a code or name; `nil` for all regions.
    ///   - descendants: with `region`, its descendants' targets too.
    ///   - year: targets whose period falls in this year.
    /// - Throws: `LexstatError.notFound` for an unknown region; `.invalidArgument` for a year outside 1949–2100.
    public func targets(region: String? = nil, descendants: Bool = false, year: Int? = nil) throws(LexstatError) -> [TargetAttainment] {
        if let year { try LexstatStore.checkYear(year) }
        var rid: Int32?
        if let region, !region.isEmpty {
            do throws(LexstatError) { rid = try regions.resolveId(region) } catch { throw LexstatStore.prefix("region", error) }
        }
        return read { m in
            let target = ObsRow.code(ObservationKind.target)
            var out: [TargetAttainment] = []
            func consider(_ r: ObsRow) {
                guard r.alive, r.kind == target else { return }
                if let y = year, PeriodCode.decode(r.period).year != y { return }
                guard r.indicator >= 0, r.region >= 0 else {
                    out.append(TargetAttainment(target: m.observation(r), actual: nil, status: .noData))
                    return
                }
                let indicator = m.indicators[Int(r.indicator)]
                let atLeast: Bool  // whether the actual must reach the target from below
                switch r.boundValue {
                case .atLeast: atLeast = true
                case .atMost: atLeast = false
                case .exact, .approx: atLeast = indicator.polarity != .lowerIsBetter
                }
                if let a = m.best(indicator: r.indicator, region: r.region, period: r.period) {
                    let met = atLeast ? a.value >= r.value : a.value <= r.value
                    out.append(TargetAttainment(target: m.observation(r), actual: m.observation(a), status: met ? .met : .missed))
                } else if indicator.aggregation == .sum, let sum = LexstatStore.sumOfParts(indicator: r.indicator, region: r.region, regionCode: regions.all[Int(r.region)].code,
                                                                                       period: r.period, in: m) {
                    let whole = sum.parts == sum.expected
                    let status: TargetStatus
                    if atLeast {
                        status = sum.value >= r.value ? .met : (whole ? .missed : .noData)
                    } else {
                        status = sum.value > r.value ? .missed : (whole ? .met : .noData)
                    }
                    out.append(TargetAttainment(target: m.observation(r), actual: sum.observation, status: status,
                                                parts: sum.parts, partsExpected: sum.expected))
                } else {
                    out.append(TargetAttainment(target: m.observation(r), actual: nil, status: .noData))
                }
            }
            if let g = rid {
                let scope = [g] + (descendants ? regions.descendantIds(of: g) : [])
                var idx: [Int32] = []
                for s in scope { idx += m.byRegion[Int(s)] }
                for i in idx.sorted() { consider(m.rows[Int(i)]) }
            } else {
                for r in m.rows { consider(r) }
            }
            return out
        }
    }

    /// The actual of a target's period added up from its parts: a year from
    /// its quarters (else its months), a quarter from its months.
    static func sumOfParts(indicator: Int32, region: Int32, regionCode: String, period code: Int32,
                           in m: MemoryIndex) -> (observation: Observation, value: Double, parts: Int, expected: Int)? {
        let period = PeriodCode.decode(code)
        func sum(_ parts: [Period], _ noun: String) -> (observation: Observation, value: Double, parts: Int, expected: Int)? {
            let found = parts.compactMap { m.best(indicator: indicator, region: region, period: PeriodCode.encode($0)) }
            guard !found.isEmpty else { return nil }
            let value = found.reduce(0) { $0 + $1.value }
            let exact = found.allSatisfy { $0.boundValue == .exact }
            let obs = Observation(indicator: m.indicators[Int(indicator)].code, subject: "", region: regionCode, period: period, value: value,
                                  unit: m.strings[found[0].unit], bound: exact ? .exact : .approx, kind: .actual,
                                  provenance: .source("sum of \(found.count) of \(parts.count) \(noun)"))
            return (obs, value, found.count, parts.count)
        }
        switch period {
        case .year(let y):
            return sum((1...4).map { .quarter(y, $0) }, "quarters") ?? sum((1...12).map { .month(y, $0) }, "months")
        case .quarter(let y, let q):
            return sum((1...3).map { .month(y, 3 * (q - 1) + $0) }, "months")
        default:
            return nil
        }
    }
}
