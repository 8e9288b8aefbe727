import Essentials
import Foundation
import Testing
@testable import EnergyCoordination

/// Bounded, seeded mutation fuzz over the sample bodies: the decoder never crashes, every failure is a
/// `DecodeError` with a short reason, and every success round-trips through the event JSON.
struct DecoderFuzzTests {
    static let tokens: [String] = ["\"", "{", "}", "[", "]", ",", ":", "-1", "1e999", "null", "true", "0.5",
                                   "\"P9999Y\"", "\"-01:00:00\"", "\"0001-01-01\"", "\\u0000", "\u{FF}", " "]

    @Test(arguments: SampleBodies.all.map(\.file))
    func mutatedSamplesNeverCrash(file: String) throws {
        let body = try #require(SampleBodies.all.first { $0.file == file }?.body)
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: file.utf8.reduce(7) { $0 &* 31 &+ Int($1) }))
        var accepted = 0
        for _ in 0..<250 {
            var bytes = Array(body.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0 where position < bytes.count:
                    bytes.remove(at: position)
                case 1:
                    let token = Self.tokens[Int.random(in: 0..<Self.tokens.count, using: &random)]
                    bytes.insert(contentsOf: Array(token.utf8), at: position)
                case 2 where position < bytes.count:
                    bytes[position] = UInt8.random(in: 0x20...0x7E, using: &random)
                default:
                    // Swap a digit for another digit: keeps JSON valid, changes numbers and times.
                    if let index = bytes.indices.filter({ (48...57).contains(bytes[$0]) }).randomElement(using: &random) {
                        bytes[index] = UInt8.random(in: 48...57, using: &random)
                    }
                }
            }
            do {
                let decoded = try NotificationDecoder.decode(body: bytes, bodySHA256Hex: TestSupport.fakeHash,
                                                             options: DecodeOptions())
                accepted += 1
                #expect(try CoordinationEvent(json: decoded.event.json) == decoded.event)
                #expect(!decoded.dedupeKey.isEmpty)
            } catch {
                #expect(!error.reason.isEmpty && error.reason.count < 300)
            }
        }
        #expect(accepted >= 0)
    }

    /// Structural mutations (valid JSON, wrong types, missing members) reach the field checks that byte
    /// mutations rarely get past the parser to.
    @Test(arguments: SampleBodies.all.map(\.file))
    func mutatedTreesNeverCrash(file: String) throws {
        let body = try #require(SampleBodies.all.first { $0.file == file }?.body)
        let original = try JSON.parse(body)
        var random = SplitMix64(seed: UInt64(truncatingIfNeeded: file.utf8.count) &* 7919)
        var accepted = 0
        for _ in 0..<250 {
            var tree = original
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                tree = Self.mutate(tree, using: &random)
            }
            do {
                let decoded = try NotificationDecoder.decode(json: tree, bodySHA256Hex: TestSupport.fakeHash,
                                                             options: DecodeOptions(targetPowerUnit: .kilowatts))
                accepted += 1
                #expect(try CoordinationEvent(json: decoded.event.json) == decoded.event)
            } catch {
                #expect(!error.reason.isEmpty && error.reason.count < 300)
            }
        }
        #expect(accepted > 0)
    }

    static let replacements: [JSON] = [
        .null, .bool(true), .number("-1"), .number("0"), .number("7.5"), .number("1e40"), .string(""),
        .string("PT0S"), .string("P9999Y"), .string("0001-01-01T00:00:00Z"), .string("2026-03-03T17:00:00Z"),
        .string("25:00:00"), .array([]), .object([]),
    ]

    /// Replaces or removes one randomly chosen node (descending with probability ½ per level).
    static func mutate(_ value: JSON, using random: inout SplitMix64) -> JSON {
        switch value {
        case let .object(members) where !members.isEmpty && Bool.random(using: &random):
            var copy = members
            let index = Int.random(in: 0..<copy.count, using: &random)
            if Int.random(in: 0..<5, using: &random) == 0 {
                copy.remove(at: index)
            } else {
                copy[index].1 = mutate(copy[index].1, using: &random)
            }
            return .object(copy)
        case let .array(items) where !items.isEmpty && Bool.random(using: &random):
            var copy = items
            let index = Int.random(in: 0..<copy.count, using: &random)
            if Int.random(in: 0..<5, using: &random) == 0 {
                copy.remove(at: index)
            } else {
                copy[index] = mutate(copy[index], using: &random)
            }
            return .array(copy)
        default:
            return replacements[Int.random(in: 0..<replacements.count, using: &random)]
        }
    }
}
