import Essentials
import FoundationEssentials

/// JSON numbers for caps, capacities and applied values: the same text as `JSON.decimal`, written from
/// exact integers when the value fits (`ScaledDecimal`), else by `JSON.decimal` itself.
///
/// Why: every delivery writes several of these, and `JSON.decimal` reads the mantissa through an
/// `NSDecimalNumber` and compares `Decimal`s before it can print.
public enum DecimalJSON {
    /// `JSON.decimal(value)`, faster.
    public static func number(_ value: Decimal) -> JSON {
        guard let exact = ScaledDecimal(value) else { return .decimal(value) }
        return .number(exact.plainText)
    }
}
