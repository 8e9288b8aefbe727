/// Turns a configured secret string into the MAC key (or bearer token) bytes of a scheme.
///
/// Why one place: the classic failure is using the wrong key bytes (Standard Webhooks keys are the
/// Base64-decoded part after `whsec_`; Stripe keys are the UTF-8 of the whole `whsec_…` string).
enum WebhookKey {
    static let standardWebhooksPrefix = "whsec_"

    /// The key bytes; `position` (1-based) is used only in error messages.
    static func bytes(scheme: WebhookScheme, secret: String, position: Int) throws(WebhookAuthError) -> [UInt8] {
        guard !secret.isEmpty else {
            throw WebhookAuthError("webhook secret #\(position) is empty")
        }
        switch scheme {
        case .spark, .stripe, .github, .bearer:
            return Array(secret.utf8)
        case .standardWebhooks:
            let encoded = secret.hasPrefix(standardWebhooksPrefix)
                ? String(secret.dropFirst(standardWebhooksPrefix.count)) : secret
            guard !encoded.isEmpty else {
                throw WebhookAuthError("webhook secret #\(position) has no key after the whsec_ prefix")
            }
            guard let key = Base64.decode(encoded), !key.isEmpty else {
                throw WebhookAuthError("webhook secret #\(position) is not standard Base64 (after the optional whsec_ prefix)")
            }
            return key
        }
    }
}
