import Foundation
import Testing
@testable import Essentials

/// `Decimal.rounded(scale:mode:)`, `Int(exactly: Decimal)` and `DecimalParts` against Foundation's own
/// `NSDecimalRound` and `NSDecimalNumber` (which the code used before FoundationEssentials): the same
/// value, sign, exponent, significand and text for every input.
@Suite struct DecimalRoundingTests {
    static func foundationRound(_ value: Decimal, _ scale: Int, _ mode: Decimal.RoundingMode) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, mode)
        return result
    }

    /// Same value and the same representation (a `Decimal` prints and compares by both).
    static func same(_ a: Decimal, _ b: Decimal) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        return a.exponent == b.exponent && a.significand == b.significand && a.sign == b.sign
            && a.description == b.description
    }

    static func decimal(_ text: String) -> Decimal { Decimal(string: text)! }

    static let modes: [Decimal.RoundingMode] = [.plain, .down, .up, .bankers]

    /// Halves, negatives, zeros with exponents, 38 and 39 digits (up to 2^128 - 1), the smallest and
    /// largest exponents, and NaN.
    static let edgeCases: [Decimal] = [
        "0", "0e5", "0e-5", "0.5", "-0.5", "1.5", "-1.5", "2.5", "-2.5", "0.05", "-0.05", "0.04", "-0.04",
        "0.0500001", "-0.0499999", "99.99", "-99.99", "9.95", "16.1", "16.15", "16.05", "16.25", "-16.25",
        "340282366920938463463374607431768211455", "-340282366920938463463374607431768211455",
        "34028236692093846346337460743176821145.5", "99999999999999999999999999999999999999",
        "123456789012345678901234567890.123456789", "1e127", "-1e127", "1e-128", "-1e-128",
    ].map(decimal) + [.nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                      decimal("1.25") * 8, decimal("1.5") * 2, decimal("0.1") * 3]

    /// Seeded random decimals: up to 39 digits, any point, exponents, and results of arithmetic (which
    /// need not be in compact form).
    static func randomValues(count: Int, seed: UInt64) -> [Decimal] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var values: [Decimal] = []
        while values.count < count {
            let digits = Int(next() % 39) + 1
            var text = next() % 2 == 0 ? "-" : ""
            for index in 0 ..< digits {
                text += String(next() % 10)
                if index == 0, digits > 1, next() % 3 == 0 { text += "." }
            }
            if next() % 3 == 0 { text += "e\(Int(next() % 80) - 40)" }
            guard let value = Decimal(string: text) else { continue }
            values.append(value)
            if values.count >= 2, next() % 4 == 0 {
                let other = values[Int(next() % UInt64(values.count))]
                values.append(next() % 2 == 0 ? value * other : value + other)
            }
        }
        return values
    }

    @Test func roundsEdgeCasesLikeNSDecimalRound() {
        for value in Self.edgeCases {
            for mode in Self.modes {
                for scale in [-127, -20, -2, -1, 0, 1, 2, 3, 10, 28, 38, 45, 127, 200, Int(Int16.max)] {
                    let expected = Self.foundationRound(value, scale, mode)
                    let actual = value.rounded(scale: scale, mode: mode)
                    #expect(Self.same(actual, expected), "\(value) scale \(scale) \(mode): \(actual), expected \(expected)")
                }
            }
        }
    }

    @Test func roundsRandomValuesLikeNSDecimalRound() {
        for value in Self.randomValues(count: 3_000, seed: 0x9E37_79B9_7F4A_7C15) {
            for mode in Self.modes {
                for scale in [-3, 0, 1, 2, 5, 20, 40] {
                    let expected = Self.foundationRound(value, scale, mode)
                    let actual = value.rounded(scale: scale, mode: mode)
                    #expect(Self.same(actual, expected), "\(value) scale \(scale) \(mode): \(actual), expected \(expected)")
                }
            }
        }
    }

    @Test func roundsAsDocumented() {
        func text(_ value: String, _ scale: Int, _ mode: Decimal.RoundingMode) -> String {
            Self.decimal(value).rounded(scale: scale, mode: mode).description
        }
        // Halves away from zero, to even, toward negative and positive infinity.
        #expect(text("2.5", 0, .plain) == "3")
        #expect(text("-2.5", 0, .plain) == "-3")
        #expect(text("2.5", 0, .bankers) == "2")
        #expect(text("3.5", 0, .bankers) == "4")
        #expect(text("2.5000001", 0, .bankers) == "3")
        #expect(text("-0.4", 0, .down) == "-1")
        #expect(text("-0.4", 0, .up) == "0")
        #expect(text("0.4", 0, .up) == "1")
        #expect(text("16.19", 1, .down) == "16.1")
        #expect(text("99.96", 1, .plain) == "100")
        #expect(text("1234.5", -2, .plain) == "1200")
        #expect(text("-0.04", 1, .plain) == "0")
        #expect(text("16.1", 5, .down) == "16.1")
        // Scales beyond any Decimal exponent: NaN (NSDecimalRound answers garbage there).
        #expect(Self.decimal("12345").rounded(scale: -128, mode: .up).isNaN)
        #expect(Decimal.nan.rounded(scale: 0, mode: .plain).isNaN)
    }

    @Test func fixedTextRoundsHalvesAwayFromZero() {
        for (value, digits, text) in [("16", 1, "16.0"), ("16.25", 1, "16.3"), ("-16.25", 1, "-16.3"), ("16.24", 1, "16.2"),
                                      ("0.05", 1, "0.1"), ("-0.05", 1, "-0.1"), ("-0.04", 1, "0.0"), ("0.0000001", 1, "0.0"),
                                      ("9.99", 1, "10.0"), ("123456789012345678901234567.89", 1, "123456789012345678901234567.9"),
                                      ("1e5", 2, "100000.00"), ("2.5", 0, "3"), ("0", 3, "0.000")] {
            #expect(DecimalText.fixed(Self.decimal(value), fractionDigits: digits) == text, "\(value) \(digits)")
        }
    }

    @Test func integerConversionMatchesTheNSDecimalNumberPath() {
        func before(_ value: Decimal) -> Int? {
            guard value == Self.foundationRound(value, 0, .down), value <= Decimal(Int.max), value >= Decimal(Int.min) else {
                return nil
            }
            return NSDecimalNumber(decimal: value).intValue
        }
        let specials = [Decimal(Int.max), Decimal(Int.min), Self.decimal("9223372036854775808"),
                        Self.decimal("-9223372036854775809"), Self.decimal("5.0"), Self.decimal("5e2"), Self.decimal("-5e18"),
                        Self.decimal("1e19"), Self.decimal("0.5"), Self.decimal("-7"), Self.decimal("0e-5")]
        for value in Self.edgeCases + specials + Self.randomValues(count: 2_000, seed: 7) {
            #expect(Int(exactly: value) == before(value), "\(value)")
        }
        #expect(Int(exactly: Decimal(Int.min)) == Int.min)
        #expect(Int(exactly: Self.decimal("1200e-2")) == 12)
        #expect(JSON.number("-9223372036854775808.0").intValue == Int.min)
        #expect(JSON.number("5e0").intValue == 5)
        #expect(JSON.number("9223372036854775808").intValue == nil)
        #expect(JSON.number("1.5").intValue == nil)
    }

    @Test func partsReadAndRebuildEveryMantissaWidth() {
        #expect(DecimalParts.layoutVerified)
        for value in Self.edgeCases + Self.randomValues(count: 2_000, seed: 11) where !value.isNaN {
            let parts = DecimalParts.readWide(value)
            #expect(parts?.magnitude == UInt128(value.significand.description), "\(value)")
            #expect(parts?.exponent == value.exponent && parts?.negative == (value.sign == .minus), "\(value)")
            #expect(parts.flatMap(DecimalParts.decimal) == value, "\(value)")
        }
        #expect(DecimalParts.readWide(.nan) == nil)
        let widest = Self.decimal("-340282366920938463463374607431768211455")
        #expect(DecimalParts.readWide(widest) == DecimalParts.WideParts(magnitude: .max, exponent: 0, negative: true))
        #expect(DecimalParts.read(widest) == nil)
    }

    /// `DecimalText.byDescription` relies on `Decimal.description` being plain notation: the text
    /// `NSDecimalNumber` wrote in the POSIX locale, never with an exponent.
    @Test func descriptionIsPlainNotation() {
        for value in Self.edgeCases + Self.randomValues(count: 2_000, seed: 13) where !value.isNaN {
            let text = value.description
            #expect(!text.contains("e") && !text.contains("E"), "\(text)")
            #expect(text == NSDecimalNumber(decimal: value).description(withLocale: Locale(identifier: "en_US_POSIX")))
        }
        #expect(DecimalText.plain(Self.decimal("1e30")) == "1000000000000000000000000000000")
        #expect(DecimalText.plain(Self.decimal("-1.5e-40")) == "-0.00000000000000000000000000000000000000015")
    }
}
