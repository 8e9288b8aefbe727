/// Produces the headers a sender would add for a body: used by `ecbridge sign` and `replay`, by the local
/// stand-ins, and by tests. The exact inverse of `WebhookVerifier`.
public enum WebhookSigner {
    /// The authentication headers for `body` under `scheme`.
    /// - Parameters:
    ///   - id: `webhook-id` (required for `standard-webhooks`, no `.`); for `github` it becomes
    ///     `X-GitHub-Delivery`; ignored otherwise.
    ///   - timestamp: Unix seconds (required for `standard-webhooks` and `stripe`); ignored otherwise.
    /// - Throws: `WebhookAuthError` for an unusable secret or a missing/invalid id or timestamp.
    public static func headers(scheme: WebhookScheme, secret: String, body: [UInt8], id: String?,
                               timestamp: Int?) throws -> [(name: String, value: String)] {
        let key = try WebhookKey.bytes(scheme: scheme, secret: secret, position: 1)
        switch scheme {
        case .spark:
            return [("X-Payload-Signature", Base64.encode(HMACSHA256.mac(key: key, message: body)))]
        case .standardWebhooks:
            guard let id, !id.isEmpty, !id.contains("."), !id.contains(" ") else {
                throw WebhookAuthError("standard-webhooks signing needs a webhook id without '.' or spaces")
            }
            let ts = try requireTimestamp(timestamp, scheme)
            let mac = HMACSHA256.mac(key: key, message: Array("\(id).\(ts).".utf8) + body)
            return [("webhook-id", id), ("webhook-timestamp", String(ts)), ("webhook-signature", "v1," + Base64.encode(mac))]
        case .stripe:
            let ts = try requireTimestamp(timestamp, scheme)
            let mac = HMACSHA256.mac(key: key, message: Array("\(ts).".utf8) + body)
            return [("Stripe-Signature", "t=\(ts),v1=\(Hex.encode(mac))")]
        case .github:
            var out: [(name: String, value: String)] = [
                ("X-Hub-Signature-256", "sha256=" + Hex.encode(HMACSHA256.mac(key: key, message: body))),
            ]
            if let id, !id.isEmpty { out.append(("X-GitHub-Delivery", id)) }
            return out
        case .bearer:
            return [("Authorization", "Bearer " + secret)]
        }
    }

    private static func requireTimestamp(_ timestamp: Int?, _ scheme: WebhookScheme) throws(WebhookAuthError) -> Int {
        guard let timestamp, timestamp >= 0 else {
            throw WebhookAuthError("\(scheme.rawValue) signing needs a non-negative Unix timestamp")
        }
        return timestamp
    }
}
