import LexstatNet

extension RPCServer {
    /// Adds the C core's counters to `metrics`: connections, calls in
    /// flight, rejected frames and closed connections by reason, bytes.
    public func addMetrics(to metrics: Metrics) {
        metrics.addCollector { [weak self] t in
            guard let s = self?.stats() else { return }
            t.single("lexstat_connections_open", "gauge", "Connections open now.", s.connections_open)
            t.single("lexstat_connections_accepted_total", "counter", "Connections accepted.", s.connections_accepted)
            t.single("lexstat_connections_refused_total", "counter",
                     "Connections refused because max_connections were open.", s.connections_refused)
            t.single("lexstat_calls_in_flight", "gauge", "Calls started and not yet answered.", s.calls_in_flight)
            t.single("lexstat_calls_started_total", "counter", "Calls started.", s.calls_started)
            t.single("lexstat_calls_deadline_exceeded_total", "counter", "Calls whose deadline passed.", s.calls_deadline_exceeded)
            t.single("lexstat_calls_cancelled_total", "counter", "Calls the client cancelled or left.", s.calls_cancelled)
            t.family("lexstat_frames_rejected_total", "counter", "Input refused by the transport, by reason.")
            for (reason, n) in [("bad_preface", s.rejected_bad_preface), ("too_big", s.rejected_too_big),
                                ("bad_frame", s.rejected_bad_frame), ("bad_request", s.rejected_bad_request),
                                ("too_many_calls", s.rejected_too_many_calls)] {
                t.sample("lexstat_frames_rejected_total", [("reason", reason)], n)
            }
            t.family("lexstat_connections_closed_total", "counter", "Connections the server closed, by reason.")
            for (reason, n) in [("frame_timeout", s.closed_frame_timeout), ("idle", s.closed_idle),
                                ("stalled", s.closed_stalled)] {
                t.sample("lexstat_connections_closed_total", [("reason", reason)], n)
            }
            t.single("lexstat_received_bytes_total", "counter", "Bytes read from clients.", s.bytes_in)
            t.single("lexstat_sent_bytes_total", "counter", "Bytes written to clients.", s.bytes_out)
            if let cache = self?.cache, cache.isEnabled {
                t.single("lexstat_cache_hits_total", "counter", "Calls answered from the response cache.", cache.hits)
                t.single("lexstat_cache_misses_total", "counter", "Cacheable calls computed afresh.", cache.misses)
                t.single("lexstat_cache_bytes", "gauge", "Bytes the response cache holds.", UInt64(cache.bytes))
            }
        }
    }
}
