import Foundation
import Testing
@testable import Essentials

/// Seeded property tests for the parser's and writer's fast paths (word-at-a-time scans, digits and
/// timestamps written straight into buffers): each is compared with a straightforward reference over
/// many generated inputs. Deterministic: a fixed seed per test, no wall clock.
@Suite struct JSONFastPathTests {
    /// SplitMix64, so every run replays the same cases.
    struct Generator {
        var random: SeededRandom
        init(state: UInt64) { random = SeededRandom(seed: state) }
        mutating func next() -> UInt64 { random.next() }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    /// Pieces chosen to sit on and across the 8-byte word boundaries: plain ASCII, every byte the writer
    /// or parser treats specially, 0xE2-led characters that are and are not line separators, 2-4 byte UTF-8.
    static let pieces: [String] = [
        "a", "Z", "0", " ", "~", "\u{7F}", "/", "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{00}",
        "\u{01}", "\u{1F}", "é", "ø", "€", "—", "\u{2027}", "\u{2028}", "\u{2029}", "\u{202A}", "😀", "中",
        "abcdefgh", "0123456789abcdef", "Bench cap xxxxxxxxxxxxxxx",
    ]

    static func randomString(_ g: inout Generator, maxPieces: Int = 40) -> String {
        var text = ""
        let plainOnly = g.chance(40)
        for _ in 0..<g.below(maxPieces + 1) {
            let piece = plainOnly ? pieces[g.below(3)] : pieces[g.below(pieces.count)]
            text += piece
        }
        return text
    }

    @Test func escapeMatchesTheByteByByteOracle() {
        var g = Generator(state: 0xE5CA_9E01)
        for _ in 0..<5000 {
            let text = Self.randomString(&g)
            var out: [UInt8] = [0x78]  // appends after existing bytes
            JSONWriter.escape(text, into: &out)
            #expect(out == [0x78] + ReferenceJSONEscape.literal(text), "\(Array(text.utf8))")
            var stringOut = "x"
            JSONWriter.escape(text, into: &stringOut)
            #expect(Array(stringOut.utf8) == [0x78] + ReferenceJSONEscape.literal(text))
        }
    }

    @Test func everyLengthAndPositionOfASpecialByteIsEscaped() {
        // One special byte at each offset of plain strings of 0...40 bytes: exercises the word scan's
        // lowest-lane detection and the tail shorter than a word.
        for special in ["\"", "\\", "\n", "\u{01}", "\u{2028}", "€", "é"] {
            for length in 0...40 {
                for position in 0...length {
                    let text = String(repeating: "a", count: position) + special
                        + String(repeating: "b", count: length - position)
                    var out: [UInt8] = []
                    JSONWriter.escape(text, into: &out)
                    #expect(out == ReferenceJSONEscape.literal(text))
                    #expect((try? JSON.parse(out)) == .string(text))
                }
            }
        }
    }

    /// A literal for `text` with random, valid choices of escaping (`\uXXXX` for anything, surrogate
    /// pairs above the BMP, `\/`), so the parser meets escapes mixed into long plain runs.
    static func randomlyEscapedLiteral(_ text: String, _ g: inout Generator) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            let mustEscape = scalar == "\"" || scalar == "\\" || scalar.value < 0x20
            if mustEscape || g.chance(10) {
                if scalar == "/" && g.chance(50) { out += "\\/"; continue }
                if scalar.value > 0xFFFF {
                    let v = scalar.value - 0x10000
                    out += String(format: "\\u%04X\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                } else {
                    out += String(format: g.chance(50) ? "\\u%04x" : "\\u%04X", scalar.value)
                }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test func parserReadsRandomStringsAndEscapes() throws {
        var g = Generator(state: 0x9A45_5E12)
        for _ in 0..<4000 {
            let text = Self.randomString(&g)
            let literal = Self.randomlyEscapedLiteral(text, &g)
            #expect(try JSON.parse(literal) == .string(text), "\(literal)")
            let keyed = try JSON.parse("{" + literal + ":" + literal + "}")
            #expect(keyed.objectValue?.first?.0 == text)
            #expect(keyed.objectValue?.first?.1 == .string(text))
        }
    }

    @Test func parserJudgesRawStringBytesLikeTheReference() {
        // Random raw bytes (no quote or backslash) between quotes, preceded by a plain prefix of varying
        // length. Reference: the first control character is refused where it is; otherwise invalid
        // UTF-8 is refused at the start of the run; otherwise the string is the bytes.
        var g = Generator(state: 0xB17E_5EED)
        let alphabet: [UInt8] = [0x61, 0x7A, 0x20, 0x7F, 0x00, 0x01, 0x1F, 0x80, 0xBF, 0xC3, 0xA9, 0xE2, 0x82, 0xAC,
                                 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0xC0]
        for _ in 0..<5000 {
            let prefix = [UInt8](repeating: 0x78, count: g.below(20))
            var raw: [UInt8] = []
            for _ in 0..<g.below(24) { raw.append(g.chance(60) ? 0x61 : alphabet[g.below(alphabet.count)]) }
            let content = prefix + raw
            let body = [0x22] + content + [0x22]
            let expected: Result<JSON, JSONParser.Error>
            if let control = content.firstIndex(where: { $0 < 0x20 }) {
                expected = .failure(JSONParser.Error(offset: 1 + control, reason: "control character in string"))
            } else if let text = String(validating: content, as: UTF8.self) {
                expected = .success(.string(text))
            } else {
                expected = .failure(JSONParser.Error(offset: 1, reason: "invalid UTF-8 in string"))
            }
            let actual = Result { () throws(JSONParser.Error) -> JSON in try JSON.parse(body) }
            switch (actual, expected) {
            case let (.success(a), .success(e)): #expect(a == e)
            case let (.failure(a), .failure(e)): #expect(a == e, "\(body)")
            default: Issue.record("\(body): got \(actual), expected \(expected)")
            }
        }
    }

    @Test func unterminatedStringsAreRefusedAtTheEnd() {
        for length in 0...20 {
            let body = [UInt8(ascii: "\"")] + [UInt8](repeating: 0x61, count: length)
            #expect(throws: JSONParser.Error(offset: body.count, reason: "unterminated string")) {
                try JSON.parse(body)
            }
        }
    }

    static func randomValue(_ g: inout Generator, depth: Int = 0) -> JSON {
        let numbers = ["0", "-0", "16.1", "1e2", "-0.5", "12345678901234567890", "1E-7", "3.0e+10"]
        switch depth > 3 ? g.below(4) : g.below(6) {
        case 0: return .null
        case 1: return .bool(g.chance(50))
        case 2: return .number(numbers[g.below(numbers.count)])
        case 3: return .string(randomString(&g, maxPieces: 12))
        case 4: return .array((0..<g.below(5)).map { _ in randomValue(&g, depth: depth + 1) })
        default:
            var members: [(String, JSON)] = []
            for index in 0..<g.below(6) {
                members.append((randomString(&g, maxPieces: 4) + "#\(index)", randomValue(&g, depth: depth + 1)))
            }
            return .object(members)
        }
    }

    @Test func roundTripsParseWriteParse() throws {
        var g = Generator(state: 0x7A11_0C47)
        for _ in 0..<1500 {
            let value = Self.randomValue(&g)
            let compact = value.compactText
            let reparsed = try JSON.parse(compact)
            #expect(reparsed == value, "\(compact)")
            #expect(reparsed.compactText == compact)
            #expect(try JSON.parse(value.prettyText) == value)
        }
    }

    @Test func intDigitsMatchStringInit() {
        var g = Generator(state: 0x1D161)
        var values: [Int] = [0, 1, -1, 9, 10, -10, 99, 100, Int.max, Int.min, Int.max - 1, Int.min + 1]
        for _ in 0..<2000 { values.append(Int(truncatingIfNeeded: g.next()) >> g.below(64)) }
        for value in values {
            var stream = JSONStream()
            stream.beginArray()
            stream.int(value)
            stream.int(Int64(value))  // the generic path
            stream.endArray()
            #expect(stream.text == "[\(value),\(value)]")
        }
    }

    @Test func timestampFastPathsMatchFormatAndParse() {
        var g = Generator(state: 0x71E5_7A4F)
        var seconds: [Double] = [0, -1, 0.0005, 0.9995, 0.9994999, -0.0005, 1_700_000_000.123, 253_402_300_799.9996,
                                 253_402_300_799.999, -62_167_219_200, -62_167_219_200.5, -62_135_596_800]
        for _ in 0..<5000 {
            let whole = Double(Int64(truncatingIfNeeded: g.next()) % 400_000_000_000)
            seconds.append(whole + Double(g.below(1_000_000)) / 1_000_000)
        }
        for t in seconds {
            let date = Date(timeIntervalSince1970: t)
            #expect(Timestamp.millisecondRoundTrip(date) == Timestamp.parse(Timestamp.format(date, fractional: true)),
                    "\(t)")
            for fractional in [false, true] {
                var bytes: [UInt8] = [0x2A]
                Timestamp.append(date, fractional: fractional, to: &bytes)
                #expect(bytes == [0x2A] + Array(Timestamp.format(date, fractional: fractional).utf8))
                var stream = JSONStream()
                stream.timestamp(date, fractional: fractional)
                var reference = JSONStream()
                reference.string(Timestamp.format(date, fractional: fractional))
                #expect(stream.bytes == reference.bytes)
            }
        }
    }

    @Test func byteScanFindsTheFirstSpecialByte() {
        // Every lane, every special byte, with specials and high bytes after it (the borrow in the bit
        // trick may only mark lanes above a true hit).
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x0A, 0xE2]
        for special in specials {
            for lane in 0..<8 {
                for after: UInt8 in [0x61, 0x00, 0x22, 0xFF, 0x01] {
                    var bytes = [UInt8](repeating: 0x61, count: 16)
                    bytes[lane] = special
                    for i in (lane + 1)..<16 { bytes[i] = after }
                    let found = bytes.withUnsafeBufferPointer { buffer in
                        JSONByteScan.nextWriterStop(buffer.baseAddress!, from: 0, count: buffer.count)
                    }
                    #expect(found == lane)
                }
            }
        }
    }
}
