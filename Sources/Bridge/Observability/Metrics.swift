import Essentials
import FoundationEssentials
import Synchronization

/// Process metrics in Prometheus text exposition format (`GET /metrics`).
///
/// Counters and histograms are registered on first use with a fixed help text; gauges (and counters
/// owned by another component, such as the store's commit counters) are read from closures at scrape
/// time, so nothing has to be kept in sync.
public final class Metrics: Sendable {
    /// One counter series (a name and a label set). Resolve it once and keep it: incrementing a handle
    /// costs one uncontended lock, where `increment(_:help:labels:)` renders and looks up the labels.
    public final class Counter: Sendable {
        private let value = Mutex<Double>(0)

        public func increment(by amount: Double = 1) { value.withLock { $0 += amount } }

        var current: Double { value.withLock { $0 } }
    }

    /// One histogram series; like `Counter`, a handle that skips the look-up on the hot path.
    public final class Histogram: Sendable {
        let bounds: [Double]
        private let state: Mutex<HistogramState>

        init(bounds: [Double]) {
            self.bounds = bounds
            state = Mutex(HistogramState(counts: Array(repeating: 0, count: bounds.count)))
        }

        public func observe(_ value: Double) {
            state.withLock { $0.observe(value, bounds: bounds) }
        }

        var snapshot: HistogramState { state.withLock { $0 } }
    }

    private struct Family {
        var help: String
        var type: String
        var counters: [String: Counter] = [:]
        var histograms: [String: Histogram] = [:]
        var buckets: [Double] = []
    }

    struct HistogramState {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0

        mutating func observe(_ value: Double, bounds: [Double]) {
            // Buckets are cumulative: every bound at or above the value counts it.
            var index = bounds.count
            while index > 0, value <= bounds[index - 1] { index -= 1 }
            for bucket in index..<bounds.count { counts[bucket] += 1 }
            sum += value
            count += 1
        }
    }

    public typealias GaugeReader = @Sendable () -> [(labels: [(String, String)], value: Double)]

    private let families = Mutex<[String: Family]>([:])
    private let gauges = Mutex<[(name: String, help: String, type: String, read: GaugeReader)]>([])

    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init() {}

    /// The counter series `name{labels}`, registered on first use.
    public func counter(_ name: String, help: String, labels: [(String, String)] = []) -> Counter {
        let key = Self.render(labels)
        return families.withLock { families in
            if let existing = families[name]?.counters[key] { return existing }
            let counter = Counter()
            families[name, default: Family(help: help, type: "counter")].counters[key] = counter
            return counter
        }
    }

    /// The histogram series `name{labels}`, registered on first use (the first caller's buckets count).
    public func histogram(_ name: String, help: String, labels: [(String, String)] = [],
                          buckets: [Double] = Metrics.latencyBuckets) -> Histogram {
        let key = Self.render(labels)
        return families.withLock { families in
            if let existing = families[name]?.histograms[key] { return existing }
            let bounds = families[name]?.buckets ?? buckets
            let histogram = Histogram(bounds: bounds)
            families[name, default: Family(help: help, type: "histogram", buckets: bounds)].histograms[key] = histogram
            return histogram
        }
    }

    public func increment(_ name: String, help: String, labels: [(String, String)] = [], by amount: Double = 1) {
        counter(name, help: help, labels: labels).increment(by: amount)
    }

    public func observe(_ name: String, help: String, labels: [(String, String)] = [], value: Double,
                        buckets: [Double] = Metrics.latencyBuckets) {
        histogram(name, help: help, labels: labels, buckets: buckets).observe(value)
    }

    public func gauge(_ name: String, help: String, read: @escaping GaugeReader) {
        gauges.withLock { $0.append((name, help, "gauge", read)) }
    }

    /// A counter kept by another component (monotonic), read at scrape time. Name it `…_total`.
    public func counter(_ name: String, help: String, read: @escaping GaugeReader) {
        gauges.withLock { $0.append((name, help, "counter", read)) }
    }

    /// The exposition text (version 0.0.4).
    public func render() -> String {
        var out = ""
        let snapshot = families.withLock { $0 }
        for name in snapshot.keys.sorted() {
            guard let family = snapshot[name] else { continue }
            out += "# HELP \(name) \(Self.escapeHelp(family.help))\n# TYPE \(name) \(family.type)\n"
            for key in family.counters.keys.sorted() {
                out += "\(name)\(key) \(Self.number(family.counters[key]?.current ?? 0))\n"
            }
            for key in family.histograms.keys.sorted() {
                guard let state = family.histograms[key]?.snapshot else { continue }
                let inner = key.isEmpty ? "" : String(key.dropFirst().dropLast()) + ","
                for (index, bound) in family.buckets.enumerated() {
                    out += "\(name)_bucket{\(inner)le=\"\(Self.number(bound))\"} \(state.counts[index])\n"
                }
                out += "\(name)_bucket{\(inner)le=\"+Inf\"} \(state.count)\n"
                out += "\(name)_sum\(key) \(Self.number(state.sum))\n"
                out += "\(name)_count\(key) \(state.count)\n"
            }
        }
        for gauge in gauges.withLock({ $0 }).sorted(by: { $0.name < $1.name }) {
            out += "# HELP \(gauge.name) \(Self.escapeHelp(gauge.help))\n# TYPE \(gauge.name) \(gauge.type)\n"
            for sample in gauge.read() {
                out += "\(gauge.name)\(Self.render(sample.labels)) \(Self.number(sample.value))\n"
            }
        }
        return out
    }

    static func render(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        let body = labels.map { key, value in "\(key)=\"\(escapeLabelValue(value))\"" }
        return "{" + body.joined(separator: ",") + "}"
    }

    /// A label value with `\\`, `"` and newlines escaped; most values need nothing, found by one byte scan.
    static func escapeLabelValue(_ value: String) -> String {
        let needsEscaping = value.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }
        guard needsEscaping else { return value }
        var escaped = ""
        for c in value {
            switch c {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(c)
            }
        }
        return escaped
    }

    static func escapeHelp(_ text: String) -> String {
        text.replacingLiteral("\\", with: "\\\\").replacingLiteral("\n", with: "\\n")
    }

    /// A sample value as Prometheus reads it (Go's ParseFloat, plus `+Inf`, `-Inf`, `NaN`).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
