import FoundationEssentials

/// Reads a `Decimal`'s sign, exponent and integer mantissa without any `Decimal` arithmetic, and builds a
/// `Decimal` back from them.
///
/// Why: Foundation offers no public way to read a `Decimal`'s mantissa as an integer short of
/// `NSDecimalNumber` (a heap object, and not in FoundationEssentials at all) or text (`description`
/// divides the mantissa digit by digit, microseconds per value), while caps, rounding and number text
/// need it for every cap and setting.
/// The mantissa is read from the value's bytes (eight little-endian 16-bit words after a 4-byte header
/// whose second byte holds the number of words in use, the layout Foundation has always used); the sign,
/// exponent and NaN-ness come from public API. The layout is checked once against values built through
/// public API only: if Foundation ever lays `Decimal` out differently, `read` always answers `nil` (and
/// every caller uses its `Decimal` code) and `readWide` reads the mantissa from its text instead.
public enum DecimalParts {
    /// `magnitude × 10^exponent`, negated when `negative`.
    public struct Parts: Equatable, Sendable {
        public var magnitude: UInt64
        public var exponent: Int
        public var negative: Bool

        public init(magnitude: UInt64, exponent: Int, negative: Bool) {
            self.magnitude = magnitude
            self.exponent = exponent
            self.negative = negative
        }
    }

    /// `magnitude × 10^exponent`, negated when `negative`, for any mantissa `Decimal` can hold.
    public struct WideParts: Equatable, Sendable {
        public var magnitude: UInt128
        public var exponent: Int
        public var negative: Bool

        public init(magnitude: UInt128, exponent: Int, negative: Bool) {
            self.magnitude = magnitude
            self.exponent = exponent
            self.negative = negative
        }
    }

    /// The parts of `value`; `nil` for NaN, for a mantissa wider than 64 bits, or an unverified layout.
    @inline(__always)
    public static func read(_ value: Decimal) -> Parts? {
        guard layoutVerified, !value.isNaN, let magnitude = mantissaFromBytes(value),
              let narrow = UInt64(exactly: magnitude) else { return nil }
        return Parts(magnitude: narrow, exponent: value.exponent, negative: value.sign == .minus)
    }

    /// The parts of `value`, whatever its mantissa; `nil` only for NaN.
    @inline(__always)
    public static func readWide(_ value: Decimal) -> WideParts? {
        guard !value.isNaN else { return nil }
        let fromBytes = layoutVerified ? mantissaFromBytes(value) : nil
        guard let magnitude = fromBytes ?? mantissaFromText(value) else { return nil }
        return WideParts(magnitude: magnitude, exponent: value.exponent, negative: value.sign == .minus)
    }

    /// `±magnitude × 10^exponent` with the mantissa's trailing zeros moved into the exponent (the compact
    /// form Foundation's own parsing, arithmetic and rounding produce); zero is `Decimal()`. `nil` when
    /// the exponent is outside `Decimal`'s range (-128…127) once compacted.
    public static func decimal(_ parts: WideParts) -> Decimal? {
        var magnitude = parts.magnitude
        var exponent = parts.exponent
        guard magnitude != 0 else { return Decimal() }
        while exponent < 127, magnitude % 10 == 0 {
            magnitude /= 10
            exponent += 1
        }
        guard exponent >= -128, exponent <= 127 else { return nil }
        let significand: Decimal
        if let narrow = UInt64(exactly: magnitude) {
            significand = Decimal(narrow)
        } else {
            // Wider than 64 bits: no integer initialiser takes it, but its digits parse exactly (at most
            // 39 of them, below 2^128, which is what a mantissa holds).
            guard let parsed = Decimal(string: String(magnitude)) else { return nil }
            significand = parsed
        }
        return Decimal(sign: parts.negative ? .minus : .plus, exponent: exponent, significand: significand)
    }

    /// Reads the `length` mantissa words; callers check `layoutVerified` and NaN. `nil` when the header
    /// claims more than eight words.
    @inline(__always)
    private static func mantissaFromBytes(_ value: Decimal) -> UInt128? {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        return withUnsafeBytes(of: value) { raw in
            // Only the first `length` words are the mantissa (the high four bits of byte 1): words past it
            // are ignored, whatever an operation left there.
            let length = Int(raw[1] >> 4)
            guard length <= 8 else { return nil }
            var magnitude: UInt128 = 0
            for word in 0 ..< length {
                let bits = UInt128(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 4 + 2 * word, as: UInt16.self)))
                magnitude |= bits << (16 * UInt128(word))
            }
            return magnitude
        }
    }

    /// The mantissa through public API only: the significand (the mantissa with exponent 0) printed and
    /// parsed back. Exact, but it allocates and divides digit by digit.
    private static func mantissaFromText(_ value: Decimal) -> UInt128? {
        UInt128(value.significand.description)
    }

    /// True when reading the bytes of values built through public API gives back exactly the mantissa
    /// their text shows, for mantissas of every width.
    public static let layoutVerified: Bool = {
        guard MemoryLayout<Decimal>.size == 20 else { return false }
        var samples: [Decimal] = []
        let integers: [UInt64] = [0, 1, 7, 9, 10, 255, 256, 65_535, 65_536, 65_537, 1_000_000, 4_294_967_295,
                                  4_294_967_296, 281_474_976_710_655, 281_474_976_710_656, 123_456_789_012_345_678,
                                  9_223_372_036_854_775_807, 18_446_744_073_709_551_615]
        for integer in integers {
            samples.append(Decimal(integer))
            if integer != 0 { samples.append(-Decimal(integer)) }
        }
        // Negative exponents, as the JSON decoder builds them. Not through `Decimal(string:locale:)`: a
        // Locale could load ICU's data, megabytes of resident memory that an idle server would keep.
        for text in ["16.1", "-0.001", "123456.789"] {
            guard let value = JSON.number(text).decimalValue else { return false }
            samples.append(value)
        }
        // Results of arithmetic, whose unused words may hold leftovers: 123456 / 1000 = 123.456, and
        // 2^64 - 1 shrunk back below 2^16 by division.
        samples.append(Decimal(123_456) / Decimal(1000))
        samples.append(Decimal(UInt64.max) / Decimal(UInt64.max) * Decimal(42))
        // Mantissas of five to eight words: 2^64 - 1 times 65 537, and 39 digits just below 2^128.
        samples.append(Decimal(UInt64.max) * Decimal(65_537))
        samples.append(Decimal(UInt64.max) * Decimal(UInt64.max))
        for text in ["12345678901234567890123456789", "-340282366920938463463374607431768211455"] {
            guard let value = Decimal(string: text) else { return false }
            samples.append(value)
        }
        for sample in samples {
            guard let fromBytes = mantissaFromBytes(sample), let fromText = mantissaFromText(sample),
                  fromBytes == fromText else { return false }
        }
        // Spot checks against known mantissas, so that a text that agreed by accident cannot pass.
        return mantissaFromBytes(Decimal(65_537)) == 65_537
            && mantissaFromBytes(Decimal(UInt64.max) * Decimal(65_537)) == UInt128(UInt64.max) * 65_537
    }()
}
