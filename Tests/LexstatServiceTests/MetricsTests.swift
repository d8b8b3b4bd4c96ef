import Foundation
import LexstatService
import XCTest

final class MetricsTests: XCTestCase {
    func testACallLandsInItsStatusAndLatencyBucket() {
        let metrics = Metrics()
        let m = metrics.method("lexstat.v1.Lexstat/Health")
        XCTAssertTrue(m === metrics.method("lexstat.v1.Lexstat/Health"), "one counter set per method")
        m.record(status: 0, nanos: 40_000)      // ≤ 50 µs
        m.record(status: 0, nanos: 50_000)      // ≤ 50 µs: bounds are inclusive
        m.record(status: 0, nanos: 3_000_000)   // ≤ 5 ms
        m.record(status: 5, nanos: 20_000_000_000) // over 10 s: only +Inf
        m.record(status: 99, nanos: 1)          // not a status: UNKNOWN
        XCTAssertEqual(m.count(status: 0), 3)
        XCTAssertEqual(m.count(status: 5), 1)
        let text = metrics.render()
        let series = "{method=\"lexstat.v1.Lexstat/Health\""
        XCTAssertTrue(text.contains("lexstat_calls_total\(series),status=\"OK\"} 3\n"), text)
        XCTAssertTrue(text.contains("lexstat_calls_total\(series),status=\"NOT_FOUND\"} 1\n"), text)
        XCTAssertTrue(text.contains("lexstat_calls_total\(series),status=\"UNKNOWN\"} 1\n"), text)
        XCTAssertFalse(text.contains("status=\"CANCELLED\""), "statuses never answered are left out")
        XCTAssertTrue(text.contains("lexstat_call_duration_seconds_bucket\(series),le=\"5e-05\"} 3\n"), text)
        XCTAssertTrue(text.contains("lexstat_call_duration_seconds_bucket\(series),le=\"0.0025\"} 3\n"), text)
        XCTAssertTrue(text.contains("lexstat_call_duration_seconds_bucket\(series),le=\"0.005\"} 4\n"), text)
        XCTAssertTrue(text.contains("lexstat_call_duration_seconds_bucket\(series),le=\"10\"} 4\n"), text)
        XCTAssertTrue(text.contains("lexstat_call_duration_seconds_bucket\(series),le=\"+Inf\"} 5\n"), text)
        XCTAssertTrue(text.contains("lexstat_call_duration_seconds_count\(series)} 5\n"), text)
        XCTAssertTrue(text.contains("lexstat_call_duration_seconds_sum\(series)} 20.003090001\n"), text)
        XCTAssertTrue(text.contains("# TYPE lexstat_call_duration_seconds histogram\n"))
    }

    func testCountsAreExactUnderConcurrentCalls() {
        let metrics = Metrics()
        let m = metrics.method("m")
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for i in 0..<10_000 { m.record(status: i % 2, nanos: UInt64(i)) }
        }
        XCTAssertEqual(m.count(status: 0), 40_000)
        XCTAssertEqual(m.count(status: 1), 40_000)
    }

    func testIngestTimeAndCollectorsAreRendered() {
        let metrics = Metrics()
        XCTAssertNil(metrics.lastIngest)
        XCTAssertTrue(metrics.render().contains("lexstat_last_ingest_timestamp_seconds 0\n"))
        metrics.ingested(at: Date(timeIntervalSince1970: 1_700_000_000.5))
        XCTAssertEqual(metrics.lastIngest?.timeIntervalSince1970, 1_700_000_000.5)
        XCTAssertTrue(metrics.render().contains("lexstat_last_ingest_timestamp_seconds 1700000000.5\n"))
        metrics.addCollector { t in t.single("x_total", "counter", "X.", 7) }
        XCTAssertTrue(metrics.render().contains("# HELP x_total X.\n# TYPE x_total counter\nx_total 7\n"))
    }

    func testLabelValuesAreEscaped() {
        var t = PrometheusText()
        t.family("a", "gauge", "A.")
        t.sample("a", [("k", "q\"b\\n\nx")], UInt64(1))
        XCTAssertEqual(t.text, "# HELP a A.\n# TYPE a gauge\na{k=\"q\\\"b\\\\n\\nx\"} 1\n")
    }
}
