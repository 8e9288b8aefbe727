import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When to try a transiently failed delivery again, or to give up (`dead`).
///
/// Why "full jitter": after an outage every pending delivery fails at once; spreading the retries
/// uniformly over `[0, min(maxDelay, baseDelay·2^(n−1))]` keeps them from hitting the partner together.
/// A `Retry-After` is a lower bound. The budget (`maxAttempts`, `maxAge`) counts from planning or from the
/// last operator retry.
struct RetryPolicy: Sendable {
    var baseDelay: Double
    var maxDelay: Double
    var maxAttempts: Int
    var maxAge: Double

    init(_ settings: DeliverySettings) {
        baseDelay = settings.baseDelay
        maxDelay = settings.maxDelay
        maxAttempts = settings.maxAttempts
        maxAge = settings.maxAge
    }

    /// The delay after the `attempt`-th attempt (1-based) failed.
    func delay(afterAttempt attempt: Int, retryAfter: Double?, jitter: JitterSource) -> Double {
        let exponent = Double(min(max(attempt - 1, 0), 60))
        let bound = min(maxDelay, baseDelay * pow(2, exponent))
        let jittered = bound * jitter.unit()
        return max(jittered, retryAfter ?? 0)
    }

    /// The next attempt time, or `nil` when the budget is spent (`attempts` made so far, budget started at
    /// `budgetStart`).
    func nextAttempt(after attempts: Int, budgetStart: Date, now: Date, retryAfter: Double?,
                     jitter: JitterSource) -> Date? {
        guard attempts < maxAttempts else { return nil }
        let next = now.addingTimeInterval(delay(afterAttempt: attempts, retryAfter: retryAfter, jitter: jitter))
        guard next.timeIntervalSince(budgetStart) <= maxAge else { return nil }
        return next
    }
}
