import Foundation
import Testing
@testable import WebhookAuth

@Suite struct BearerSchemeTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func verify(_ authorization: String?, tokens: [String] = ["token-a", "token-b"]) throws -> WebhookVerification {
        let headers: [String: String] = authorization.map { ["Authorization": $0] } ?? [:]
        return try WebhookVerifier(scheme: .bearer, secrets: tokens).verify(headers: headerLookup(headers), body: bytes("{}"), now: now)
    }

    @Test func configuredTokensVerify() throws {
        #expect(try verify("Bearer token-a") == .verified(secretIndex: 0, deliveryId: nil))
        #expect(try verify("Bearer token-b") == .verified(secretIndex: 1, deliveryId: nil))
        #expect(try verify("bearer token-a") == .verified(secretIndex: 0, deliveryId: nil))
    }

    @Test func otherTokensAreMismatches() throws {
        #expect(try verify("Bearer token-c") == .rejected(.signatureMismatch))
        #expect(try verify("Bearer token-") == .rejected(.signatureMismatch))
        #expect(try verify("Bearer TOKEN-A") == .rejected(.signatureMismatch))
        #expect(try verify("Bearer token-aa") == .rejected(.signatureMismatch))
    }

    @Test func missingOrOtherScheme() throws {
        #expect(try verify(nil) == .rejected(.missingSignature))
        #expect(try verify("Basic dXNlcjpwdw==") == .rejected(.missingSignature))
        #expect(try verify("Bearer") == .rejected(.missingSignature))
        #expect(try verify("token-a") == .rejected(.missingSignature))
    }

    @Test func signerWritesTheHeader() throws {
        let out = try WebhookSigner.headers(scheme: .bearer, secret: "token-a", body: [], id: nil, timestamp: nil)
        #expect(out.map(\.name) == ["Authorization"])
        #expect(out.map(\.value) == ["Bearer token-a"])
    }
}
