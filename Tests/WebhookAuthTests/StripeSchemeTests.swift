import Foundation
import Testing
@testable import WebhookAuth

/// Stripe has no published vector; this one was computed with Python 3 hmac/hashlib:
/// hex(HMAC-SHA256(key = b"whsec_test_secret", msg = b"1614265330." + b'{"id":"evt_1"}')).
@Suite struct StripeSchemeTests {
    static let secret = "whsec_test_secret"
    static let timestamp = 1_614_265_330
    static let body = bytes(#"{"id":"evt_1"}"#)
    static let v1 = "e135cdbed3dda004bf8a2fb350f2541d299393c770e0b9e6e319dc595e9072aa"
    let now = Date(timeIntervalSince1970: Double(StripeSchemeTests.timestamp))

    func verify(_ header: String, secrets: [String] = [StripeSchemeTests.secret], body: [UInt8] = StripeSchemeTests.body,
                now: Date? = nil) throws -> WebhookVerification {
        try WebhookVerifier(scheme: .stripe, secrets: secrets)
            .verify(headers: headerLookup(["Stripe-Signature": header]), body: body, now: now ?? self.now)
    }

    @Test func keyIsTheWholeSecretStringNotDecoded() throws {
        let out = try WebhookSigner.headers(scheme: .stripe, secret: Self.secret, body: Self.body, id: nil, timestamp: Self.timestamp)
        #expect(out.count == 1)
        #expect(out.first?.name == "Stripe-Signature")
        #expect(out.first?.value == "t=\(Self.timestamp),v1=\(Self.v1)")
        #expect(try verify("t=\(Self.timestamp),v1=\(Self.v1)") == .verified(secretIndex: 0, deliveryId: nil))
    }

    @Test func multipleV1AndV0EntriesDuringARoll() throws {
        let other = String(repeating: "ab", count: 32)
        #expect(try verify("t=\(Self.timestamp),v1=\(other),v1=\(Self.v1),v0=\(other)").isVerified)
    }

    @Test func v0AloneIsIgnored() throws {
        #expect(try verify("t=\(Self.timestamp),v0=\(Self.v1)") == .rejected(.malformedSignature))
    }

    @Test(arguments: ["v1=e135", "t=1614265330", "t=abc,v1=e135cdbed3dda004bf8a2fb350f2541d299393c770e0b9e6e319dc595e9072aa",
                      "t=1614265330,v1=zz", "t=1614265330,t=1614265330,v1=e135cdbed3dda004bf8a2fb350f2541d299393c770e0b9e6e319dc595e9072aa",
                      "garbage"])
    func malformedHeaders(_ header: String) throws {
        #expect(try verify(header) == .rejected(.malformedSignature))
    }

    @Test func missingHeader() throws {
        let v = try WebhookVerifier(scheme: .stripe, secrets: [Self.secret])
        #expect(v.verify(headers: headerLookup([String: String]()), body: Self.body, now: now) == .rejected(.missingSignature))
    }

    @Test func toleranceBothDirections() throws {
        let header = "t=\(Self.timestamp),v1=\(Self.v1)"
        let ts = Double(Self.timestamp)
        #expect(try verify(header, now: Date(timeIntervalSince1970: ts + 300)).isVerified)
        #expect(try verify(header, now: Date(timeIntervalSince1970: ts - 300)).isVerified)
        #expect(try verify(header, now: Date(timeIntervalSince1970: ts + 301)) == .rejected(.staleTimestamp))
        #expect(try verify(header, now: Date(timeIntervalSince1970: ts - 301)) == .rejected(.futureTimestamp))
        let v = try WebhookVerifier(scheme: .stripe, secrets: [Self.secret])
        #expect(v.verifyIgnoringTimestamp(headers: headerLookup(["Stripe-Signature": header]), body: Self.body).isVerified)
    }

    @Test func timestampIsSigned() throws {
        #expect(try verify("t=\(Self.timestamp + 1),v1=\(Self.v1)", now: now) == .rejected(.signatureMismatch))
    }

    @Test func rotationAndWrongBody() throws {
        let header = "t=\(Self.timestamp),v1=\(Self.v1)"
        #expect(try verify(header, secrets: ["whsec_other", Self.secret]) == .verified(secretIndex: 1, deliveryId: nil))
        #expect(try verify(header, body: Self.body + [0x0A]) == .rejected(.signatureMismatch))
        // Upper-case hex decodes to the same bytes; the comparison is on bytes.
        #expect(try verify("t=\(Self.timestamp),v1=\(Self.v1.uppercased())").isVerified)
    }
}
