import Foundation

/// A flat, ordered set of measured figures, printed as aligned text or as one JSON object (`--json`), so
/// scripts can read the same numbers a person reads.
struct BenchReport {
    enum Value {
        case int(Int)
        case number(Double, digits: Int)
        case text(String)
        case bool(Bool)

        var jsonText: String {
            switch self {
            case let .int(value): return String(value)
            case let .number(value, digits): return value.isFinite ? String(format: "%.\(digits)f", value) : "null"
            case let .text(value): return BenchReport.quote(value)
            case let .bool(value): return value ? "true" : "false"
            }
        }

        var plainText: String {
            switch self {
            case let .text(value): return value
            default: return jsonText
            }
        }
    }

    var title: String
    private(set) var items: [(String, Value)] = []

    init(_ title: String) { self.title = title }

    mutating func add(_ key: String, _ value: Value) { items.append((key, value)) }
    mutating func add(_ key: String, _ value: Int) { items.append((key, .int(value))) }
    mutating func add(_ key: String, _ value: Double, digits: Int = 2) { items.append((key, .number(value, digits: digits))) }
    mutating func add(_ key: String, _ value: String) { items.append((key, .text(value))) }

    mutating func add(load result: LoadResult, prefix: String = "") {
        add(prefix + "requestsPerSecond", result.requestsPerSecond, digits: 0)
        add(prefix + "completed", result.completed)
        add(prefix + "non2xx", result.non2xx)
        add(prefix + "errors", result.errors)
        add(prefix + "p50Ms", result.percentile(50), digits: 3)
        add(prefix + "p99Ms", result.percentile(99), digits: 3)
        add(prefix + "p999Ms", result.percentile(99.9), digits: 3)
        add(prefix + "maxMs", result.percentile(100), digits: 3)
        add(prefix + "longestStallMs", result.longestStallMs, digits: 3)
        if result.unsent > 0 { add(prefix + "unsent", result.unsent) }
        if result.poolExhausted { add(prefix + "poolExhausted", .bool(true)) }
        let statuses = result.statusCounts.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        add(prefix + "statuses", statuses)
    }

    func print(json: Bool) {
        if json {
            Swift.print("{" + items.map { "\(Self.quote($0.0)):\($0.1.jsonText)" }.joined(separator: ",") + "}")
        } else {
            Swift.print("== \(title)")
            let width = items.map(\.0.count).max() ?? 0
            for (key, value) in items {
                Swift.print("  " + key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value.plainText)
            }
        }
        fflush(nil)
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// The median of several runs' values (the issue asks for medians, not best runs).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
