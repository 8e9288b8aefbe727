import Foundation
import Synchronization

/// Process metrics in Prometheus text exposition format (`GET /metrics`).
///
/// Counters and histograms are registered on first use with a fixed help text; gauges (and counters
/// owned by another component, such as the store's commit counters) are read from closures at scrape
/// time, so nothing has to be kept in sync.
public final class Metrics: Sendable {
    private struct Family {
        var help: String
        var type: String
        var counters: [String: Double] = [:]
        var histograms: [String: HistogramState] = [:]
        var buckets: [Double] = []

        mutating func observe(_ value: Double, key: String) {
            let bounds = buckets
            histograms[key, default: HistogramState(counts: Array(repeating: 0, count: bounds.count))]
                .observe(value, bounds: bounds)
        }
    }

    private struct HistogramState {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0

        mutating func observe(_ value: Double, bounds: [Double]) {
            for (index, bound) in bounds.enumerated() where value <= bound { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    public typealias GaugeReader = @Sendable () -> [(labels: [(String, String)], value: Double)]

    private let families = Mutex<[String: Family]>([:])
    private let gauges = Mutex<[(name: String, help: String, type: String, read: GaugeReader)]>([])

    public static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public init() {}

    public func increment(_ name: String, help: String, labels: [(String, String)] = [], by amount: Double = 1) {
        let key = Self.render(labels)
        families.withLock { families in
            families[name, default: Family(help: help, type: "counter")].counters[key, default: 0] += amount
        }
    }

    public func observe(_ name: String, help: String, labels: [(String, String)] = [], value: Double,
                        buckets: [Double] = Metrics.latencyBuckets) {
        let key = Self.render(labels)
        families.withLock { families in
            // Mutated in place (one lookup each): copying the family out and back made every observation
            // copy its storage.
            families[name, default: Family(help: help, type: "histogram", buckets: buckets)].observe(value, key: key)
        }
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
                out += "\(name)\(key) \(Self.number(family.counters[key] ?? 0))\n"
            }
            for key in family.histograms.keys.sorted() {
                guard let state = family.histograms[key] else { continue }
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
        let body = labels.map { key, value in
            var escaped = ""
            for c in value {
                switch c {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "\n": escaped += "\\n"
                default: escaped.append(c)
                }
            }
            return "\(key)=\"\(escaped)\""
        }
        return "{" + body.joined(separator: ",") + "}"
    }

    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A sample value as Prometheus reads it (Go's ParseFloat, plus `+Inf`, `-Inf`, `NaN`).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
