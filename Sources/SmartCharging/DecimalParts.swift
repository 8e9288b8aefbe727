import Essentials
import Foundation

/// Reads a `Decimal`'s sign, exponent and mantissa (when it fits 64 bits) without any `Decimal` arithmetic.
///
/// Why: Foundation offers no public way to read a `Decimal`'s mantissa as an integer short of
/// `NSDecimalNumber` (a heap object) or text, while the cap fast path needs it for every cap and setting.
/// The mantissa is read from the value's bytes (eight little-endian 16-bit words after a 4-byte header
/// whose second byte holds the number of words in use, the layout Foundation has always used); the sign, exponent and NaN-ness come from public API. The
/// layout is checked once against values built through public API only: if Foundation ever lays
/// `Decimal` out differently, `read` always answers `nil` and every caller uses its `Decimal` code.
enum DecimalParts {
    /// `magnitude × 10^exponent`, negated when `negative`.
    struct Parts: Equatable {
        var magnitude: UInt64
        var exponent: Int
        var negative: Bool
    }

    /// The parts of `value`; `nil` for NaN, for a mantissa wider than 64 bits, or an unverified layout.
    @inline(__always)
    static func read(_ value: Decimal) -> Parts? {
        guard layoutVerified, !value.isNaN else { return nil }
        return unverifiedRead(value)
    }

    /// Reads the mantissa words; callers must have checked `layoutVerified` and NaN.
    @inline(__always)
    private static func unverifiedRead(_ value: Decimal) -> Parts? {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        let magnitude: UInt64? = withUnsafeBytes(of: value) { raw in
            // Only the first `length` words are the mantissa (the high four bits of byte 1): words past it
            // are ignored, whatever an operation left there. More than four words cannot fit 64 bits.
            let length = Int(raw[1] >> 4)
            guard length <= 4 else { return nil }
            var magnitude: UInt64 = 0
            for word in 0 ..< length {
                let bits = UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 4 + 2 * word, as: UInt16.self)))
                magnitude |= bits << (16 * UInt64(word))
            }
            return magnitude
        }
        guard let magnitude else { return nil }
        return Parts(magnitude: magnitude, exponent: value.exponent, negative: value.sign == .minus)
    }

    /// True when reading values built through public API gives back exactly their mantissa, exponent and
    /// sign, and a mantissa wider than 64 bits is refused.
    static let layoutVerified: Bool = {
        guard MemoryLayout<Decimal>.size == 20 else { return false }
        let samples: [UInt64] = [0, 1, 7, 9, 10, 255, 256, 65_535, 65_536, 65_537, 1_000_000, 4_294_967_295,
                                 4_294_967_296, 281_474_976_710_655, 281_474_976_710_656, 123_456_789_012_345_678,
                                 9_223_372_036_854_775_807, 18_446_744_073_709_551_615]
        for sample in samples {
            for negative in [false, true] where !(negative && sample == 0) {
                var value = Decimal(sample)
                if negative { value.negate() }
                guard let parts = unverifiedRead(value), parts.negative == negative, parts.exponent >= 0,
                      let rebuilt = scaledUp(parts.magnitude, parts.exponent), rebuilt == sample else { return false }
            }
        }
        // Negative exponents, as the JSON decoder builds them. Not through `Decimal(string:locale:)`: a
        // Locale loads ICU's data, megabytes of resident memory that an idle server would keep.
        let texts: [(String, UInt64, Int, Bool)] = [("16.1", 161, -1, false), ("-0.001", 1, -3, true),
                                                    ("123456.789", 123_456_789, -3, false)]
        for (text, magnitude, exponent, negative) in texts {
            guard let value = JSON.number(text).decimalValue, let parts = unverifiedRead(value) else { return false }
            // The parser may keep or drop trailing zeros; compare the values, not the representation.
            var m = parts.magnitude, e = parts.exponent
            while e < exponent, m % 10 == 0 { m /= 10; e += 1 }
            guard m == magnitude, e == exponent, parts.negative == negative else { return false }
        }
        // Results of arithmetic, whose unused words may hold leftovers: 123456 / 1000 = 123.456, and
        // 2^64 - 1 shrunk back below 2^16 by division.
        for (value, magnitude, exponent) in [(Decimal(123_456) / Decimal(1000), UInt64(123_456), -3),
                                             (Decimal(UInt64.max) / Decimal(UInt64.max) * Decimal(42), UInt64(42), 0)] {
            guard let parts = unverifiedRead(value) else { return false }
            var m = parts.magnitude, e = parts.exponent
            while e < exponent, m % 10 == 0 { m /= 10; e += 1 }
            while e > exponent { m *= 10; e -= 1 }
            guard m == magnitude, e == exponent, !parts.negative else { return false }
        }
        // A mantissa wider than 64 bits must be refused (its upper words are where they should be).
        let wide = Decimal(UInt64.max) * Decimal(65_537)
        return unverifiedRead(wide) == nil
    }()

    /// `magnitude × 10^exponent` when it fits 64 bits.
    private static func scaledUp(_ magnitude: UInt64, _ exponent: Int) -> UInt64? {
        var result = magnitude
        for _ in 0 ..< exponent {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }
}
