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
    /// Two tight passes: count the bytes the literal needs, then write them into a buffer of that size.
    /// Strings that embed JSON (the OCPP and OSCP message texts, escaped once in the request body and
    /// again in the stored request) have an escape every few bytes, and appending byte by byte was a
    /// sixth of the planner's work.
    public static func escape(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else {
                out.append(UInt8(ascii: "\""))
                out.append(UInt8(ascii: "\""))
                return
            }
            let count = bytes.count
            var extra = 0
            var index = 0
            while index < count {
                let byte = base[index]
                if byte < 0x20 {
                    extra += shortEscape(byte) != 0 ? 1 : 5
                } else if byte == 0x22 || byte == 0x5C {
                    extra += 1
                } else if byte == 0xE2, isLineSeparator(base, index, count) {
                    extra += 3  // 3 bytes become 6 (\u2028)
                    index += 2
                }
                index += 1
            }
            if extra == 0 {
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: bytes)
                out.append(UInt8(ascii: "\""))
                return
            }
            let literal = [UInt8](unsafeUninitializedCapacity: count + extra + 2) { target, written in
                var at = 0
                target[at] = UInt8(ascii: "\"")
                at += 1
                var index = 0
                while index < count {
                    let byte = base[index]
                    if byte >= 0x20 && byte != 0x22 && byte != 0x5C
                        && !(byte == 0xE2 && isLineSeparator(base, index, count)) {
                        target[at] = byte
                        at += 1
                        index += 1
                        continue
                    }
                    target[at] = UInt8(ascii: "\\")
                    at += 1
                    if byte == 0xE2 {
                        // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) as \u2028 / \u2029.
                        for digit in [UInt8(ascii: "u"), UInt8(ascii: "2"), UInt8(ascii: "0"), UInt8(ascii: "2"),
                                      base[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")] {
                            target[at] = digit
                            at += 1
                        }
                        index += 3
                        continue
                    }
                    let short = byte < 0x20 ? shortEscape(byte) : byte
                    if short != 0 {
                        target[at] = short
                        at += 1
                    } else {
                        let hex = Array("0123456789abcdef".utf8)
                        for digit in [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]] {
                            target[at] = digit
                            at += 1
                        }
                    }
                    index += 1
                }
                target[at] = UInt8(ascii: "\"")
                written = at + 1
            }
            out.append(contentsOf: literal)
        }
    }

    /// The letter after the backslash for control characters with a short escape, else 0.
    private static func shortEscape(_ byte: UInt8) -> UInt8 {
        switch byte {
        case 0x0A: return UInt8(ascii: "n")
        case 0x0D: return UInt8(ascii: "r")
        case 0x09: return UInt8(ascii: "t")
        case 0x08: return UInt8(ascii: "b")
        case 0x0C: return UInt8(ascii: "f")
        default: return 0
        }
    }

    /// Whether the bytes at `index` are U+2028 or U+2029 (E2 80 A8 / E2 80 A9).
    private static func isLineSeparator(_ base: UnsafePointer<UInt8>, _ index: Int, _ count: Int) -> Bool {
        index + 2 < count && base[index + 1] == 0x80 && (base[index + 2] == 0xA8 || base[index + 2] == 0xA9)
    }
}

extension JSON {
    /// Compact serialisation in stored member order.
    public var compactText: String { JSONWriter().string(self) }
    /// Indented serialisation in stored member order.
    public var prettyText: String { JSONWriter(pretty: true).string(self) }
}
