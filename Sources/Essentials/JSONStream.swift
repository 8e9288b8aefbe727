import FoundationEssentials

/// Writes compact JSON straight into bytes, member by member, with the same output as building a
/// `JSON` value and taking its `compactText`.
///
/// Why: the intake serialises one normalised event per request; building the `JSON` tree first (an
/// array and a String per member, all freed right after) cost more than writing the text itself.
public struct JSONStream: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next member or element needs a comma before it.
    private var needsComma = false

    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A member's key; its value follows.
    public mutating func key(_ name: String) {
        separate()
        JSONWriter.escape(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separate()
        JSONWriter.escape(value, into: &bytes)
        needsComma = true
    }

    /// A number exactly as given (the caller's text is already a JSON number).
    public mutating func number(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
        needsComma = true
    }

    public mutating func int<I: BinaryInteger>(_ value: I) { number(String(value)) }

    /// The same for `Int`, with the digits written straight into the buffer (no intermediate String).
    public mutating func int(_ value: Int) {
        separate()
        DecimalDigits.append(value, to: &bytes)
        needsComma = true
    }

    /// `string(Timestamp.format(date, fractional:))`, written without the intermediate String (a
    /// timestamp's text never needs an escape).
    public mutating func timestamp(_ date: Date, fractional: Bool = false) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        Timestamp.append(date, fractional: fractional, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    public mutating func null() { raw("null") }

    /// `string(value)`, or `null` when absent.
    public mutating func stringOrNull(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// A member whose value is a string, left out entirely when `value` is nil (like `JSON.members`).
    public mutating func member(_ name: String, ifPresent value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    private mutating func raw(_ literal: StaticString) {
        separate()
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}
