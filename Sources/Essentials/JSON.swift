import FoundationEssentials

/// A JSON value that keeps what matters on the wire: object member order and the exact text of numbers.
///
/// Why not `JSONSerialization`/`Codable`: webhook bodies must be judged strictly (duplicate keys, bad
/// UTF-8), config errors must name key paths, and OCPP limits must be written as `16.1`, never as a
/// binary double such as `16.100000000000001`.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written (validated JSON number grammar).
    case number(String)
    case string(String)
    case array([JSON])
    /// Members in document order; keys are unique (the parser rejects duplicates).
    case object([(String, JSON)])

    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b || (Decimal(string: a) == Decimal(string: b) && Decimal(string: a) != nil)
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            return zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

// MARK: - Building

extension JSON {
    /// A number from an integer.
    public static func int<I: BinaryInteger>(_ value: I) -> JSON { .number(String(value)) }

    /// A number from a `Decimal`, written in plain notation (no exponent, no binary noise).
    public static func decimal(_ value: Decimal) -> JSON { .number(DecimalText.plain(value)) }

    /// An object from ordered pairs, dropping `nil` values (absent members).
    public static func members(_ pairs: [(String, JSON?)]) -> JSON {
        .object(pairs.compactMap { key, value in value.map { (key, $0) } })
    }
}

// MARK: - Reading

extension JSON {
    /// The member whose key has exactly these UTF-8 bytes (`hasSameUTF8(as:)`), as every other JSON
    /// reader finds it.
    public subscript(key: String) -> JSON? {
        guard case let .object(members) = self else { return nil }
        return members.first(where: { $0.0.hasSameUTF8(as: key) })?.1
    }

    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    public var arrayValue: [JSON]? {
        if case let .array(a) = self { return a }
        return nil
    }

    public var objectValue: [(String, JSON)]? {
        if case let .object(o) = self { return o }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The number as a `Decimal` (exact for every decimal literal JSON can carry within Decimal's range).
    public var decimalValue: Decimal? {
        guard case let .number(text) = self else { return nil }
        // No Locale: without one the decimal separator is ".", as in the POSIX locale parsed with before.
        return JSON.decimalFromDigits(text) ?? Decimal(string: text)
    }

    /// A JSON number with at most 19 significant digits and a moderate exponent, built from its digits
    /// (`nil` otherwise, or when `text` is not a JSON number). Exact, like `Decimal(string:)`, and several
    /// times faster.
    static func decimalFromDigits(_ text: String) -> Decimal? {
        var utf8 = text.utf8[...]
        var negative = false
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8 = utf8.dropFirst()
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func take(_ byte: UInt8) -> Bool {
            if mantissa == 0 && byte == UInt8(ascii: "0") { return true }  // leading zeros
            guard significantDigits < 19 else { return false }
            mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
            significantDigits += 1
            return true
        }
        while let byte = utf8.first, isDigit(byte) {
            guard take(byte) else { return nil }
            sawDigit = true
            utf8 = utf8.dropFirst()
        }
        guard sawDigit else { return nil }
        if utf8.first == UInt8(ascii: ".") {
            utf8 = utf8.dropFirst()
            var fractionDigits = false
            while let byte = utf8.first, isDigit(byte) {
                guard take(byte) else { return nil }
                exponent -= 1
                fractionDigits = true
                utf8 = utf8.dropFirst()
            }
            guard fractionDigits else { return nil }
        }
        if let byte = utf8.first, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            utf8 = utf8.dropFirst()
            var exponentNegative = false
            if let sign = utf8.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentNegative = sign == UInt8(ascii: "-")
                utf8 = utf8.dropFirst()
            }
            var value = 0
            var exponentDigits = false
            while let byte = utf8.first, isDigit(byte) {
                guard value < 10_000 else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                exponentDigits = true
                utf8 = utf8.dropFirst()
            }
            guard exponentDigits else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard utf8.isEmpty else { return nil }
        if mantissa == 0 { return Decimal(0) }
        guard exponent >= -100, exponent <= 100 else { return nil }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa))
    }

    /// The number as an `Int` when it is integral and in range (`5`, `5.0`, `5e0`), else `nil`.
    public var intValue: Int? {
        guard case let .number(text) = self else { return nil }
        if let exact = Int(text) { return exact }
        guard let d = decimalValue else { return nil }
        return Int(exactly: d)
    }

    public var doubleValue: Double? {
        guard case let .number(text) = self else { return nil }
        return Double(text)
    }

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// Writes `Decimal` values as plain JSON number text.
public enum DecimalText {
    /// `16.1` → "16.1", `16.0` → "16", `1e-7` → "0.0000001"; never an exponent, never binary noise.
    public static func plain(_ value: Decimal) -> String {
        if value.isNaN { return "0" }
        return fromDigits(value) ?? byDescription(value)
    }

    /// The common case (up to 19 significant digits, a moderate exponent) written from the significand
    /// and exponent: `Decimal.description` divides its mantissa by ten digit by digit through heap arrays,
    /// and every cap and power of every event and delivery is formatted. `nil` when out of that range
    /// (or when `DecimalParts` cannot read the mantissa).
    static func fromDigits(_ value: Decimal) -> String? {
        guard let parts = DecimalParts.read(value) else { return nil }
        let exponent = parts.exponent
        guard exponent >= -28, exponent <= 18 else { return nil }
        let mantissa = parts.magnitude
        if mantissa == 0 { return "0" }
        var digits = Array(String(mantissa).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 32)
        if parts.negative { out.append(UInt8(ascii: "-")) }
        if exponent >= 0 {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent))
        } else {
            var fraction = -exponent
            while fraction > 0, digits.last == UInt8(ascii: "0") {
                digits.removeLast()
                fraction -= 1
            }
            if fraction == 0 {
                out.append(contentsOf: digits)
            } else if digits.count > fraction {
                out.append(contentsOf: digits[..<(digits.count - fraction)])
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[(digits.count - fraction)...])
            } else {
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: fraction - digits.count))
                out.append(contentsOf: digits)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The general case, through `Decimal.description`.
    static func byDescription(_ value: Decimal) -> String {
        // Decimal.description is plain notation with a "." (never an exponent; the tests hold it to
        // NSDecimalNumber's POSIX-locale text).
        var text = value.description
        // Byte scans, not `String.contains`: Foundation's substring search cost more than the formatting
        // itself, and this runs for every number of every event and delivery.
        if text.utf8.contains(UInt8(ascii: ".")) {
            var bytes = Array(text.utf8)
            while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
            if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
            text = String(decoding: bytes, as: UTF8.self)
        }
        if text == "-0" { text = "0" }
        return text
    }

    /// Like `plain` but always with exactly `digits` fraction digits (`16` → "16.0" for digits 1).
    public static func fixed(_ value: Decimal, fractionDigits digits: Int) -> String {
        let rounded = value.rounded(scale: digits, mode: .plain)
        var text = plain(rounded)
        guard digits > 0 else { return text }
        if let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: text.index(after: dot), to: text.endIndex)
            if have < digits { text += String(repeating: "0", count: digits - have) }
        } else {
            text += "." + String(repeating: "0", count: digits)
        }
        return text
    }
}
