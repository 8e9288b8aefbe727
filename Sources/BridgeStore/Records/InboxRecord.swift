import FoundationEssentials

/// An accepted notification as the intake hands it to the store (design §1 item 4).
///
/// Plain strings and bytes: the store knows nothing of the energy models. `operation == nil` asks the
/// store to infer it (a bare `ec-v1` event): `Create` the first time the event id is seen, else `Update`.
public struct InboxRecord: Sendable, Equatable {
    /// Notification id, else event id + modification time, else body hash (computed by the caller).
    public var dedupeKey: String
    public var eventId: String?
    public var notificationId: String?
    public var dialect: String?
    public var operation: String?
    public var payloadType: String?
    /// `received` (to be planned), `ignored` (stored and acknowledged, not mapped), …
    public var state: String
    /// The normalised event as JSON text. The intake leaves it `nil` and keeps only `rawBody`, from which
    /// readers derive the event; older rows and callers that have no notification body set it.
    public var eventJSON: String?
    public var rawBody: [UInt8]
    /// Selected request headers as a JSON object — never signatures, tokens or other secrets.
    public var headersJSON: String?
    public var webhookPath: String?
    public var receivedAt: Date

    public init(dedupeKey: String, eventId: String? = nil, notificationId: String? = nil,
                dialect: String? = nil, operation: String? = nil, payloadType: String? = nil,
                state: String = InboxState.received, eventJSON: String? = nil, rawBody: [UInt8] = [],
                headersJSON: String? = nil, webhookPath: String? = nil, receivedAt: Date = Date()) {
        self.dedupeKey = dedupeKey
        self.eventId = eventId
        self.notificationId = notificationId
        self.dialect = dialect
        self.operation = operation
        self.payloadType = payloadType
        self.state = state
        self.eventJSON = eventJSON
        self.rawBody = rawBody
        self.headersJSON = headersJSON
        self.webhookPath = webhookPath
        self.receivedAt = receivedAt
    }
}

/// What `admit` did: stored a new row (with the operation as stored, inferred if it was `nil`), or found
/// an earlier row with the same dedupe key and changed nothing. Both are acknowledged with 200.
public enum InboxAdmission: Sendable, Equatable {
    case stored(id: Int64, operation: String?)
    case duplicate(id: Int64)

    /// The inbox row id either way.
    public var id: Int64 {
        switch self {
        case let .stored(id, _), let .duplicate(id): return id
        }
    }
}

/// Names of the inbox states the store itself relies on (others may be used freely).
public enum InboxState {
    public static let received = "received"
    public static let ignored = "ignored"
    public static let planned = "planned"
    public static let failed = "failed"
}

/// The operations inferred for a bare event.
public enum InboxOperation {
    public static let create = "Create"
    public static let update = "Update"
    public static let delete = "Delete"
}
