import Essentials

/// A webhook registration at Spark, as either API generation returns it: a v1 subscription
/// (`{id, webhookSecret, webhookUrl, eventPayloadTypes, operationTypes}`) or a 2024 webhook
/// (`{webhookId, webhookUrl, name, notificationTypes, enabled, status, createdDate, modifiedDate}`).
///
/// Why one type: the CLI lists and shows both the same way; `raw` keeps everything the server said.
public struct WebhookSubscription: Sendable, Equatable {
    public var id: String
    public var url: String?
    /// Returned by the v1 API only. Never print it; `hasSecret` says whether one is set.
    public var secret: String?
    public var name: String?
    /// v1 filter: `CurrentLevel`, `PowerLevel`, `Unknown` (empty = all).
    public var eventPayloadTypes: [String]
    /// v1 filter: `Create`, `Update`, `Delete` (empty = all).
    public var operationTypes: [String]
    /// 2024 filter: `ResourceLPCRequested`, … (empty = all).
    public var notificationTypes: [String]
    public var enabled: Bool?
    /// 2024: `New`, `Healthy`, `Unhealthy`, `TimeOut`.
    public var status: String?
    public var createdAt: String?
    public var modifiedAt: String?
    public var raw: JSON

    public var hasSecret: Bool { !(secret ?? "").isEmpty }

    /// Reads an answer leniently; throws when it is not an object with an id.
    public init(json: JSON) throws(EnergyCoordinationError) {
        guard case .object = json, let id = json.text(["id", "ID", "webhookId", "subscriptionId"]) else {
            throw EnergyCoordinationError(kind: .decoding, operation: "subscription", message: "expected an object with an id")
        }
        self.id = id
        url = json.text(["webhookUrl", "url", "webhookURL"])
        secret = json.text(["webhookSecret", "secret"])
        name = json.text(["name"])
        eventPayloadTypes = json.strings(["eventPayloadTypes", "eventTypes"])
        operationTypes = json.strings(["operationTypes", "operations"])
        notificationTypes = json.strings(["notificationTypes"])
        enabled = json.first(["enabled", "isEnabled"])?.boolValue
        status = json.text(["status"])
        createdAt = json.text(["createdDate", "createdAt", "createdDateTime"])
        modifiedAt = json.text(["modifiedDate", "modifiedAt", "modificationDateTime"])
        raw = json
    }

    /// A JSON summary for `--json` output, with the secret replaced by whether one is set.
    public var summaryJSON: JSON {
        .members([
            ("id", .string(id)), ("url", url.map(JSON.string)), ("name", name.map(JSON.string)),
            ("hasSecret", .bool(hasSecret)),
            ("eventPayloadTypes", eventPayloadTypes.isEmpty ? nil : .array(eventPayloadTypes.map(JSON.string))),
            ("operationTypes", operationTypes.isEmpty ? nil : .array(operationTypes.map(JSON.string))),
            ("notificationTypes", notificationTypes.isEmpty ? nil : .array(notificationTypes.map(JSON.string))),
            ("enabled", enabled.map(JSON.bool)), ("status", status.map(JSON.string)),
            ("createdAt", createdAt.map(JSON.string)), ("modifiedAt", modifiedAt.map(JSON.string)),
        ])
    }
}

/// What to create or change in a webhook registration; `nil` fields are left out (PATCH) or taken from
/// the current registration (v1 PUT, which replaces the whole subscription).
public struct SubscriptionDraft: Sendable, Equatable {
    public var url: String?
    public var secret: String?
    public var name: String?
    public var eventPayloadTypes: [String]?
    public var operationTypes: [String]?
    public var notificationTypes: [String]?

    public init(url: String? = nil, secret: String? = nil, name: String? = nil, eventPayloadTypes: [String]? = nil,
                operationTypes: [String]? = nil, notificationTypes: [String]? = nil) {
        self.url = url
        self.secret = secret
        self.name = name
        self.eventPayloadTypes = eventPayloadTypes
        self.operationTypes = operationTypes
        self.notificationTypes = notificationTypes
    }

    /// The v1 body `{id?, webhookSecret, webhookUrl, eventPayloadTypes, operationTypes}`.
    func v1Body(id: String?) -> JSON {
        .members([
            ("id", id.map(JSON.string)), ("webhookSecret", secret.map(JSON.string)), ("webhookUrl", url.map(JSON.string)),
            ("eventPayloadTypes", eventPayloadTypes.map { .array($0.map(JSON.string)) }),
            ("operationTypes", operationTypes.map { .array($0.map(JSON.string)) }),
        ])
    }

    /// The 2024 body `{name?, webhookSecret?, webhookUrl, notificationTypes}` (PATCH: only what is set).
    func webhookBody() -> JSON {
        .members([
            ("name", name.map(JSON.string)), ("webhookSecret", secret.map(JSON.string)), ("webhookUrl", url.map(JSON.string)),
            ("notificationTypes", notificationTypes.map { .array($0.map(JSON.string)) }),
        ])
    }

    /// This draft with unset fields taken from `current` (for a v1 PUT, which replaces everything).
    func filled(from current: WebhookSubscription) -> SubscriptionDraft {
        var draft = self
        if draft.url == nil { draft.url = current.url }
        if draft.secret == nil { draft.secret = current.secret }
        if draft.name == nil { draft.name = current.name }
        if draft.eventPayloadTypes == nil { draft.eventPayloadTypes = current.eventPayloadTypes }
        if draft.operationTypes == nil { draft.operationTypes = current.operationTypes }
        if draft.notificationTypes == nil { draft.notificationTypes = current.notificationTypes }
        return draft
    }
}
