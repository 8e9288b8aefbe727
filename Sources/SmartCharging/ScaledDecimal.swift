import Essentials
import FoundationEssentials

/// An exact decimal `units × 10^-scale` in an `Int64`: the fast path of the cap arithmetic.
///
/// Why: Foundation `Decimal` multiplies, divides and rounds through heap-allocated digit arrays, and a
/// quarter of the planner's time went there. Caps, voltages and currents have a few digits, so plain
/// integers hold them exactly. Every operation here is exact or answers `nil` (overflow, more than
/// `maxScale` fraction digits, NaN, a mantissa wider than 64 bits), and callers then run the original
/// `Decimal` code (`DecimalReference`), so results never differ from it.
struct ScaledDecimal: Equatable {
    /// The value times `10^scale`.
    var units: Int64
    /// Fraction digits, `0…maxScale`.
    var scale: Int

    static let maxScale = 18
    static let zero = ScaledDecimal(units: 0, scale: 0)

    init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// The exact value of `value`, or `nil` when it does not fit.
    @inline(__always)
    init?(_ value: Decimal) {
        guard let parts = DecimalParts.read(value), parts.magnitude <= UInt64(Int64.max) else { return nil }
        var magnitude = Int64(parts.magnitude)
        var scale = 0
        if parts.exponent >= 0 {
            guard parts.exponent <= ScaledDecimal.maxScale,
                  let scaled = ScaledDecimal.times(magnitude, powerOfTen: parts.exponent) else { return nil }
            magnitude = scaled
        } else {
            scale = -parts.exponent
            while scale > ScaledDecimal.maxScale, magnitude % 10 == 0 {
                magnitude /= 10
                scale -= 1
            }
            guard scale <= ScaledDecimal.maxScale else { return nil }
        }
        self.init(units: parts.negative ? -magnitude : magnitude, scale: scale)
    }

    /// The same value as a `Decimal`.
    var decimal: Decimal {
        if units == 0 { return Decimal() }
        return Decimal(sign: units < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(units.magnitude))
    }

    var signum: Int64 { units.signum() }

    // MARK: Powers of ten

    static let powers: [Int64] = {
        var powers: [Int64] = [1]
        for _ in 1 ... maxScale { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// `value × 10^power`, or `nil` on overflow.
    @inline(__always)
    static func times(_ value: Int64, powerOfTen power: Int) -> Int64? {
        guard power >= 0, power <= maxScale else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: powers[power])
        return overflow ? nil : product
    }

    /// The units at `scale` (≥ self.scale), or `nil` on overflow.
    @inline(__always)
    func units(atScale target: Int) -> Int64? {
        target == scale ? units : ScaledDecimal.times(units, powerOfTen: target - scale)
    }

    // MARK: Comparison

    /// `-1`, `0` or `1` as `a` is below, equal to or above `b`; `nil` when the two cannot be aligned.
    @inline(__always)
    static func compare(_ a: ScaledDecimal, _ b: ScaledDecimal) -> Int? {
        let scale = max(a.scale, b.scale)
        guard let x = a.units(atScale: scale), let y = b.units(atScale: scale) else { return nil }
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    /// The smaller of `a` and `b`.
    @inline(__always)
    static func min(_ a: ScaledDecimal, _ b: ScaledDecimal) -> ScaledDecimal? {
        guard let order = compare(a, b) else { return nil }
        return order <= 0 ? a : b
    }

    // MARK: Arithmetic

    /// `a × b`, exact.
    @inline(__always)
    static func product(_ a: ScaledDecimal, _ b: ScaledDecimal) -> ScaledDecimal? {
        let (units, overflow) = a.units.multipliedReportingOverflow(by: b.units)
        guard !overflow else { return nil }
        var result = ScaledDecimal(units: units, scale: a.scale + b.scale)
        while result.scale > maxScale, result.units % 10 == 0 {
            result.units /= 10
            result.scale -= 1
        }
        return result.scale <= maxScale ? result : nil
    }

    /// `a × n`, exact.
    @inline(__always)
    static func product(_ a: ScaledDecimal, _ n: Int) -> ScaledDecimal? {
        product(a, ScaledDecimal(units: Int64(n), scale: 0))
    }

    /// `self` rounded toward −∞ to `digits` fraction digits.
    @inline(__always)
    func floor(digits: Int) -> ScaledDecimal? {
        if scale <= digits {
            return units(atScale: digits).map { ScaledDecimal(units: $0, scale: digits) }
        }
        let divisor = ScaledDecimal.powers[scale - digits]
        return ScaledDecimal(units: ScaledDecimal.floorDivide(units, divisor), scale: digits)
    }

    /// `self` rounded toward +∞ to `digits` fraction digits.
    @inline(__always)
    func ceiling(digits: Int) -> ScaledDecimal? {
        if scale <= digits {
            return units(atScale: digits).map { ScaledDecimal(units: $0, scale: digits) }
        }
        let divisor = ScaledDecimal.powers[scale - digits]
        return ScaledDecimal(units: -ScaledDecimal.floorDivide(-units, divisor), scale: digits)
    }

    /// `a ÷ b` rounded toward −∞ to `digits` fraction digits (`b` > 0). `nil` when the scaled numerator
    /// or denominator overflows: the quotient is then left to `Decimal`.
    @inline(__always)
    static func floorQuotient(_ a: ScaledDecimal, _ b: ScaledDecimal, digits: Int) -> ScaledDecimal? {
        guard b.units > 0, let numerator = times(a.units, powerOfTen: b.scale + digits),
              let denominator = times(b.units, powerOfTen: a.scale) else { return nil }
        return ScaledDecimal(units: floorDivide(numerator, denominator), scale: digits)
    }

    /// `⌊x ÷ d⌋` for `d > 0`.
    @inline(__always)
    static func floorDivide(_ x: Int64, _ d: Int64) -> Int64 {
        let q = x / d
        return (x % d != 0 && x < 0) ? q - 1 : q
    }

    // MARK: Text

    /// Plain JSON number text, identical to `DecimalText.plain` for the same value: no exponent, trailing
    /// fraction zeros dropped, `0` for zero. Written into one string buffer (at most 1 + 19 + 1 + 18 bytes).
    var plainText: String {
        if units == 0 { return "0" }
        let magnitude = units.magnitude
        let divisor = UInt64(ScaledDecimal.powers[scale])
        let whole = magnitude / divisor
        var fraction = magnitude % divisor
        var fractionDigits = fraction == 0 ? 0 : scale
        while fractionDigits > 0, fraction % 10 == 0 {
            fraction /= 10
            fractionDigits -= 1
        }
        return Self.text(negative: units < 0, whole: whole, fraction: fraction, fractionDigits: fractionDigits)
    }

    /// `[-]whole[.fraction]` with `fraction` written as exactly `fractionDigits` digits (none: no point).
    private static func text(negative: Bool, whole: UInt64, fraction: UInt64, fractionDigits: Int) -> String {
        var whole = whole
        var fraction = fraction
        var wholeDigits = 1
        var rest = whole / 10
        while rest > 0 { wholeDigits += 1; rest /= 10 }
        let count = (negative ? 1 : 0) + wholeDigits + (fractionDigits > 0 ? 1 + fractionDigits : 0)
        return String(unsafeUninitializedCapacity: count) { buffer in
            var end = count
            for _ in 0 ..< fractionDigits {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
            }
            if fractionDigits > 0 {
                end -= 1
                buffer[end] = UInt8(ascii: ".")
            }
            for _ in 0 ..< wholeDigits {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(whole % 10)
                whole /= 10
            }
            if negative { buffer[0] = UInt8(ascii: "-") }
            return count
        }
    }

    /// Text with exactly one fraction digit for a number of tenths (`161` → `16.1`, `100` → `10.0`).
    static func tenthsText(_ tenths: Int64) -> String {
        text(negative: tenths < 0, whole: tenths.magnitude / 10, fraction: tenths.magnitude % 10, fractionDigits: 1)
    }
}
