import Essentials

/// Reads fields of SolarNetwork entity JSON the way the server writes them: ids as numbers or numeric
/// strings, missing fields shown as `-`.
///
/// Why tolerant: the OCPP and OSCP entity pages disagree on details (number vs string ids, timestamp
/// forms), and a pre-flight check must not fail on a representation, only on a wrong value.
enum SolarNetworkEntityValue {
    /// A whole number from a JSON number or a numeric string.
    static func integer(_ value: JSON?) -> Int64? {
        switch value {
        case let .number(text)?: return Int64(text)
        case let .string(text)?: return Int64(text.trimmingWhitespace())
        default: return nil
        }
    }

    /// A cell for a table: strings as they are, numbers as written, booleans as true/false, absent as `-`.
    static func display(_ value: JSON?) -> String {
        switch value {
        case let .string(text)?: return text.isEmpty ? "-" : text
        case let .number(text)?: return text
        case let .bool(flag)?: return flag ? "true" : "false"
        case nil, .null?: return "-"
        case let other?: return other.compactText
        }
    }
}
