import Foundation
import Testing
import Essentials
@testable import WebhookAuth

/// GitHub `X-Hub-Signature-256`: every case of Fixtures/github.json.
@Suite struct GitHubSchemeTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func official() throws -> (secret: String, payload: [UInt8], header: String, hex: String) {
        let o = try #require(try Fixture.json("github.json")["official"])
        return (try #require(o["secret"]?.stringValue), bytes(try #require(o["payload"]?.stringValue)),
                try #require(o["expected_header"]?["X-Hub-Signature-256"]?.stringValue),
                try #require(o["expected_signature_hex"]?.stringValue))
    }

    @Test func officialVectorVerifiesWithDeliveryId() throws {
        let o = try official()
        #expect(o.payload.count == 13)
        let verifier = try WebhookVerifier(scheme: .github, secrets: [o.secret])
        let result = verifier.verify(headers: headerLookup([
            "X-Hub-Signature-256": o.header, "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        ]), body: o.payload, now: now)
        #expect(result == .verified(secretIndex: 0, deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958"))
        #expect(verifier.verify(headers: headerLookup(["X-Hub-Signature-256": o.header]), body: o.payload, now: now)
            == .verified(secretIndex: 0, deliveryId: nil))
    }

    @Test func signerReproducesOfficialHeader() throws {
        let o = try official()
        let out = try WebhookSigner.headers(scheme: .github, secret: o.secret, body: o.payload, id: "d-1", timestamp: nil)
        #expect(out.map(\.name) == ["X-Hub-Signature-256", "X-GitHub-Delivery"])
        #expect(out.map(\.value) == [o.header, "d-1"])
        #expect(o.header == "sha256=" + o.hex)
    }

    @Test func changedPayloadIsRejected() throws {
        let o = try official()
        let verifier = try WebhookVerifier(scheme: .github, secrets: [o.secret])
        #expect(verifier.verify(headers: headerLookup(["X-Hub-Signature-256": o.header]), body: bytes("Hello, World?"), now: now)
            == .rejected(.signatureMismatch))
    }

    @Test func headerWithoutPrefixIsRejected() throws {
        let o = try official()
        let verifier = try WebhookVerifier(scheme: .github, secrets: [o.secret])
        #expect(verifier.verify(headers: headerLookup(["X-Hub-Signature-256": o.hex]), body: o.payload, now: now)
            == .rejected(.malformedSignature))
    }

    @Test func neverFallsBackToSHA1() throws {
        let o = try official()
        let legacy = try #require(try Fixture.json("github.json")["derived"]?["legacy_sha1_header"]?["X-Hub-Signature"]?.stringValue)
        let verifier = try WebhookVerifier(scheme: .github, secrets: [o.secret])
        #expect(verifier.verify(headers: headerLookup(["X-Hub-Signature": legacy]), body: o.payload, now: now)
            == .rejected(.missingSignature))
    }

    @Test(arguments: ["sha256=", "sha256=757107ea", "sha256=" + String(repeating: "g", count: 64), "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
                      "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"])
    func malformedHeaders(_ header: String) throws {
        let o = try official()
        let verifier = try WebhookVerifier(scheme: .github, secrets: [o.secret])
        #expect(verifier.verify(headers: headerLookup(["X-Hub-Signature-256": header]), body: o.payload, now: now)
            == .rejected(.malformedSignature))
    }

    @Test func rotation() throws {
        let o = try official()
        let verifier = try WebhookVerifier(scheme: .github, secrets: ["new", o.secret])
        #expect(verifier.verify(headers: headerLookup(["X-Hub-Signature-256": o.header]), body: o.payload, now: now)
            == .verified(secretIndex: 1, deliveryId: nil))
    }
}
