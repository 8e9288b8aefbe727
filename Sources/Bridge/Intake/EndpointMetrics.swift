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

    /// Counts one answer with `status`.
    func count(status: Int) {
        let counter = series.withLock { series in
            if let counter = series.byStatus[status] { return counter }
            let counter = metrics.counter("ecbridge_webhook_requests_total", help: "Webhook requests by path and status.",
                                          labels: [("path", path), ("status", String(status))])
            series.byStatus[status] = counter
            return counter
        }
        counter.increment()
    }

    /// Records the time from a complete request to its answer.
    func observeLatency(seconds: Double) {
        let histogram = series.withLock { series in
            if let histogram = series.latency { return histogram }
            let histogram = metrics.histogram("ecbridge_webhook_request_seconds",
                                              help: "Time from a complete request to its answer.", labels: [("path", path)])
            series.latency = histogram
            return histogram
        }
        histogram.observe(seconds)
    }
}
