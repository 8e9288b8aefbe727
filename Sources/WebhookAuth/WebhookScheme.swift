/// How a webhook sender authenticates its requests; chosen per endpoint in the configuration
/// (`webhooks[].scheme`). The raw values are the configuration and CLI spellings.
public enum WebhookScheme: String, Sendable, CaseIterable {
    /// Volue Spark Energy Coordination: `X-Payload-Signature` = Base64 HMAC-SHA256 of the raw body.
    case spark
    /// Standard Webhooks / Svix: `webhook-id`, `webhook-timestamp`, `webhook-signature` (`v1,` Base64).
    case standardWebhooks = "standard-webhooks"
    /// Stripe: `Stripe-Signature: t=…,v1=<hex>`.
    case stripe
    /// GitHub: `X-Hub-Signature-256: sha256=<hex>`.
    case github
    /// OpenADR 3: `Authorization: Bearer <token>` (no message integrity).
    case bearer

    /// Whether the scheme carries a signed timestamp checked against a tolerance window.
    public var hasTimestamp: Bool {
        switch self {
        case .standardWebhooks, .stripe: return true
        case .spark, .github, .bearer: return false
        }
    }
}
