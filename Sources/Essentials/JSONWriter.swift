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
    /// Most strings need no escape at all: a word-at-a-time scan (`JSONByteScan`) finds that out and the
    /// string is appended in one go. Otherwise two passes: count the bytes the literal needs, then write
    /// it into a buffer of that size, copying the plain runs between escapes whole. Strings that embed
    /// JSON (the OCPP and OSCP message texts, escaped once in the request body and again in the stored
    /// request) have an escape every few bytes, and appending byte by byte was a sixth of the planner's work.
    public static func escape(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else {
                out.append(UInt8(ascii: "\""))
                out.append(UInt8(ascii: "\""))
                return
            }
            let count = bytes.count
            let first = JSONByteScan.nextWriterStop(base, from: 0, count: count)
            var extra = 0
            var index = first
            while index < count {
                let byte = base[index]
                if byte < 0x20 {
                    extra += shortEscape(byte) != 0 ? 1 : 5
                } else if byte == 0xE2 {
                    if isLineSeparator(base, index, count) {
                        extra += 3  // 3 bytes become 6 (\u2028)
                        index += 2
                    }
                } else {
                    extra += 1  // `"` or `\`
                }
                index = JSONByteScan.nextWriterStop(base, from: index + 1, count: count)
            }
            if extra == 0 {
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: bytes)
                out.append(UInt8(ascii: "\""))
                return
            }
            let literal = [UInt8](unsafeUninitializedCapacity: count + extra + 2) { target, written in
                guard let targetBase = target.baseAddress else { return }
                var at = 0
                targetBase[at] = UInt8(ascii: "\"")
                at += 1
                var index = 0
                var stop = first
                while true {
                    // The plain run before the next byte that may need an escape, copied whole.
                    (targetBase + at).initialize(from: base + index, count: stop - index)
                    at += stop - index
                    index = stop
                    guard index < count else { break }
                    let byte = base[index]
                    if byte == 0xE2 {
                        if isLineSeparator(base, index, count) {
                            // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) as \u2028 / \u2029.
                            for byte in "\\u202".utf8 { put(targetBase, &at, byte) }
                            put(targetBase, &at, base[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                            index += 3
                        } else {
                            put(targetBase, &at, byte)
                            index += 1
                        }
                    } else {
                        let short = byte < 0x20 ? shortEscape(byte) : byte
                        if short != 0 {
                            put(targetBase, &at, UInt8(ascii: "\\"))
                            put(targetBase, &at, short)
                        } else {
                            for byte in "\\u00".utf8 { put(targetBase, &at, byte) }
                            put(targetBase, &at, hexDigit(byte >> 4))
                            put(targetBase, &at, hexDigit(byte & 0x0F))
                        }
                        index += 1
                    }
                    stop = JSONByteScan.nextWriterStop(base, from: index, count: count)
                }
                targetBase[at] = UInt8(ascii: "\"")
                written = at + 1
            }
            out.append(contentsOf: literal)
        }
    }

    /// Writes `byte` at `target + at` and advances `at`.
    @inline(__always)
    private static func put(_ target: UnsafeMutablePointer<UInt8>, _ at: inout Int, _ byte: UInt8) {
        target[at] = byte
        at += 1
    }

    /// A lowercase hex digit for `nibble` (0...15).
    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
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
