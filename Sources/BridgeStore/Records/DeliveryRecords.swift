import FoundationEssentials

/// The outbox states. `pending → sent → done | failed | dead`; `superseded` when a later plan for the
/// same event and target replaced a delivery that had not gone out yet.
public enum DeliveryState {
    public static let pending = "pending"
    public static let sent = "sent"
    public static let done = "done"
    public static let failed = "failed"
    public static let dead = "dead"
    public static let superseded = "superseded"

    /// States after which nothing more happens to a delivery (its target's next delivery may go).
    public static let final: Set<String> = Set(finalInOrder)

    static let finalInOrder = [done, failed, dead, superseded]

    static let finalSQLList = "('done', 'failed', 'dead', 'superseded')"

    /// "`column` is not final", spelled as the partial indexes of schema version 3 spell it (a query uses
    /// such an index only when it repeats its condition), without an IN list (SQLite builds a temporary
    /// b-tree for one each time the statement runs).
    static func openSQL(_ column: String) -> String {
        finalInOrder.map { "\(column) <> '\($0)'" }.joined(separator: " AND ")
    }
}

/// A downstream message the planner wants sent (one row of the outbox).
public struct NewDelivery: Sendable, Equatable {
    /// `nil` takes the inbox row's event id.
    public var eventId: String?
    /// Identifies the physical target (e.g. `solarnetwork-ocpp:123:5:1`); deliveries of one target are
    /// applied in the order they were planned.
    public var targetKey: String
    public var channel: String
    public var operation: String?
    /// Stable across replays; planning the same key again returns the existing delivery.
    public var idempotencyKey: String
    /// Exactly what will be sent, as JSON text.
    public var requestJSON: String
    /// Earliest send time; `nil` means as soon as possible.
    public var notBefore: Date?

    public init(eventId: String? = nil, targetKey: String, channel: String, operation: String? = nil,
                idempotencyKey: String, requestJSON: String, notBefore: Date? = nil) {
        self.eventId = eventId
        self.targetKey = targetKey
        self.channel = channel
        self.operation = operation
        self.idempotencyKey = idempotencyKey
        self.requestJSON = requestJSON
        self.notBefore = notBefore
    }
}

/// A stored outbox row.
public struct DeliveryRow: Sendable, Equatable {
    public var id: Int64
    public var inboxId: Int64
    public var eventId: String?
    public var targetKey: String
    public var channel: String
    public var operation: String?
    public var idempotencyKey: String
    /// Per-target order (1, 2, …).
    public var sequence: Int64
    public var requestJSON: String
    public var state: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    /// While set and in the future, a worker holds this delivery (see `claimDueDeliveries`).
    public var claimedUntil: Date?
    public var lastError: String?
    /// E.g. the SolarNetwork instruction id.
    public var externalId: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var finalAt: Date?
    public var resultJSON: String?

    public var isFinal: Bool { DeliveryState.final.contains(state) }

    static let columns = """
        id, inbox_id, event_id, target_key, channel, operation, idempotency_key, sequence, request_json,
        state, attempts, next_attempt_at, claimed_until, last_error, external_id, created_at, updated_at,
        final_at, result_json
        """

    init(_ s: Statement) {
        id = s.int64(0)
        inboxId = s.int64(1)
        eventId = s.string(2)
        targetKey = s.string(3) ?? ""
        channel = s.string(4) ?? ""
        operation = s.string(5)
        idempotencyKey = s.string(6) ?? ""
        sequence = s.int64(7)
        requestJSON = s.string(8) ?? ""
        state = s.string(9) ?? ""
        attempts = s.int(10)
        nextAttemptAt = s.date(11)
        claimedUntil = s.date(12)
        lastError = s.string(13)
        externalId = s.string(14)
        createdAt = s.date(15) ?? Date(timeIntervalSince1970: 0)
        updatedAt = s.date(16) ?? Date(timeIntervalSince1970: 0)
        finalAt = s.date(17)
        resultJSON = s.string(18)
    }
}

/// One try at sending a delivery (or polling its result), as the channel observed it.
public struct AttemptRecord: Sendable, Equatable {
    public var startedAt: Date
    public var latencyMs: Int64?
    public var httpStatus: Int?
    /// E.g. `ok`, `transient`, `permanent`, `timeout`.
    public var outcome: String
    /// A short description without secrets or bodies.
    public var error: String?

    public init(startedAt: Date, latencyMs: Int64? = nil, httpStatus: Int? = nil, outcome: String,
                error: String? = nil) {
        self.startedAt = startedAt
        self.latencyMs = latencyMs
        self.httpStatus = httpStatus
        self.outcome = outcome
        self.error = error
    }
}

/// A stored attempt.
public struct AttemptRow: Sendable, Equatable {
    public var id: Int64
    public var deliveryId: Int64
    public var startedAt: Date
    public var latencyMs: Int64?
    public var httpStatus: Int?
    public var outcome: String
    public var error: String?

    static let columns = "id, delivery_id, started_at, latency_ms, http_status, outcome, error"

    init(_ s: Statement) {
        id = s.int64(0)
        deliveryId = s.int64(1)
        startedAt = s.date(2) ?? Date(timeIntervalSince1970: 0)
        latencyMs = s.optionalInt64(3)
        httpStatus = s.optionalInt(4)
        outcome = s.string(5) ?? ""
        error = s.string(6)
    }
}
