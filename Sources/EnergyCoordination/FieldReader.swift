import Essentials
import FoundationEssentials

/// A JSON value together with its path in the document, so every type error names the field
/// (`event.intervalPeriod.duration: not a duration`).
///
/// Why: senders differ in small ways; a precise reason in the 400 response is what lets an operator fix
/// the sender or report the dialect difference. `null` counts as absent (all v1 fields are nullable).
struct FieldReader {
    var value: JSON
    /// Where this value is. The path itself is only spelled out when it is needed (an error or a note):
    /// most fields are read once and are fine, and building every parent's path string for each child
    /// read was a tenth of decoding a webhook.
    private let location: Location
    /// This reader's own location, boxed once for an object or array so that every child shares it
    /// (`nil` for other values, which have no children).
    private let node: PathNode?

    private enum Location: Sendable {
        case root(String)
        case member(PathNode, String)
        case element(PathNode, Int)
    }

    /// A container's location, referenced by its children. Why a class: a child keeps its parent's place
    /// for a path it will most likely never spell out, at the cost of a reference, not a String.
    private final class PathNode: Sendable {
        let location: Location

        init(_ location: Location) { self.location = location }
    }

    init(_ value: JSON, path: String = "") {
        self.init(value, location: .root(path))
    }

    private init(_ value: JSON, location: Location) {
        self.value = value
        self.location = location
        switch value {
        case .object, .array: node = PathNode(location)
        default: node = nil
        }
    }

    /// Where this value is in the document (`event.intervalPeriod.duration`, `targets[2]`).
    var path: String { Self.path(of: location) }

    private static func path(of location: Location) -> String {
        switch location {
        case let .root(path): return path
        case let .member(parent, key):
            let parentPath = path(of: parent.location)
            return parentPath.isEmpty ? key : parentPath + "." + key
        case let .element(parent, index): return path(of: parent.location) + "[" + String(index) + "]"
        }
    }

    /// The location children of this value hang from.
    private var parentNode: PathNode { node ?? PathNode(location) }

    func childPath(_ key: String) -> String {
        let path = self.path
        return path.isEmpty ? key : path + "." + key
    }

    /// The member `key`, or `nil` when it is absent or `null`.
    func optional(_ key: String) -> FieldReader? {
        guard let member = value[key], !member.isNull else { return nil }
        return FieldReader(member, location: .member(parentNode, key))
    }

    /// The first of several spellings that is present (`id` / `ID`).
    func optional(anyOf keys: [String]) -> FieldReader? {
        for key in keys {
            if let found = optional(key) { return found }
        }
        return nil
    }

    func required(_ key: String) throws(DecodeError) -> FieldReader {
        guard let found = optional(key) else { throw DecodeError.field(childPath(key), "missing") }
        return found
    }

    func required(anyOf keys: [String]) throws(DecodeError) -> FieldReader {
        guard let found = optional(anyOf: keys) else {
            throw DecodeError.field(childPath(keys.first ?? ""), "missing")
        }
        return found
    }

    func has(_ key: String) -> Bool { value[key] != nil }

    func fail(_ message: String) -> DecodeError { DecodeError.field(path, message) }

    private func expected(_ what: String) -> DecodeError { fail("expected \(what), got \(value.typeName)") }

    var isObject: Bool { value.objectValue != nil }

    func object() throws(DecodeError) -> FieldReader {
        guard value.objectValue != nil else { throw expected("an object") }
        return self
    }

    func string() throws(DecodeError) -> String {
        guard let text = value.stringValue else { throw expected("a string") }
        return text
    }

    /// An identifier: a non-empty string.
    func identifier() throws(DecodeError) -> String {
        let text = try string()
        guard !text.isEmpty else { throw fail("must not be empty") }
        return text
    }

    func bool() throws(DecodeError) -> Bool {
        guard let flag = value.boolValue else { throw expected("a boolean") }
        return flag
    }

    func int() throws(DecodeError) -> Int {
        guard case .number = value else { throw expected("an integer") }
        guard let number = value.intValue else { throw fail("expected an integer") }
        return number
    }

    func decimal() throws(DecodeError) -> Decimal {
        guard case .number = value else { throw expected("a number") }
        guard let number = value.decimalValue, !number.isNaN else { throw fail("number out of range") }
        return number
    }

    /// A cap: zero or more, times `factor` (unit conversion: 1 or 1000), still a finite Decimal.
    ///
    /// Every webhook carries one, so it avoids `Decimal` arithmetic it does not need: the sign is read
    /// instead of compared (`decimal()` has refused NaN, the only other value with a sign), and a factor
    /// of 1 multiplies nothing (a `Decimal` product and each comparison cost thousands of instructions).
    func cap(times factor: Int) throws(DecodeError) -> Decimal {
        let number = try decimal()
        guard number.sign == .plus || number.isZero else { throw fail("must not be negative") }
        let product = factor == 1 ? number : number * Decimal(factor)
        guard !product.isNaN, product < FieldReader.largestCap else { throw fail("number out of range") }
        return product
    }

    /// Caps at or above this (in W or A) are refused as nonsense rather than carried downstream.
    static let largestCap = Decimal(sign: .plus, exponent: 30, significand: 1)

    func array() throws(DecodeError) -> [FieldReader] {
        guard let items = value.arrayValue else { throw expected("an array") }
        let parent = parentNode
        return items.enumerated().map { FieldReader($0.element, location: .element(parent, $0.offset)) }
    }

    /// An RFC 3339 timestamp with a zone, normalised to what the event JSON can carry exactly.
    func timestamp() throws(DecodeError) -> Date {
        let text = try string()
        guard let date = Timestamp.parse(text) else {
            throw fail("not an RFC 3339 timestamp with a zone (\(DecodeError.snippet(text)))")
        }
        return try representable(date, text)
    }

    /// The canonical (millisecond) form of `date`, refused when that form cannot be stored and read back
    /// (a time within the last millisecond of year 9999 rounds into year 10000).
    private func representable(_ date: Date, _ text: String) throws(DecodeError) -> Date {
        guard let canonical = EventTime.representable(date) else {
            throw fail("outside the supported range of years 0001 to 9999 (\(DecodeError.snippet(text)))")
        }
        return canonical
    }

    /// A schedule start: `0001-01-01…` means now (OpenADR convention; a zone may be left out there).
    func scheduleStart() throws(DecodeError) -> ScheduleStart {
        let text = try string()
        if text.hasPrefix("0001-01-01"), Timestamp.parse(text, assumeUTC: true) != nil { return .now }
        guard let date = Timestamp.parse(text) else {
            throw fail("not an RFC 3339 timestamp with a zone (\(DecodeError.snippet(text)))")
        }
        return .at(try representable(date, text))
    }

    func duration() throws(DecodeError) -> EventDuration.Value {
        let text = try string()
        guard let parsed = EventDuration.parse(text) else {
            throw fail("not a duration (\(DecodeError.snippet(text)))")
        }
        return parsed
    }

    /// A duration that must end: whole seconds.
    func finiteDuration() throws(DecodeError) -> Int {
        guard case let .seconds(seconds) = try duration() else { throw fail("must not be open-ended") }
        return seconds
    }
}

/// Time helpers shared by the decoders and the event JSON.
enum EventTime {
    /// The date as the event JSON writes and reads it (millisecond precision), so a round trip is exact.
    static func canonical(_ date: Date) -> Date {
        Timestamp.millisecondRoundTrip(date) ?? date
    }

    /// The canonical form when it survives a write and a read, else `nil`.
    static func representable(_ date: Date) -> Date? {
        Timestamp.millisecondRoundTrip(date)
    }

    static func text(_ date: Date) -> String { Timestamp.format(date, fractional: true) }

    /// Whole seconds from `from` to `to`, rounded to the nearest second; `nil` when out of range.
    static func seconds(from: Date, to: Date) -> Int? {
        let difference = (to.timeIntervalSince1970 - from.timeIntervalSince1970).rounded()
        guard difference.isFinite, abs(difference) < 1e15 else { return nil }
        return Int(difference)
    }
}
