/// The header names each scheme reads and writes (lower-case; header lookup is case-insensitive).
enum WebhookHeaderNames {
    static let sparkSignature = "x-payload-signature"
    static let webhookId = "webhook-id"
    static let webhookTimestamp = "webhook-timestamp"
    static let webhookSignature = "webhook-signature"
    static let svixId = "svix-id"
    static let svixTimestamp = "svix-timestamp"
    static let svixSignature = "svix-signature"
    static let stripeSignature = "stripe-signature"
    static let githubSignature256 = "x-hub-signature-256"
    static let githubDelivery = "x-github-delivery"
    static let authorization = "authorization"
}
