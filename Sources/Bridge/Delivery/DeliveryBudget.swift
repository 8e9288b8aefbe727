import BridgeStore
import FoundationEssentials

/// A delivery's attempt history as the retry rules see it.
///
/// Why: `outbox retry` gives a delivery a fresh budget, so attempts and age count from the last
/// `requeued` marker (or from planning); and a SolarNetwork delivery whose earlier try had an unknown
/// outcome must look for an already-queued instruction before posting again.
struct DeliveryBudget: Sendable {
    /// The `delivery_attempts.outcome` the CLI writes when an operator puts a delivery back.
    static let requeuedOutcome = "requeued"

    /// When the current budget began.
    var start: Date
    /// Attempts made within the current budget.
    var attempts: Int
    /// Whether an attempt in the current budget ended without a definite answer.
    var hadUnknownOutcome: Bool
    /// When the instruction being tracked was queued or adopted (the latest successful attempt).
    var sentAt: Date?

    init(row: DeliveryRow, history: [AttemptRow]) {
        let lastRequeue = history.lastIndex(where: { $0.outcome == Self.requeuedOutcome })
        let window = lastRequeue.map { Array(history[($0 + 1)...]) } ?? history
        start = lastRequeue.map { history[$0].startedAt } ?? row.createdAt
        attempts = window.count
        hadUnknownOutcome = window.contains { $0.outcome == "transient" }
        sentAt = window.last(where: { $0.outcome == "ok" || $0.outcome == "adopted" })?.startedAt
    }
}
