import Foundation

/// The part of an inbox row the planner reads: no raw body, no headers, no earlier plan.
///
/// Why a type of its own: the planning worker reads every accepted row once, and copying its raw body
/// and headers out of SQLite was a visible share of that work for data it never looks at.
public struct InboxRowToPlan: Sendable, Equatable {
    public var id: Int64
    public var dedupeKey: String
    public var eventId: String?
    /// As stored (inferred by the store when the notification did not say).
    public var operation: String?
    /// The normalised event as JSON text.
    public var eventJSON: String?
    public var receivedAt: Date

    public init(id: Int64, dedupeKey: String, eventId: String?, operation: String?, eventJSON: String?,
                receivedAt: Date) {
        self.id = id
        self.dedupeKey = dedupeKey
        self.eventId = eventId
        self.operation = operation
        self.eventJSON = eventJSON
        self.receivedAt = receivedAt
    }

    static let columns = "id, dedupe_key, event_id, operation, event_json, received_at"

    init(_ s: Statement) {
        id = s.int64(0)
        dedupeKey = s.string(1) ?? ""
        eventId = s.string(2)
        operation = s.string(3)
        eventJSON = s.string(4)
        receivedAt = s.date(5) ?? Date(timeIntervalSince1970: 0)
    }
}
