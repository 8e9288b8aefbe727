import Foundation

/// A strict reader of the Prometheus text exposition format 0.0.4, written from the format's
/// specification (prometheus.io/docs/instrumenting/exposition_formats), to check `GET /metrics`.
///
/// It rejects what Prometheus would reject (bad names, bad escapes, unparsable values, duplicate
/// series, HELP/TYPE after samples or twice) and what is legal but wrong for us (a family split in two,
/// histogram buckets that are not cumulative or whose `+Inf` bucket differs from `_count`).
struct PrometheusExposition {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Family {
        var name: String
        var type = "untyped"
        var help: String?
        var samples: [Sample] = []
    }

    struct Failure: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    private(set) var families: [String: Family] = [:]

    var samples: [Sample] { families.values.flatMap(\.samples) }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    init(_ text: String) throws {
        guard text.isEmpty || text.hasSuffix("\n") else { throw Failure(line: 0, message: "the text must end with a newline") }
        var order: [String] = []
        var closed = Set<String>()
        var seen = Set<String>()
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            lineNumber += 1
            let line = String(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else { continue }  // a comment
                let name = parts[2]
                guard Self.isMetricName(name) else { throw Failure(line: lineNumber, message: "bad metric name \(name)") }
                try open(name, &order, &closed, line: lineNumber)
                var family = families[name] ?? Family(name: name)
                if parts[1] == "HELP" {
                    guard family.help == nil else { throw Failure(line: lineNumber, message: "second HELP for \(name)") }
                    let help = parts.count > 3 ? parts[3] : ""
                    try Self.checkHelpEscapes(help, line: lineNumber)
                    family.help = help
                } else {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw Failure(line: lineNumber, message: "bad TYPE line")
                    }
                    guard family.type == "untyped", family.samples.isEmpty else {
                        throw Failure(line: lineNumber, message: "TYPE for \(name) must come once, before its samples")
                    }
                    family.type = parts[3]
                }
                families[name] = family
                continue
            }
            let sample = try Self.parseSample(line, line: lineNumber)
            let familyName = familyName(of: sample.name)
            try open(familyName, &order, &closed, line: lineNumber)
            var family = families[familyName] ?? Family(name: familyName)
            let key = sample.name + "|" + sample.labels.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            guard seen.insert(key).inserted else { throw Failure(line: lineNumber, message: "duplicate series \(key)") }
            family.samples.append(sample)
            families[familyName] = family
        }
        for family in families.values where family.type == "histogram" { try Self.checkHistogram(family) }
        for family in families.values where family.type == "counter" {
            for sample in family.samples where sample.value < 0 || sample.value.isNaN {
                throw Failure(line: 0, message: "counter \(sample.name) is negative or NaN")
            }
        }
    }

    /// Samples of a family must be contiguous: once another family starts, this one is closed.
    private func open(_ name: String, _ order: inout [String], _ closed: inout Set<String>, line: Int) throws {
        if order.last == name { return }
        guard !closed.contains(name) else { throw Failure(line: line, message: "family \(name) is split") }
        if let previous = order.last { closed.insert(previous) }
        order.append(name)
    }

    private func familyName(of sampleName: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where sampleName.hasSuffix(suffix) {
            let base = String(sampleName.dropLast(suffix.count))
            if let family = families[base], family.type == "histogram" || family.type == "summary" { return base }
        }
        return sampleName
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_", !name.hasPrefix("__") else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
    }

    static func parseValue(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard !text.isEmpty, text.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
            return Double(text)
        }
    }

    private static func checkHelpEscapes(_ help: String, line: Int) throws {
        var escaping = false
        for character in help {
            if escaping {
                guard character == "\\" || character == "n" else { throw Failure(line: line, message: "bad escape in HELP") }
                escaping = false
            } else if character == "\\" {
                escaping = true
            }
        }
        guard !escaping else { throw Failure(line: line, message: "dangling backslash in HELP") }
    }

    /// `name{label="value",…} value [timestamp]`
    static func parseSample(_ line: String, line number: Int) throws -> Sample {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        var name = ""
        while index < scalars.count, scalars[index] != "{", scalars[index] != " " {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        guard isMetricName(name) else { throw Failure(line: number, message: "bad metric name \(name)") }
        var labels: [String: String] = [:]
        if index < scalars.count, scalars[index] == "{" {
            index += 1
            while true {
                guard index < scalars.count else { throw Failure(line: number, message: "unterminated labels") }
                if scalars[index] == "}" { index += 1; break }
                var labelName = ""
                while index < scalars.count, scalars[index] != "=" {
                    labelName.unicodeScalars.append(scalars[index])
                    index += 1
                }
                guard isLabelName(labelName) else { throw Failure(line: number, message: "bad label name \(labelName)") }
                guard index + 1 < scalars.count, scalars[index] == "=", scalars[index + 1] == "\"" else {
                    throw Failure(line: number, message: "label \(labelName) needs =\"…\"")
                }
                index += 2
                var value = ""
                while true {
                    guard index < scalars.count else { throw Failure(line: number, message: "unterminated label value") }
                    let scalar = scalars[index]
                    index += 1
                    if scalar == "\"" { break }
                    if scalar == "\\" {
                        guard index < scalars.count else { throw Failure(line: number, message: "dangling escape") }
                        switch scalars[index] {
                        case "\\": value += "\\"
                        case "\"": value += "\""
                        case "n": value += "\n"
                        default: throw Failure(line: number, message: "bad escape in label value")
                        }
                        index += 1
                    } else {
                        value.unicodeScalars.append(scalar)
                    }
                }
                guard labels.updateValue(value, forKey: labelName) == nil else {
                    throw Failure(line: number, message: "label \(labelName) twice")
                }
                if index < scalars.count, scalars[index] == "," { index += 1 }
            }
        }
        let rest = String(String.UnicodeScalarView(scalars[index...])).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard rest.count == 1 || rest.count == 2, let value = parseValue(rest[0]) else {
            throw Failure(line: number, message: "bad value in \(line)")
        }
        if rest.count == 2, Int64(rest[1]) == nil { throw Failure(line: number, message: "bad timestamp") }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func checkHistogram(_ family: Family) throws {
        var groups: [String: [(le: Double, count: Double)]] = [:]
        func key(_ labels: [String: String]) -> String {
            labels.filter { $0.key != "le" }.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
        for sample in family.samples {
            switch sample.name {
            case family.name + "_bucket":
                guard let le = sample.labels["le"].flatMap(parseValue) else {
                    throw Failure(line: 0, message: "\(family.name) bucket without a numeric le")
                }
                groups[key(sample.labels), default: []].append((le, sample.value))
            case family.name + "_sum", family.name + "_count":
                break
            default:
                throw Failure(line: 0, message: "\(sample.name) does not belong to histogram \(family.name)")
            }
        }
        for (labels, buckets) in groups {
            guard buckets.map(\.le) == buckets.map(\.le).sorted() else {
                throw Failure(line: 0, message: "\(family.name){\(labels)} buckets are not in increasing le order")
            }
            guard zip(buckets, buckets.dropFirst()).allSatisfy({ $0.count <= $1.count }) else {
                throw Failure(line: 0, message: "\(family.name){\(labels)} buckets are not cumulative")
            }
            guard let last = buckets.last, last.le == .infinity else {
                throw Failure(line: 0, message: "\(family.name){\(labels)} has no +Inf bucket")
            }
            let count = family.samples.first { $0.name == family.name + "_count" && key($0.labels) == labels }?.value
            let sum = family.samples.first { $0.name == family.name + "_sum" && key($0.labels) == labels }
            guard count == last.count, sum != nil else {
                throw Failure(line: 0, message: "\(family.name){\(labels)} +Inf bucket differs from _count, or _sum is missing")
            }
        }
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) }
    var isASCIIDigit: Bool { (0x30...0x39).contains(value) }
}
