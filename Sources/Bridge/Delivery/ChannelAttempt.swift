import FoundationEssentials

/// What one try at a channel came to, before the outbox turns it into a state change.
///
/// Why separate from the store's `AttemptRecord`: channels only report what happened on the wire; the
/// processor alone decides retries, budgets and final states.
struct ChannelAttempt: Sendable {
    enum Result: Sendable {
        /// Delivered and final (OSCP 204, GreenFlux PUT 2xx, an instruction already `Completed` and accepted).
        case done(result: String?)
        /// A SolarNetwork instruction was queued (or an earlier one adopted): the tracker takes over.
        case queued(instructionId: Int64, adopted: Bool, result: String?)
        /// Try again later (connection error, 408/429/5xx); `retryAfter` in seconds when the peer said.
        case transient(reason: String, retryAfter: Double?)
        /// Never retried: authentication, validation, declined.
        case permanent(reason: String, result: String?)
    }

    var httpStatus: Int?
    /// Seconds spent on the wire.
    var latency: Double
    var result: Result

    /// The `delivery_attempts.outcome` word.
    var outcome: String {
        switch result {
        case .done: return "ok"
        case let .queued(_, adopted, _): return adopted ? "adopted" : "ok"
        case .transient: return "transient"
        case .permanent: return "permanent"
        }
    }
}
