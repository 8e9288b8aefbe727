import Foundation
import Testing
@testable import Essentials

/// The text helpers that replace Foundation's string API, against that API.
@Suite struct TextHelpersTests {
    static func random(seed: UInt64) -> () -> UInt64 {
        var state = seed
        return {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
    }

    /// Every scalar of the Basic Multilingual Plane and a sample beyond it, at both ends of a text.
    @Test func trimsTheScalarsFoundationTrims() {
        var scalars = (0 ... 0xFFFF).compactMap(Unicode.Scalar.init)
        scalars += stride(from: 0x10000, through: 0x10FFFF, by: 997).compactMap(Unicode.Scalar.init)
        for scalar in scalars {
            let text = "\(scalar)\(scalar)a\(scalar) b\(scalar)"
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces), "U+\(String(scalar.value, radix: 16))")
            #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines),
                    "U+\(String(scalar.value, radix: 16))")
        }
        #expect(" \u{301}a ".trimmingWhitespace() == " \u{301}a ".trimmingCharacters(in: .whitespaces))
        #expect("  ".trimmingWhitespace() == "")
        #expect(Substring("\t x \r\n").trimmingWhitespaceAndNewlines() == "x")
    }

    @Test func replacesLiteralTextLikeFoundation() {
        let next = Self.random(seed: 3)
        let alphabet = Array("ab+/=\\\n\r-T*")
        func text(_ length: Int) -> String { String((0 ..< length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }) }
        for _ in 0 ..< 2_000 {
            let haystack = text(Int(next() % 20)), needle = text(Int(next() % 3) + 1), replacement = text(Int(next() % 3))
            #expect(haystack.replacingLiteral(needle, with: replacement)
                        == haystack.replacingOccurrences(of: needle, with: replacement), "\(haystack) \(needle)")
        }
        #expect("a\r\nb".replacingLiteral("\n", with: "\\n") == "a\r\\nb")
        #expect("secret-secret".replacingLiteral("secret", with: "***") == "***-***")
        #expect("aaa".replacingLiteral("aa", with: "b") == "ba")
        #expect("é".replacingLiteral("", with: "x") == "é")
        // Where Foundation differs, by design: it skips a match followed by a combining mark.
        #expect("x\\\u{301}".replacingLiteral("\\", with: "\\\\") == "x\\\\\u{301}")
    }

    @Test func comparesASCIICaseInsensitively() {
        let next = Self.random(seed: 5)
        let alphabet = Array("aAbBzZ-_09")
        for _ in 0 ..< 2_000 {
            let a = String((0 ..< Int(next() % 4)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
            let b = String((0 ..< Int(next() % 4)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
            #expect(a.equalsIgnoringASCIICase(b) == (a.caseInsensitiveCompare(b) == .orderedSame), "\(a) \(b)")
        }
        #expect("Content-Type".equalsIgnoringASCIICase("content-type"))
        #expect(!"Content-Type".equalsIgnoringASCIICase("Content-Typ"))
        // Header names are ASCII: a long s is not an s here (Foundation folds it).
        #expect(!"Hoſt".equalsIgnoringASCIICase("host"))
    }

    @Test func padsToUTF16LengthLikeFoundation() {
        for text in ["", "a", "delivery", "Zürich", "e\u{301}", "ab😀cd", "😀", "日本語のテキスト", "a very long column value"] {
            for length in 0 ... 26 {
                #expect(text.padded(toLength: length) == text.padding(toLength: length, withPad: " ", startingAt: 0),
                        "\(text) \(length)")
            }
        }
    }

    @Test func percentEncodesPathSegmentsLikeFoundation() {
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
        var texts = (0 ..< 128).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["cg-9", "group/with/slashes", "a b", "é😀", "100%", "x;y?z#w", "Zürich Süd", ""]
        for text in texts {
            #expect(PercentEncoding.encodePathSegment(text) == text.addingPercentEncoding(withAllowedCharacters: allowed),
                    "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test func percentDecodesLikeFoundation() {
        let next = Self.random(seed: 9)
        let pieces = ["%", "%2", "%2F", "%2f", "%C3", "%A9", "%c3%a9", "%FF", "%00", "%zz", "%G1", "a", "/", "+", " ", "é", "%E2%82%AC"]
        var compared = 0
        for _ in 0 ..< 3_000 {
            let text = (0 ..< Int(next() % 5)).map { _ in pieces[Int(next() % UInt64(pieces.count))] }.joined()
            let expected = text.removingPercentEncoding
            // Foundation turns a lone byte 0xA9 (only that one) into U+FFFD instead of refusing it.
            if expected?.unicodeScalars.contains("\u{FFFD}") == true { continue }
            #expect(PercentEncoding.decode(text) == expected, "\(text)")
            compared += 1
        }
        #expect(compared > 2_500)
        #expect(PercentEncoding.decode("a%A9") == nil)
        #expect(PercentEncoding.decode("%E2%82%AC%20x") == "€ x")
    }

    @Test func formatsFixedPointLikeStringFormat() {
        let next = Self.random(seed: 13)
        var values: [Double] = [0, -0.0, 0.005, 0.015, 1.005, 2.675, -1.005, 0.125, 1e-10, 123_456.789, 1e21, 1e300,
                                -Double.greatestFiniteMagnitude, .leastNonzeroMagnitude, .nan, .infinity, -.infinity]
        for _ in 0 ..< 2_000 {
            values.append(Double(bitPattern: next() << 11 | next() % 2048) )
            values.append(Double(Int64(bitPattern: next())) / 1_000_000)
        }
        for value in values {
            for digits in [0, 1, 2, 3, 6] {
                #expect(FixedPointText.format(value, fractionDigits: digits) == String(format: "%.\(digits)f", value), "\(value)")
            }
        }
    }
}
