import FoundationEssentials

/// A report to post back to Energy Coordination once an event's deliveries are final (design §1 item 8).
public struct NewReport: Sendable, Equatable {
    /// The inbox row whose deliveries this report covers.
    public var inboxId: Int64?
    public var eventId: String
    public var operation: String?
    /// Stable across replays; enqueueing the same key again returns the existing report.
    public var idempotencyKey: String
    /// Exactly what will be posted, as JSON text.
    public var requestJSON: String
    public var notBefore: Date?

    public init(inboxId: Int64? = nil, eventId: String, operation: String? = nil, idempotencyKey: String,
                requestJSON: String, notBefore: Date? = nil) {
        self.inboxId = inboxId
        self.eventId = eventId
        self.operation = operation
        self.idempotencyKey = idempotencyKey
        self.requestJSON = requestJSON
        self.notBefore = notBefore
    }
}

/// A stored report. States as for deliveries: `pending`, then `done`, `failed` or `dead`.
public struct ReportRow: Sendable, Equatable {
    public var id: Int64
    public var inboxId: Int64?
    public var eventId: String
    public var operation: String?
    public var idempotencyKey: String
    public var requestJSON: String
    public var state: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var claimedUntil: Date?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date

    static let columns = """
        id, inbox_id, event_id, operation, idempotency_key, request_json, state, attempts, next_attempt_at,
        claimed_until, last_error, created_at, updated_at
        """

    init(_ s: Statement) {
        id = s.int64(0)
        inboxId = s.optionalInt64(1)
        eventId = s.string(2) ?? ""
        operation = s.string(3)
        idempotencyKey = s.string(4) ?? ""
        requestJSON = s.string(5) ?? ""
        state = s.string(6) ?? ""
        attempts = s.int(7)
        nextAttemptAt = s.date(8)
        claimedUntil = s.date(9)
        lastError = s.string(10)
        createdAt = s.date(11) ?? Date(timeIntervalSince1970: 0)
        updatedAt = s.date(12) ?? Date(timeIntervalSince1970: 0)
    }
}
