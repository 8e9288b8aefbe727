/// A strict RFC 8259 parser over raw bytes.
///
/// Strict on purpose: a webhook body is security input. Rejected: duplicate object keys (two parsers
/// could disagree on which one wins), invalid UTF-8, unpaired surrogate escapes, control characters
/// in strings, leading zeros, trailing garbage, and nesting deeper than `maxDepth`.
public struct JSONParser {
    public struct Error: Swift.Error, Equatable, CustomStringConvertible, Sendable {
        public var offset: Int
        public var reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    public var maxDepth: Int

    public init(maxDepth: Int = 64) { self.maxDepth = maxDepth }

    public func parse<C: Collection>(_ bytes: C) throws(Error) -> JSON where C.Element == UInt8 {
        let buffer = Array(bytes)
        return try buffer.withUnsafeBufferPointer { (pointer) throws(Error) -> JSON in
            var cursor = Cursor(bytes: pointer, maxDepth: maxDepth)
            cursor.skipWhitespace()
            let value = try cursor.value(depth: 0)
            cursor.skipWhitespace()
            guard cursor.index == pointer.count else { throw cursor.fail("unexpected data after the value") }
            return value
        }
    }

    public func parse(_ text: String) throws(Error) -> JSON { try parse(Array(text.utf8)) }
}

extension JSON {
    /// Parses strictly with the default limits.
    public static func parse<C: Collection>(_ bytes: C) throws(JSONParser.Error) -> JSON where C.Element == UInt8 {
        try JSONParser().parse(bytes)
    }

    public static func parse(_ text: String) throws(JSONParser.Error) -> JSON { try JSONParser().parse(text) }
}

private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func fail(_ reason: String) -> JSONParser.Error { JSONParser.Error(offset: index, reason: reason) }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONParser.Error) -> JSON {
        guard let byte = current else { throw fail("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParser.Error) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of input") }
        let start = word.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    mutating func object(depth: Int) throws(JSONParser.Error) -> JSON {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
        index += 1
        var members: [(String, JSON)] = []
        // Duplicate keys are refused, by their UTF-8 bytes as every other JSON reader compares them
        // (`hasSameUTF8(as:)`; `==` would also call canonically equivalent keys the same). Small objects
        // (nearly all) are checked by a linear scan; a hash set is only built for large ones (hashing
        // every key of every object showed up in the intake profile).
        var seen: Set<[UInt8]>?
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return .object(members) }
        // One allocation for the usual object instead of growing through capacities 1, 2, 4 and 8.
        members.reserveCapacity(8)
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyOffset = index
            let key = try string()
            let duplicate: Bool
            if seen == nil && members.count < 16 {
                duplicate = members.contains { $0.0.hasSameUTF8(as: key) }
            } else {
                if seen == nil { seen = Set(members.map { Array($0.0.utf8) }) }
                duplicate = seen?.insert(Array(key.utf8)).inserted == false
            }
            guard !duplicate else {
                throw JSONParser.Error(offset: keyOffset, reason: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    mutating func array(depth: Int) throws(JSONParser.Error) -> JSON {
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
        index += 1
        var items: [JSON] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(items)
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    mutating func number() throws(JSONParser.Error) -> String {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, isDigit(first) else { throw fail("invalid number") }
        index += 1
        if first == UInt8(ascii: "0"), let next = current, isDigit(next) { throw fail("leading zero in number") }
        while let c = current, isDigit(c) { index += 1 }
        if current == UInt8(ascii: ".") {
            index += 1
            guard let c = current, isDigit(c) else { throw fail("invalid number fraction") }
            while let c = current, isDigit(c) { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let c = current, isDigit(c) else { throw fail("invalid number exponent") }
            while let c = current, isDigit(c) { index += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    mutating func string() throws(JSONParser.Error) -> String {
        index += 1 // opening quote
        var runStart = index
        var out = ""
        // Fast path: a run of plain ASCII/UTF-8 bytes without escapes is validated and appended at once.
        // Most strings are one ASCII run: they become a String directly, without UTF-8 validation (every
        // byte is below 0x80) and without appending to an empty one.
        var allASCII = true
        let count = bytes.count
        guard let base = bytes.baseAddress else { throw fail("unterminated string") }
        while true {
            // Plain bytes are skipped eight at a time; the byte-wise code below sees only the bytes that
            // end a run (and a tail shorter than a word).
            while index &+ 8 <= count {
                let stop = JSONByteScan.parserStop(JSONByteScan.word(base, index), watchHighBytes: allASCII)
                if stop != 0 {
                    index &+= stop.trailingZeroBitCount &>> 3
                    break
                }
                index &+= 8
            }
            guard index < count else { throw fail("unterminated string") }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                if allASCII && out.isEmpty {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                try flush(&out, from: runStart, to: index)
                index += 1
                return out
            }
            if byte >= 0x80 { allASCII = false }
            if byte < 0x20 { throw fail("control character in string") }
            if byte == UInt8(ascii: "\\") {
                try flush(&out, from: runStart, to: index)
                index += 1
                guard let escape = current else { throw fail("unterminated escape") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""): out.append("\"")
                case UInt8(ascii: "\\"): out.append("\\")
                case UInt8(ascii: "/"): out.append("/")
                case UInt8(ascii: "b"): out.append("\u{08}")
                case UInt8(ascii: "f"): out.append("\u{0C}")
                case UInt8(ascii: "n"): out.append("\n")
                case UInt8(ascii: "r"): out.append("\r")
                case UInt8(ascii: "t"): out.append("\t")
                case UInt8(ascii: "u"):
                    let high = try hex4()
                    if (0xD800...0xDBFF).contains(high) {
                        guard current == UInt8(ascii: "\\"), index + 1 < bytes.count,
                              bytes[index + 1] == UInt8(ascii: "u") else { throw fail("unpaired surrogate") }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
                        let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        guard let scalar = Unicode.Scalar(value) else { throw fail("invalid escape") }
                        out.unicodeScalars.append(scalar)
                    } else if (0xDC00...0xDFFF).contains(high) {
                        throw fail("unpaired surrogate")
                    } else {
                        guard let scalar = Unicode.Scalar(high) else { throw fail("invalid escape") }
                        out.unicodeScalars.append(scalar)
                    }
                default: throw fail("invalid escape")
                }
                runStart = index
                continue
            }
            index += 1
        }
    }

    mutating func hex4() throws(JSONParser.Error) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Appends bytes[from..<to] after validating them as UTF-8.
    func flush(_ out: inout String, from: Int, to: Int) throws(JSONParser.Error) {
        guard from < to else { return }
        let slice = UnsafeBufferPointer(rebasing: bytes[from..<to])
        guard let text = String(validatingUTF8Bytes: slice) else {
            throw JSONParser.Error(offset: from, reason: "invalid UTF-8 in string")
        }
        out += text
    }
}

extension String {
    /// `bytes` as a String when they are valid UTF-8, else `nil` (no repair). Pure ASCII takes a
    /// direct path; the general case uses the standard library's validating initializer.
    init?(validatingUTF8Bytes bytes: UnsafeBufferPointer<UInt8>) {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        if high < 0x80 {
            self = String(decoding: bytes, as: UTF8.self)
            return
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        self = text
    }
}
