/// A webhook body read into the normalised event, plus the key the inbox deduplicates on.
///
/// Why a separate type: the dedupe key depends on the envelope (notification id) as well as the event,
/// and the inbox needs both in the same transaction.
public struct DecodedNotification: Sendable, Equatable {
    public var event: CoordinationEvent
    /// Dedupe key per design.md §1.4: `notification:<notificationId>`, else
    /// `event:<eventId>@<modification time RFC 3339>` (with `/Delete` appended for a Delete), else
    /// `body:<sha256 hex>`.
    public var dedupeKey: String

    public init(event: CoordinationEvent, dedupeKey: String) {
        self.event = event
        self.dedupeKey = dedupeKey
    }
}
