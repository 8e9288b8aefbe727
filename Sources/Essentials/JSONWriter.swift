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
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// Writes into a byte buffer: appending bytes is several times cheaper than appending small Strings,
    /// and serialising event JSON was a large share of the intake's CPU time.
    public func bytes(_ value: JSON) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out, level: 0)
        return out
    }

    private func write(_ value: JSON, into out: inout [UInt8], level: Int) {
        switch value {
        case .null: Self.append("null", to: &out)
        case let .bool(b): Self.append(b ? "true" : "false", to: &out)
        case let .number(n): Self.append(n, to: &out)
        case let .string(s): JSONWriter.escape(s, into: &out)
        case let .array(items):
            if items.isEmpty { Self.append("[]", to: &out); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, level + 1)
                write(item, into: &out, level: level + 1)
            }
            newline(&out, level)
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            if members.isEmpty { Self.append("{}", to: &out); return }
            out.append(UInt8(ascii: "{"))
            for (i, (key, item)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, level + 1)
                JSONWriter.escape(key, into: &out)
                Self.append(pretty ? ": " : ":", to: &out)
                write(item, into: &out, level: level + 1)
            }
            newline(&out, level)
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ out: inout [UInt8], _ level: Int) {
        guard pretty else { return }
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<level { Self.append(indent, to: &out) }
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    /// Appends `text` as a JSON string literal.
    public static func escape(_ text: String, into out: inout String) {
        var bytes: [UInt8] = []
        escape(text, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal, as UTF-8 bytes.
    ///
    /// Copies runs of plain bytes at once and writes each escape as bytes: strings that embed JSON (the
    /// OCPP and OSCP message texts) have an escape every few bytes.
    public static func escape(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            var runStart = 0
            var index = 0
            while index < count {
                let byte = base[index]
                // Escapes: `"`, `\`, control characters, and U+2028/U+2029 (E2 80 A8/A9).
                if byte >= 0x20 && byte != 0x22 && byte != 0x5C && byte != 0xE2 {
                    index += 1
                    continue
                }
                let isSeparator = byte == 0xE2 && index + 2 < count && base[index + 1] == 0x80
                    && (base[index + 2] == 0xA8 || base[index + 2] == 0xA9)
                if byte == 0xE2 && !isSeparator {
                    index += 1
                    continue
                }
                if index > runStart {
                    out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: index - runStart))
                }
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22: out.append(UInt8(ascii: "\""))
                case 0x5C: out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0xE2: append(base[index + 2] == 0xA8 ? "u2028" : "u2029", to: &out)
                default:
                    let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                            hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
                }
                index += isSeparator ? 3 : 1
                runStart = index
            }
            if count > runStart {
                out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart))
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSON {
    /// Compact serialisation in stored member order.
    public var compactText: String { JSONWriter().string(self) }
    /// Indented serialisation in stored member order.
    public var prettyText: String { JSONWriter(pretty: true).string(self) }
}
