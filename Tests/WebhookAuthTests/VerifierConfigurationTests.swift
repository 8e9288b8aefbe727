import Testing
@testable import WebhookAuth

@Suite struct VerifierConfigurationTests {
    @Test(arguments: WebhookScheme.allCases)
    func emptyListOrEmptySecretIsRefused(_ scheme: WebhookScheme) {
        #expect(throws: WebhookAuthError.self) { try WebhookVerifier(scheme: scheme, secrets: []) }
        #expect(throws: WebhookAuthError.self) { try WebhookVerifier(scheme: scheme, secrets: ["abcd", ""]) }
    }

    @Test func schemeRawValuesAreTheConfigSpellings() {
        #expect(WebhookScheme.allCases.map(\.rawValue) == ["spark", "standard-webhooks", "stripe", "github", "bearer"])
        #expect(WebhookScheme(rawValue: "standard-webhooks") == .standardWebhooks)
    }

    @Test func descriptionDoesNotRevealSecrets() throws {
        let verifier = try WebhookVerifier(scheme: .spark, secrets: ["super-secret-value", "another-secret"])
        #expect(verifier.secretCount == 2)
        for text in [String(describing: verifier), String(reflecting: verifier), "\(Mirror(reflecting: verifier).children.map { "\($0.value)" })"] {
            #expect(!text.contains("super-secret-value"))
            #expect(!text.contains("another-secret"))
        }
        var dumped = ""
        dump(verifier, to: &dumped)
        #expect(!dumped.contains("115, 117, 112"))  // no key bytes either ("sup")
        #expect(!dumped.contains("super-secret-value"))
    }

    @Test func errorTextNamesPositionNotSecret() {
        do {
            _ = try WebhookVerifier(scheme: .spark, secrets: ["keep-me-hidden", ""])
            Issue.record("accepted an empty secret")
        } catch {
            #expect(String(describing: error).contains("#2"))
            #expect(!String(describing: error).contains("keep-me-hidden"))
        }
    }
}
