/// The planner's decision for one inbox row, as `BridgeStore.plan(batch:)` records it.
///
/// Why a value of its own: the planning worker decides many rows on its thread and hands them to the
/// store together, so that one transaction (one fsync) records them all.
public struct InboxPlan: Sendable, Equatable {
    public var inboxId: Int64
    /// The row's new state: `planned`, or `failed` when it cannot be planned.
    public var state: String
    /// The outbox rows to insert (see `BridgeStore.plan(inboxId:…)` for the rules).
    public var deliveries: [NewDelivery]
    /// Why the row failed, for `failed`.
    public var error: String?
    /// `{"deliveries": […], "skipped": […]}` as JSON text, for `inbox show`.
    public var planJSON: String?

    public init(inboxId: Int64, state: String, deliveries: [NewDelivery] = [], error: String? = nil,
                planJSON: String? = nil) {
        self.inboxId = inboxId
        self.state = state
        self.deliveries = deliveries
        self.error = error
        self.planJSON = planJSON
    }
}
