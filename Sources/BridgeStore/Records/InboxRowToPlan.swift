import FoundationEssentials

/// The part of an inbox row the planner reads: no headers, no earlier plan, and the raw body only when
/// the row has no stored event JSON (the planner decodes the event from it when the intake's decoded copy
/// is gone).
///
/// Why a type of its own: the planning worker reads every accepted row once, and copying its headers and
/// plan out of SQLite was a visible share of that work for data it never looks at.
public struct InboxRowToPlan: Sendable, Equatable {
    public var id: Int64
    public var dedupeKey: String
    public var eventId: String?
    /// As stored (inferred by the store when the notification did not say).
    public var operation: String?
    /// The normalised event as JSON text, in rows written before the intake stopped storing it.
    public var eventJSON: String?
    /// The raw body, read only when `eventJSON` is `nil` (empty otherwise).
    public var rawBody: [UInt8]
    public var receivedAt: Date

    public init(id: Int64, dedupeKey: String, eventId: String?, operation: String?, eventJSON: String?,
                rawBody: [UInt8] = [], receivedAt: Date) {
        self.id = id
        self.dedupeKey = dedupeKey
        self.eventId = eventId
        self.operation = operation
        self.eventJSON = eventJSON
        self.rawBody = rawBody
        self.receivedAt = receivedAt
    }

    static let columns =
        "id, dedupe_key, event_id, operation, event_json, received_at, CASE WHEN event_json IS NULL THEN raw_body END"

    init(_ s: Statement) {
        id = s.int64(0)
        dedupeKey = s.string(1) ?? ""
        eventId = s.string(2)
        operation = s.string(3)
        eventJSON = s.string(4)
        receivedAt = s.date(5) ?? Date(timeIntervalSince1970: 0)
        rawBody = s.bytes(6)
    }
}
