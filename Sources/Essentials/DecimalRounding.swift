import FoundationEssentials

extension Decimal {
    /// Rounds to `scale` fraction digits (a negative `scale` rounds to tens, hundreds, …) with `mode`:
    /// `.plain` rounds halves away from zero, `.bankers` rounds halves to even, `.down` rounds toward
    /// negative infinity and `.up` toward positive infinity (for negative values too).
    ///
    /// Why here: FoundationEssentials has `Decimal.RoundingMode` but not `NSDecimalRound`, and linking all
    /// of Foundation for it costs megabytes of resident memory. This gives the same `Decimal` as
    /// `NSDecimalRound` (value, sign, exponent and significand; checked against it in the tests), by
    /// integer arithmetic on the mantissa: a value that needs no rounding is returned as it is, and a
    /// rounded one in compact form. NaN stays NaN, and so does a result no `Decimal` exponent can hold
    /// (a `scale` below -127).
    public func rounded(scale: Int, mode: RoundingMode) -> Decimal {
        guard let parts = DecimalParts.readWide(self) else { return self }
        // Fewer fraction digits than `scale` already: nothing to round.
        if scale >= -parts.exponent { return self }
        guard scale >= -127 else { return .nan }
        let dropped = -parts.exponent - scale
        // The kept digits, whether any dropped digit is non-zero, and how the dropped part compares with
        // half a unit of the last kept digit.
        let kept: UInt128
        let inexact: Bool
        let comparedWithHalf: Int
        if dropped < DecimalRounding.powersOfTen.count {
            let unit = DecimalRounding.powersOfTen[dropped]
            let (quotient, remainder) = parts.magnitude.quotientAndRemainder(dividingBy: unit)
            kept = quotient
            inexact = remainder != 0
            // `2 × remainder` cannot overflow: the remainder is below 10^38 and 2 × 10^38 < 2^128.
            let twice = remainder * 2
            comparedWithHalf = twice < unit ? -1 : (twice == unit ? 0 : 1)
        } else {
            // 10^39 and beyond exceed every mantissa (below 2^128 < 5 × 10^38): all digits are dropped,
            // and what they are is below half.
            kept = 0
            inexact = parts.magnitude != 0
            comparedWithHalf = -1
        }
        let roundsAway: Bool
        switch mode {
        case .plain: roundsAway = comparedWithHalf >= 0
        case .bankers: roundsAway = comparedWithHalf > 0 || (comparedWithHalf == 0 && kept % 2 == 1)
        case .down: roundsAway = inexact && parts.negative
        case .up: roundsAway = inexact && !parts.negative
        @unknown default: roundsAway = comparedWithHalf >= 0
        }
        // Cannot overflow: at least one digit was dropped, so `kept` is at most (2^128 - 1) / 10.
        let magnitude = roundsAway ? kept + 1 : kept
        if magnitude == 0 {
            // Zero keeps the exponent `-scale` (as `NSDecimalRound` leaves it); only the parser builds
            // a zero with an exponent.
            return Decimal(string: "0e\(-scale)") ?? Decimal()
        }
        return DecimalParts.decimal(DecimalParts.WideParts(magnitude: magnitude, exponent: -scale,
                                                          negative: parts.negative)) ?? .nan
    }
}

/// Constants of `Decimal.rounded(scale:mode:)`.
enum DecimalRounding {
    /// 10^0 … 10^38, every power of ten below 2^128.
    static let powersOfTen: [UInt128] = {
        var powers: [UInt128] = [1]
        for _ in 1 ... 38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()
}
