import FoundationEssentials

extension Int {
    /// `value` when it is a whole number within `Int`'s range (`5`, `5.0`, `5e2`), else `nil` (fractions,
    /// out-of-range values, NaN).
    ///
    /// Why: FoundationEssentials has no `NSDecimalNumber(decimal:).intValue`, and the standard
    /// `Int(exactly:)` takes only binary integers and floating point.
    public init?(exactly value: Decimal) {
        guard let parts = DecimalParts.readWide(value) else { return nil }
        var magnitude = parts.magnitude
        var exponent = parts.exponent
        if magnitude != 0 {
            while exponent < 0 {
                guard magnitude % 10 == 0 else { return nil }
                magnitude /= 10
                exponent += 1
            }
            while exponent > 0 {
                guard magnitude <= UInt128(UInt64.max) else { return nil }
                magnitude *= 10
                exponent -= 1
            }
        }
        guard let narrow = UInt64(exactly: magnitude) else { return nil }
        let signed = parts.negative ? -Int128(narrow) : Int128(narrow)
        guard let result = Int(exactly: signed) else { return nil }
        self = result
    }
}
