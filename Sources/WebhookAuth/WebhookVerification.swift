/// The outcome of verifying one webhook request.
public enum WebhookVerification: Sendable, Equatable {
    /// Authentic. `secretIndex` says which configured secret matched (a non-zero index while rotating means
    /// the sender still uses an older secret); `deliveryId` is the sender's signed-or-transport delivery id
    /// (`webhook-id`, `X-GitHub-Delivery`) — a dedupe hint, `nil` when the scheme has none.
    case verified(secretIndex: Int, deliveryId: String?)
    /// Refused; answer 401.
    case rejected(WebhookRejection)

    /// `true` for `.verified`.
    public var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }
}
