import FoundationEssentials

/// A stored inbox row, as listed by `inbox list|show` and read by the planner.
public struct InboxRow: Sendable, Equatable {
    public var id: Int64
    public var dedupeKey: String
    public var eventId: String?
    public var notificationId: String?
    public var dialect: String?
    public var operation: String?
    public var payloadType: String?
    public var state: String
    public var eventJSON: String?
    public var rawBody: [UInt8]
    public var headersJSON: String?
    public var webhookPath: String?
    public var receivedAt: Date
    public var plannedAt: Date?
    public var error: String?
    /// What the planner made of the row: `{"deliveries": […], "skipped": […]}` (JSON text), once planned.
    public var planJSON: String?

    static let columns = """
        id, dedupe_key, event_id, notification_id, dialect, operation, payload_type, state, event_json,
        raw_body, headers_json, webhook_path, received_at, planned_at, error, plan_json
        """

    init(_ s: Statement) {
        id = s.int64(0)
        dedupeKey = s.string(1) ?? ""
        eventId = s.string(2)
        notificationId = s.string(3)
        dialect = s.string(4)
        operation = s.string(5)
        payloadType = s.string(6)
        state = s.string(7) ?? ""
        eventJSON = s.string(8)
        rawBody = s.bytes(9)
        headersJSON = s.string(10)
        webhookPath = s.string(11)
        receivedAt = s.date(12) ?? Date(timeIntervalSince1970: 0)
        plannedAt = s.date(13)
        error = s.string(14)
        planJSON = s.string(15)
    }
}
