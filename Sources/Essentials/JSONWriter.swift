/// Serialises `JSON` deterministically: members in their stored order, numbers as stored, strings
/// escaped minimally (`"`, `\`, control characters; `/` and non-ASCII are written as is).
public struct JSONWriter: Sendable {
    public var pretty: Bool
    public var indent: String

    public init(pretty: Bool = false, indent: String = "  ") {
        self.pretty = pretty
        self.indent = indent
    }

    public func string(_ value: JSON) -> String {
        var out = ""
        write(value, into: &out, level: 0)
        return out
    }

    public func bytes(_ value: JSON) -> [UInt8] { Array(string(value).utf8) }

    private func write(_ value: JSON, into out: inout String, level: Int) {
        switch value {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(n): out += n
        case let .string(s): JSONWriter.escape(s, into: &out)
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(&out, level + 1)
                write(item, into: &out, level: level + 1)
            }
            newline(&out, level)
            out += "]"
        case let .object(members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, item)) in members.enumerated() {
                if i > 0 { out += "," }
                newline(&out, level + 1)
                JSONWriter.escape(key, into: &out)
                out += pretty ? ": " : ":"
                write(item, into: &out, level: level + 1)
            }
            newline(&out, level)
            out += "}"
        }
    }

    private func newline(_ out: inout String, _ level: Int) {
        guard pretty else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    /// Appends `text` as a JSON string literal.
    public static func escape(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension JSON {
    /// Compact serialisation in stored member order.
    public var compactText: String { JSONWriter().string(self) }
    /// Indented serialisation in stored member order.
    public var prettyText: String { JSONWriter(pretty: true).string(self) }
}
