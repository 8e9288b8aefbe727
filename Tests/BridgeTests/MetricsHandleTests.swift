import Testing
@testable import Bridge

/// Series handles (`Metrics.counter`/`histogram`) must be the same series the name-based calls update,
/// and histograms must stay cumulative.
@Suite struct MetricsHandleTests {
    @Test func handleAndNameUpdateTheSameSeries() throws {
        let metrics = Metrics()
        let counter = metrics.counter("test_requests_total", help: "Requests.", labels: [("status", "200")])
        counter.increment()
        counter.increment(by: 2)
        metrics.increment("test_requests_total", help: "Requests.", labels: [("status", "200")])
        #expect(metrics.counter("test_requests_total", help: "Requests.", labels: [("status", "200")]) === counter)
        let exposition = try PrometheusExposition(metrics.render())
        #expect(exposition.value("test_requests_total", ["status": "200"]) == 4)
    }

    @Test func histogramBucketsAreCumulative() throws {
        let metrics = Metrics()
        let histogram = metrics.histogram("test_seconds", help: "Latency.", buckets: [0.1, 1, 10])
        for value in [0.05, 0.1, 0.5, 5, 50] { histogram.observe(value) }
        metrics.observe("test_seconds", help: "Latency.", value: 0.2)
        let exposition = try PrometheusExposition(metrics.render())
        #expect(exposition.value("test_seconds_bucket", ["le": "0.1"]) == 2)
        #expect(exposition.value("test_seconds_bucket", ["le": "1"]) == 4)
        #expect(exposition.value("test_seconds_bucket", ["le": "10"]) == 5)
        #expect(exposition.value("test_seconds_bucket", ["le": "+Inf"]) == 6)
        #expect(exposition.value("test_seconds_count", [:]) == 6)
        #expect(exposition.value("test_seconds_sum", [:]) == 55.85)
    }

    @Test func labelValuesAreEscapedOnlyWhenNeeded() {
        #expect(Metrics.escapeLabelValue("/webhooks/energy-coordination") == "/webhooks/energy-coordination")
        #expect(Metrics.escapeLabelValue("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
    }
}
