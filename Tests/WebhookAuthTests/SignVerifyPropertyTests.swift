import Essentials
import Foundation
import Testing
@testable import WebhookAuth

/// For random bodies and secrets: what the signer produces verifies, and flipping any single byte of the
/// body fails. A small, seeded number of rounds keeps the test fast and reproducible.
@Suite struct SignVerifyPropertyTests {
    /// SplitMix64, so failures can be reproduced from the seed.
    typealias SeededGenerator = SeededRandom

    static let macSchemes: [WebhookScheme] = [.spark, .standardWebhooks, .stripe, .github]

    @Test(arguments: SignVerifyPropertyTests.macSchemes)
    func signThenVerifyAndSingleByteFlipFails(_ scheme: WebhookScheme) throws {
        var rng = SeededGenerator(seed: 0xEC0B_41D6 &+ UInt64(scheme.rawValue.utf8.count))
        let timestamp = 1_700_000_000
        let now = Date(timeIntervalSince1970: Double(timestamp))
        for round in 0..<12 {
            let keyBytes = (0..<Int.random(in: 16...48, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let secret = scheme == .standardWebhooks
                ? "whsec_" + Base64.encode(keyBytes)
                : String(keyBytes.map { Character(Unicode.Scalar(UInt8(33) + $0 % 94)) })
            let body = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let id = "msg_\(round)"
            let headers = try WebhookSigner.headers(scheme: scheme, secret: secret, body: body, id: id, timestamp: timestamp)
            let verifier = try WebhookVerifier(scheme: scheme, secrets: [secret])
            let lookup = headerLookup(headers)
            #expect(verifier.verify(headers: lookup, body: body, now: now).isVerified, "round \(round)")
            for index in body.indices {
                var flipped = body
                flipped[index] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
                #expect(verifier.verify(headers: lookup, body: flipped, now: now) == .rejected(.signatureMismatch),
                        "round \(round) byte \(index)")
            }
            // A different secret never verifies.
            let other = try WebhookVerifier(scheme: scheme, secrets: [scheme == .standardWebhooks ? "whsec_" + Base64.encode(keyBytes + [1]) : secret + "x"])
            #expect(other.verify(headers: lookup, body: body, now: now) == .rejected(.signatureMismatch))
        }
    }
}
