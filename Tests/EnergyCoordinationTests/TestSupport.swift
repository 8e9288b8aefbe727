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
typealias SplitMix64 = SeededRandom
