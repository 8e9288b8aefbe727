import FoundationEssentials

/// An error in a configuration or input document, naming the key path (`targets[2].maxCurrent`).
public struct ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Reads one JSON object of a configuration document, tracking its key path for error messages and
/// which keys were read, so that unknown keys can be reported (`finish()`).
///
/// Usage: `var r = try ConfigObject(json, path: "listen"); let port = try r.int("port", default: 8080); try r.finish()`.
public struct ConfigObject {
    public let path: String
    private let members: [(String, JSON)]
    /// Keys read or ignored, by their UTF-8 bytes: keys compare as the JSON parser compares them
    /// (`hasSameUTF8(as:)`), so a key that only looks like a known one is reported as unknown.
    private var used = Set<[UInt8]>()

    public init(_ json: JSON, path: String) throws(ConfigError) {
        guard case let .object(members) = json else {
            throw ConfigError(path: path, message: "expected an object, found \(json.typeName)")
        }
        self.path = path
        self.members = members
    }

    public func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public var keys: [String] { members.map(\.0) }

    public func has(_ key: String) -> Bool { members.contains { $0.0.hasSameUTF8(as: key) } }

    /// The raw value of `key`, marking it as read. `null` counts as absent.
    public mutating func value(_ key: String) -> JSON? {
        used.insert(Array(key.utf8))
        guard let value = members.first(where: { $0.0.hasSameUTF8(as: key) })?.1, !value.isNull else { return nil }
        return value
    }

    public mutating func required(_ key: String) throws(ConfigError) -> JSON {
        guard let value = value(key) else { throw ConfigError(path: childPath(key), message: "is required") }
        return value
    }

    public mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = value(key) else { return nil }
        guard case let .string(s) = value else { throw typeError(key, "a string", value) }
        return s
    }

    public mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let s = try string(key) else { throw ConfigError(path: childPath(key), message: "is required") }
        guard !s.isEmpty else { throw ConfigError(path: childPath(key), message: "must not be empty") }
        return s
    }

    /// A string or a number, returned as text (ids that operators write either way, e.g. `"5"` or `5`).
    public mutating func identifier(_ key: String) throws(ConfigError) -> String? {
        guard let value = value(key) else { return nil }
        switch value {
        case let .string(s) where !s.isEmpty: return s
        case let .number(n) where Int(n) != nil: return n
        default: throw typeError(key, "a non-empty string or an integer", value)
        }
    }

    public mutating func int(_ key: String, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let i = value.intValue else { throw typeError(key, "an integer", value) }
        if let range, !range.contains(i) {
            throw ConfigError(path: childPath(key), message: "must be between \(range.lowerBound) and \(range.upperBound), found \(i)")
        }
        return i
    }

    public mutating func int(_ key: String, default fallback: Int, range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int {
        try int(key, range: range) ?? fallback
    }

    public mutating func decimal(_ key: String) throws(ConfigError) -> Decimal? {
        guard let value = value(key) else { return nil }
        guard let d = value.decimalValue else { throw typeError(key, "a number", value) }
        return d
    }

    /// A number > 0.
    public mutating func positiveDecimal(_ key: String) throws(ConfigError) -> Decimal? {
        guard let d = try decimal(key) else { return nil }
        guard d > 0 else { throw ConfigError(path: childPath(key), message: "must be greater than 0, found \(DecimalText.plain(d))") }
        return d
    }

    /// A number of seconds (may be fractional) ≥ 0.
    public mutating func seconds(_ key: String, default fallback: Double) throws(ConfigError) -> Double {
        guard let value = value(key) else { return fallback }
        guard let d = value.doubleValue, d >= 0, d.isFinite else { throw typeError(key, "a number of seconds ≥ 0", value) }
        return d
    }

    public mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case let .bool(b) = value else { throw typeError(key, "true or false", value) }
        return b
    }

    public mutating func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        try bool(key) ?? fallback
    }

    /// One of `allowed` (exact spelling).
    public mutating func choice(_ key: String, _ allowed: [String]) throws(ConfigError) -> String? {
        guard let s = try string(key) else { return nil }
        guard allowed.contains(s) else {
            throw ConfigError(path: childPath(key), message: "must be one of \(allowed.joined(separator: ", ")), found \"\(s)\"")
        }
        return s
    }

    public mutating func object(_ key: String) throws(ConfigError) -> ConfigObject? {
        guard let value = value(key) else { return nil }
        return try ConfigObject(value, path: childPath(key))
    }

    public mutating func array(_ key: String) throws(ConfigError) -> [JSON]? {
        guard let value = value(key) else { return nil }
        guard case let .array(items) = value else { throw typeError(key, "an array", value) }
        return items
    }

    public mutating func secret(_ key: String) throws(ConfigError) -> SecretReference? {
        guard let value = value(key) else { return nil }
        return try SecretReference(json: value, path: childPath(key))
    }

    /// Throws for the first key that was never read: unknown keys are errors, not silently ignored.
    public func finish() throws(ConfigError) {
        for (key, _) in members where !used.contains(Array(key.utf8)) {
            throw ConfigError(path: childPath(key), message: "unknown key")
        }
    }

    /// Marks keys as known without reading them (accepted and ignored).
    public mutating func ignore(_ keys: String...) {
        for key in keys { used.insert(Array(key.utf8)) }
    }

    private func typeError(_ key: String, _ expected: String, _ found: JSON) -> ConfigError {
        ConfigError(path: childPath(key), message: "expected \(expected), found \(found.typeName)")
    }
}
