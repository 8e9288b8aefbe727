import Synchronization

/// The request series of one webhook path, resolved once so answering a webhook does not render and look
/// up label sets (that was a tenth of the store writer's time, where committed webhooks are answered).
///
/// Series appear in `/metrics` on first use, as before.
final class EndpointMetrics: Sendable {
    private struct Series {
        var latency: Metrics.Histogram?
        var byStatus: [Int: Metrics.Counter] = [:]
    }

    private let path: String
    private let metrics: Metrics
    private let series = Mutex(Series())

    init(path: String, metrics: Metrics) {
        self.path = path
        self.metrics = metrics
    }

    /// Counts one answer with `status` (an answer given before the request was complete has no latency).
    func count(status: Int) {
        let counter = series.withLock { series in requestSeries(status, in: &series) }
        counter.increment()
    }

    /// Counts one answer and records the time from the complete request to it, under one lock.
    func record(status: Int, seconds: Double) {
        let (counter, histogram) = series.withLock { series -> (Metrics.Counter, Metrics.Histogram) in
            let counter = requestSeries(status, in: &series)
            let histogram = latencySeries(in: &series)
            return (counter, histogram)
        }
        counter.increment()
        histogram.observe(seconds)
    }

    private func requestSeries(_ status: Int, in series: inout Series) -> Metrics.Counter {
        if let counter = series.byStatus[status] { return counter }
        let counter = metrics.counter("ecbridge_webhook_requests_total", help: "Webhook requests by path and status.",
                                      labels: [("path", path), ("status", String(status))])
        series.byStatus[status] = counter
        return counter
    }

    private func latencySeries(in series: inout Series) -> Metrics.Histogram {
        if let histogram = series.latency { return histogram }
        let histogram = metrics.histogram("ecbridge_webhook_request_seconds",
                                          help: "Time from a complete request to its answer.", labels: [("path", path)])
        series.latency = histogram
        return histogram
    }
}
