import Foundation
import Testing
@testable import WebhookAuth

/// Spark `X-Payload-Signature`: official vectors from Fixtures/spark (byte-for-byte copies) and the derived
/// cases of the reference set's spark/README.md (embedded here as literals).
@Suite struct SparkSchemeTests {
    static let events = ["user-eligibility-event.json", "price-curve-event.json"]
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func secret() throws -> String { try Fixture.text("spark/signing-key.txt") }

    /// The header value: the file's content without the newline the `base64` tool wrote.
    func officialSignature(_ event: String) throws -> String {
        var text = try Fixture.text("spark/\(event).hmacsha256b64")
        #expect(text.hasSuffix("\n"))
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    func verifier(_ secrets: [String]) throws -> WebhookVerifier {
        try WebhookVerifier(scheme: .spark, secrets: secrets)
    }

    @Test func fixtureShapesAreAsDocumented() throws {
        #expect(try secret() == "Secret123%")
        #expect(try Fixture.bytes("spark/user-eligibility-event.json").count == 445)
        #expect(try Fixture.bytes("spark/price-curve-event.json").count == 2274)
        #expect(try Fixture.bytes("spark/user-eligibility-event.json").last == UInt8(ascii: "\n"))
    }

    @Test(arguments: SparkSchemeTests.events)
    func officialVectorVerifies(_ event: String) throws {
        let body = try Fixture.bytes("spark/\(event)")
        let result = try verifier([secret()]).verify(
            headers: headerLookup(["X-Payload-Signature": officialSignature(event)]), body: body, now: now)
        #expect(result == .verified(secretIndex: 0, deliveryId: nil))
    }

    @Test(arguments: SparkSchemeTests.events)
    func signerReproducesOfficialHeader(_ event: String) throws {
        let headers = try WebhookSigner.headers(scheme: .spark, secret: secret(),
                                                body: Fixture.bytes("spark/\(event)"), id: nil, timestamp: nil)
        #expect(headers.count == 1)
        #expect(headers.first?.name == "X-Payload-Signature")
        #expect(headers.first?.value == (try officialSignature(event)))
    }

    @Test(arguments: SparkSchemeTests.events)
    func bodyWithoutTrailingNewlineFails(_ event: String) throws {
        var body = try Fixture.bytes("spark/\(event)")
        body.removeLast()
        let result = try verifier([secret()]).verify(
            headers: headerLookup(["X-Payload-Signature": officialSignature(event)]), body: body, now: now)
        #expect(result == .rejected(.signatureMismatch))
    }

    /// Derived: signatures of the bodies without their final newline must NOT verify the files as shipped.
    @Test(arguments: [
        ("user-eligibility-event.json", "shr9ESKwofDMwjJqx33y/6tyo68nAFHb4FxH63Ku4Gw="),
        ("price-curve-event.json", "1M3+kXlnJ7jL5yGWf/ACe86zFXGPmvRTSgEpuaimdH8="),
    ])
    func trimmedBodySignatureDoesNotVerifyShippedFile(_ event: String, _ trimmedSignature: String) throws {
        var body = try Fixture.bytes("spark/\(event)")
        let shipped = try verifier([secret()]).verify(
            headers: headerLookup(["X-Payload-Signature": trimmedSignature]), body: body, now: now)
        #expect(shipped == .rejected(.signatureMismatch))
        body.removeLast()
        let trimmed = try verifier([secret()]).verify(
            headers: headerLookup(["X-Payload-Signature": trimmedSignature]), body: body, now: now)
        #expect(trimmed == .verified(secretIndex: 0, deliveryId: nil))
    }

    /// Derived: `{}` and the empty body.
    @Test(arguments: [
        ("{}", "giasIHWwfR9pAc/G1z4ZlBCK7GpnMqFDXy9XAUXDtSU="),
        ("", "sIWdFgbhTy1zwYYsv9UIMbn8bQcqLabgPvU9kwxLyY8="),
    ])
    func derivedBodiesVerify(_ body: String, _ signature: String) throws {
        let result = try verifier(["Secret123%"]).verify(
            headers: headerLookup(["X-Payload-Signature": signature]), body: bytes(body), now: now)
        #expect(result == .verified(secretIndex: 0, deliveryId: nil))
    }

    @Test func rotationSecondSecretVerifies() throws {
        let event = "user-eligibility-event.json"
        let result = try verifier(["new-secret-not-yet-used", secret()]).verify(
            headers: headerLookup(["X-Payload-Signature": officialSignature(event)]),
            body: Fixture.bytes("spark/\(event)"), now: now)
        #expect(result == .verified(secretIndex: 1, deliveryId: nil))
    }

    @Test func wrongSecretIsMismatch() throws {
        let event = "user-eligibility-event.json"
        let result = try verifier(["Secret123"]).verify(
            headers: headerLookup(["X-Payload-Signature": officialSignature(event)]),
            body: Fixture.bytes("spark/\(event)"), now: now)
        #expect(result == .rejected(.signatureMismatch))
    }

    @Test func headerNameIsLookedUpCaseInsensitively() throws {
        let event = "price-curve-event.json"
        let result = try verifier([secret()]).verify(
            headers: headerLookup(["x-payload-signature": officialSignature(event)]),
            body: Fixture.bytes("spark/\(event)"), now: now)
        #expect(result.isVerified)
    }

    @Test func missingOrEmptyHeaderIsMissing() throws {
        let v = try verifier(["Secret123%"])
        #expect(v.verify(headers: headerLookup([String: String]()), body: bytes("{}"), now: now) == .rejected(.missingSignature))
        #expect(v.verify(headers: headerLookup(["X-Payload-Signature": ""]), body: bytes("{}"), now: now) == .rejected(.missingSignature))
    }

    @Test(arguments: [
        "giasIHWwfR9pAc/G1z4ZlBCK7GpnMqFDXy9XAUXDtS==",      // 31 bytes
        "giasIHWwfR9pAc/G1z4ZlBCK7GpnMqFDXy9XAUXDtSUA",      // 33 bytes
        "Zm9v",                                               // 3 bytes
        "giasIHWwfR9pAc/G1z4ZlBCK7GpnMqFDXy9XAUXDtSU",       // unpadded
        "giasIHWwfR9pAc_G1z4ZlBCK7GpnMqFDXy9XAUXDtSU=",      // URL-safe alphabet
        "giasIHWwfR9pAc/G1z4ZlBCK7GpnMqFDXy9XAUXDtSU=\n",    // newline kept from a file
        "sha256=giasIHWwfR9pAc/G1z4ZlBCK7GpnMqFDXy9XAUXDtSU=",
    ])
    func nonThirtyTwoByteOrNonStandardBase64IsMalformed(_ header: String) throws {
        let result = try verifier(["Secret123%"]).verify(
            headers: headerLookup(["X-Payload-Signature": header]), body: bytes("{}"), now: now)
        #expect(result == .rejected(.malformedSignature))
    }

    @Test func caseChangedBase64IsRejected() throws {
        let event = "user-eligibility-event.json"
        let official = try officialSignature(event)
        let body = try Fixture.bytes("spark/\(event)")
        let v = try verifier([secret()])
        for variant in [official.lowercased(), official.uppercased()] {
            #expect(variant != official)
            #expect(!v.verify(headers: headerLookup(["X-Payload-Signature": variant]), body: body, now: now).isVerified)
        }
    }

    @Test func surroundingSpacesAreOptionalWhitespace() throws {
        let event = "user-eligibility-event.json"
        let result = try verifier([secret()]).verify(
            headers: headerLookup(["X-Payload-Signature": " \(try officialSignature(event))\t"]),
            body: Fixture.bytes("spark/\(event)"), now: now)
        #expect(result.isVerified)
    }
}
