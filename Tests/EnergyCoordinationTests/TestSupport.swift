import Essentials
import Foundation
@testable import EnergyCoordination

/// Shared helpers for the EnergyCoordination tests.
enum TestSupport {
    static let fakeHash = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

    static func decode(_ body: String, options: DecodeOptions = DecodeOptions()) throws(DecodeError) -> DecodedNotification {
        try NotificationDecoder.decode(body: Array(body.utf8), bodySHA256Hex: fakeHash, options: options)
    }

    /// The decode error's reason, or `nil` when the body decoded.
    static func failure(_ body: String, options: DecodeOptions = DecodeOptions()) -> String? {
        do {
            _ = try decode(body, options: options)
            return nil
        } catch {
            return error.reason
        }
    }

    static func date(_ text: String) -> Date {
        guard let date = Timestamp.parse(text) else {
            preconditionFailure("bad test timestamp \(text)")
        }
        return date
    }
}

/// Seeded PRNG (SplitMix64) so property and fuzz tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
