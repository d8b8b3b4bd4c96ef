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
    public var actual: Observation?
    public var status: TargetStatus
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
                let actual = r.indicator >= 0 && r.region >= 0 ? m.best(indicator: r.indicator, region: r.region, period: r.period) : nil
                let status: TargetStatus
                if let a = actual {
                    let lowerIsBetter = m.indicators[Int(r.indicator)].polarity == .lowerIsBetter
                    switch r.boundValue {
                    case .atLeast: status = a.value >= r.value ? .met : .missed
                    case .atMost: status = a.value <= r.value ? .met : .missed
                    case .exact, .approx:
                        status = (lowerIsBetter ? a.value <= r.value : a.value >= r.value) ? .met : .missed
                    }
                } else {
                    status = .noData
                }
                out.append(TargetAttainment(target: m.observation(r), actual: actual.map(m.observation), status: status))
            }
            if let g = rid {
                let scope = [g] + (descendants ? regions.descendantIds(of: g) : [])
                var idx: [Int32] = []
                for s in scope { idx += m.byRegion[s] ?? [] }
                for i in idx.sorted() { consider(m.rows[Int(i)]) }
            } else {
                for r in m.rows { consider(r) }
            }
            return out
        }
    }
}
