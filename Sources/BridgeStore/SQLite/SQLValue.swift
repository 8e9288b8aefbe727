import FoundationEssentials

/// A value bound to, or read from, an SQLite statement. Dates are stored as Unix milliseconds.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// Swift values that can be bound as statement parameters.
protocol SQLValueConvertible {
    var sqlValue: SQLValue { get }
}

extension Int64: SQLValueConvertible { var sqlValue: SQLValue { .integer(self) } }
extension Int: SQLValueConvertible { var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Double: SQLValueConvertible { var sqlValue: SQLValue { .real(self) } }
extension String: SQLValueConvertible { var sqlValue: SQLValue { .text(self) } }
extension Array: SQLValueConvertible where Element == UInt8 { var sqlValue: SQLValue { .blob(self) } }
extension Date: SQLValueConvertible { var sqlValue: SQLValue { .integer(unixMilliseconds) } }
extension SQLValue: SQLValueConvertible { var sqlValue: SQLValue { self } }
extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension Date {
    /// Milliseconds since 1970, the store's time representation.
    var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(unixMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000) }
}
