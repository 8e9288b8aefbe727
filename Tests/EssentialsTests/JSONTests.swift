import Foundation
import Testing
@testable import Essentials

@Suite struct JSONParserTests {
    @Test func parsesAndKeepsOrderAndNumberText() throws {
        let json = try JSON.parse(#"{"b":1,"a":[16.1,1e2,-0.5],"c":"x\u00e9\ud83d\ude00"}"#)
        #expect(json.objectValue?.map(\.0) == ["b", "a", "c"])
        #expect(json["a"]?.arrayValue?.first == .number("16.1"))
        #expect(json["c"]?.stringValue == "xé😀")
        #expect(json.compactText == #"{"b":1,"a":[16.1,1e2,-0.5],"c":"xé😀"}"#)
    }

    @Test(arguments: [
        #"{"a":1,"a":2}"#, "[1,]", "{\"a\":1}x", "01", "1.", "-", "\"\\ud800\"", "\"a\u{01}\"",
        "[", "{\"a\" 1}", "tru", "nul", "\"\\x\"", "",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParser.Error.self) { try JSON.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Error.self) { try JSON.parse([0x22, 0xC3, 0x28, 0x22]) }
        // After an escape, in a key, truncated, overlong, and a lone continuation byte.
        for bytes: [UInt8] in [[0x22, 0x5C, 0x6E, 0xFF, 0x22], [0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D],
                               [0x22, 0x61, 0xE2, 0x82, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0x80, 0x22]] {
            #expect(throws: JSONParser.Error.self) { try JSON.parse(bytes) }
        }
    }

    @Test func acceptsValidUTF8InEveryPosition() throws {
        let text = #"{"é":"a€\nb😀","k":"plain","ø":["x\u00e9","ü"]}"#
        let json = try JSON.parse(text)
        #expect(json["é"] == .string("a€\nb😀"))
        #expect(json["k"] == .string("plain"))
        #expect(json["ø"] == .array([.string("xé"), .string("ü")]))
        #expect(json.compactText == #"{"é":"a€\nb😀","k":"plain","ø":["xé","ü"]}"#)
    }

    @Test func limitsDepth() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParser.Error.self) { try JSON.parse(deep) }
        #expect(throws: Never.self) { try JSONParser(maxDepth: 200).parse(deep) }
    }

    @Test func writesDecimalsWithoutBinaryNoise() {
        #expect(JSON.decimal(Decimal(string: "16.1")!).compactText == "16.1")
        #expect(JSON.decimal(Decimal(string: "16.0")!).compactText == "16")
        #expect(DecimalText.fixed(Decimal(16), fractionDigits: 1) == "16.0")
        #expect(DecimalText.plain(Decimal(string: "0.1")! * 3) == "0.3")
        for (text, plain) in [("16.100", "16.1"), ("-0.50", "-0.5"), ("100", "100"), ("1e-7", "0.0000001"),
                              ("1e20", "100000000000000000000"), ("-0.000", "0"), ("0", "0"), ("8.97", "8.97"),
                              ("-12345678901234567890.125", "-12345678901234567890.125")] {
            #expect(DecimalText.plain(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!) == plain, "\(text)")
        }
    }

    @Test func decimalsWrittenFromTheirDigitsMatchTheGeneralPath() {
        // A fixed pseudo-random walk over mantissas, exponents and signs (deterministic: no flaky inputs).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var checked = 0
        for _ in 0..<4_000 {
            let digits = Int(next() % 19) + 1
            var mantissa: UInt64 = 1
            for _ in 0..<digits { mantissa = mantissa &* 10 }
            mantissa = next() % mantissa
            let exponent = Int(next() % 47) - 28
            let negative = next() % 2 == 0
            let value = Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa))
            guard let fast = DecimalText.fromDigits(value) else { continue }
            #expect(fast == DecimalText.byDescription(value), "\(mantissa)e\(exponent)")
            checked += 1
        }
        #expect(checked > 3_000)
        // Out of the fast path's range: the general path answers.
        let large = Decimal(string: "123456789012345678901234567890", locale: Locale(identifier: "en_US_POSIX"))!
        #expect(DecimalText.fromDigits(large) == nil)
        #expect(DecimalText.plain(large) == "123456789012345678901234567890")
    }

    @Test func decimalsReadFromTheirDigitsEqualFoundationsParse() {
        let posix = Locale(identifier: "en_US_POSIX")
        var texts = ["0", "-0", "0.0", "-0.000", "1", "-1", "16.1", "16.10", "0.05", "8970", "1e3", "1E+3", "2.5e-3",
                     "-12.5E2", "9999999999999999999", "1234567890.123456789", "0.0000000000000000001", "100e-2",
                     "7e100", "7e-100"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for _ in 0..<3_000 {
            let digits = String(next() % 1_000_000_000_000)
            let split = Int(next() % UInt64(digits.count + 1))
            var text = next() % 3 == 0 ? "-" : ""
            text += split == 0 ? "0" : String(digits.prefix(split))
            if split < digits.count { text += "." + digits.dropFirst(split) }
            if next() % 4 == 0 { text += "e\(Int(next() % 40) - 20)" }
            texts.append(text)
        }
        var fast = 0
        for text in texts {
            guard let expected = Decimal(string: text, locale: posix) else { continue }
            let decoded = JSON.number(text).decimalValue
            #expect(decoded == expected, "\(text)")
            #expect(decoded.map(DecimalText.plain) == DecimalText.plain(expected), "\(text)")
            if JSON.decimalFromDigits(text) != nil { fast += 1 }
        }
        #expect(fast > 2_900)
        // Not JSON numbers, or beyond the digit path: nil there (and the general parse decides).
        for text in ["", "-", "1.", ".5", "1e", "1e+", "01a", "12345678901234567890", "1e999999"] {
            #expect(JSON.decimalFromDigits(text) == nil, "\(text)")
        }
    }

    @Test func escapesStrings() {
        #expect(JSON.string("a\"b\\c\n\u{01}").compactText == #""a\"b\\c\n\u0001""#)
        #expect(JSON.string("\t\r\u{08}\u{0C}\u{1F}|\u{2028}\u{2029}").compactText == #""\t\r\b\f\u001f|\u2028\u2029""#)
        // Other characters starting with E2 (€, U+2027) and non-ASCII text are written as is.
        #expect(JSON.string("€\u{2027}é😀").compactText == "\"€\u{2027}é😀\"")
        #expect(JSON.string("").compactText == "\"\"")
        #expect(JSON.string(#"{"msg":"x"}"#).compactText == #""{\"msg\":\"x\"}""#)
    }
}

@Suite struct ConfigObjectTests {
    @Test func namesKeyPathsOfErrors() throws {
        let json = try JSON.parse(#"{"listen":{"port":"x","extra":1}}"#)
        var root = try ConfigObject(json, path: "")
        var listen = try #require(try root.object("listen"))
        #expect(throws: ConfigError(path: "listen.port", message: "expected an integer, found string")) {
            _ = try listen.int("port")
        }
        #expect(throws: ConfigError(path: "listen.extra", message: "unknown key")) { try listen.finish() }
    }

    @Test func resolvesSecrets() throws {
        let env = try SecretReference(json: JSON.parse(#"{"env":"X_SECRET"}"#), path: "s")
        #expect(try env.resolve(environment: ["X_SECRET": "v"]) == "v")
        #expect(!env.description.contains("v\""))
        #expect(throws: ConfigError.self) { try SecretReference(json: .object([]), path: "s") }
    }
}

@Suite struct TimestampTests {
    @Test func parsesProtocolForms() throws {
        let a = try #require(Timestamp.parse("2024-01-01T16:00:00Z"))
        #expect(Timestamp.format(a) == "2024-01-01T16:00:00Z")
        let b = try #require(Timestamp.parse("2024-09-12T13:48:47.1936858+00:00"))
        #expect(Timestamp.format(b) == "2024-09-12T13:48:47Z")
        let c = try #require(Timestamp.parse("2021-08-11 16:45:01.234567Z"))
        #expect(Timestamp.format(c, fractional: true) == "2021-08-11T16:45:01.235Z")
        let d = try #require(Timestamp.parse("2024-01-01T18:00:00+02:00"))
        #expect(Timestamp.format(d) == "2024-01-01T16:00:00Z")
        #expect(Timestamp.parse("0001-01-01T00:00:00Z") != nil)
        #expect(Timestamp.parse("2024-02-30T00:00:00Z") == nil)
        #expect(Timestamp.parse("2024-01-01T16:00:00") == nil)
        #expect(Timestamp.parse("2024-01-01T16:00:00", assumeUTC: true) != nil)
    }

    /// Found by `ecbridge-bench fuzz --target decoder`: more than nine fraction digits trapped.
    @Test func moreThanNineFractionDigits() throws {
        let long = try #require(Timestamp.parse("2026-03-03T16:00:00.12345678901234Z"))
        let nine = try #require(Timestamp.parse("2026-03-03T16:00:00.123456789Z"))
        #expect(long == nine)
        #expect(Timestamp.parse("2026-03-03T16:00:00." + String(repeating: "9", count: 200) + "Z") != nil)
    }
}
