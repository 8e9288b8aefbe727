import WebhookAuth

/// A configured webhook path with its ready verifier (secrets resolved once at start-up).
struct WebhookEndpoint: Sendable {
    var settings: WebhookEndpointSettings
    var verifier: WebhookVerifier
    var maxBodyBytes: Int
}
