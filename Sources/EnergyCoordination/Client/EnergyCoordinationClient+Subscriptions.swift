import Essentials

/// Webhook registrations: `/subscriptions` (v1) or `/webhooks` (2024).
extension EnergyCoordinationClient {
    private var subscriptionsPath: String { apiVersion == .v1 ? "/subscriptions" : "/webhooks" }

    public func listSubscriptions() throws -> [WebhookSubscription] {
        let json = try sendJSON("GET", subscriptionsPath)
        guard let items = json.arrayValue ?? json.first(["webhooks", "subscriptions", "items"])?.arrayValue else {
            throw EnergyCoordinationError(kind: .decoding, operation: "GET \(subscriptionsPath)",
                                          message: "expected a list, got \(json.typeName)")
        }
        var subscriptions: [WebhookSubscription] = []
        for item in items { subscriptions.append(try WebhookSubscription(json: item)) }
        return subscriptions
    }

    public func subscription(id: String) throws -> WebhookSubscription {
        try WebhookSubscription(json: sendJSON("GET", subscriptionsPath + "/" + Self.segment(id)))
    }

    /// Creates a registration. v1: `POST /subscriptions`; 2024: `POST /webhooks` (201).
    public func createSubscription(_ draft: SubscriptionDraft) throws -> WebhookSubscription {
        let secrets = draft.secret.map { [$0] } ?? []
        let body = apiVersion == .v1 ? draft.v1Body(id: nil) : draft.webhookBody()
        return try WebhookSubscription(json: sendJSON("POST", subscriptionsPath, body: body, secrets: secrets))
    }

    /// Changes a registration. v1 replaces it (`PUT`, unset fields kept from the current one); 2024 sends
    /// only what is set (`PATCH`).
    public func updateSubscription(id: String, _ draft: SubscriptionDraft) throws -> WebhookSubscription {
        let path = subscriptionsPath + "/" + Self.segment(id)
        switch apiVersion {
        case .v1:
            let current = try subscription(id: id)
            let full = draft.filled(from: current)
            let secrets = [full.secret].compactMap { $0 }
            let answer = try sendJSON("PUT", path, body: full.v1Body(id: id), secrets: secrets)
            return answer.isNull ? try subscription(id: id) : try WebhookSubscription(json: answer)
        case .v2024:
            let secrets = draft.secret.map { [$0] } ?? []
            let answer = try sendJSON("PATCH", path, body: draft.webhookBody(), secrets: secrets)
            return answer.isNull ? try subscription(id: id) : try WebhookSubscription(json: answer)
        }
    }

    public func deleteSubscription(id: String) throws {
        _ = try send("DELETE", subscriptionsPath + "/" + Self.segment(id))
    }

    /// Asks Spark to send a test notification to the registration's URL.
    public func testSubscription(id: String) throws {
        _ = try send("POST", subscriptionsPath + "/" + Self.segment(id) + "/test")
    }

    /// 2024 only: `PUT /webhooks/{id}/enabled?enabled=true|false`.
    public func setSubscriptionEnabled(id: String, _ enabled: Bool) throws {
        guard apiVersion == .v2024 else {
            throw EnergyCoordinationError(kind: .http, operation: "enable", message: "enabling and disabling needs apiVersion 2024")
        }
        _ = try send("PUT", "/webhooks/" + Self.segment(id) + "/enabled", query: [("enabled", enabled ? "true" : "false")])
    }
}
