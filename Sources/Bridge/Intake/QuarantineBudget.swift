import FoundationEssentials
import Synchronization

/// A token bucket bounding how fast bodies that failed authentication are written to quarantine, so an
/// unauthenticated flood cannot fill the disk or starve the inbox's write queue.
final class QuarantineBudget: Sendable {
    private struct State {
        var tokens: Double
        var last: Date
    }

    private let ratePerSecond: Double
    private let burst: Double
    private let state: Mutex<State>

    init(ratePerSecond: Double = 10, burst: Double = 50) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        state = Mutex(State(tokens: burst, last: Date()))
    }

    func take(now: Date = Date()) -> Bool {
        state.withLock { s in
            s.tokens = min(burst, s.tokens + now.timeIntervalSince(s.last) * ratePerSecond)
            s.last = now
            guard s.tokens >= 1 else { return false }
            s.tokens -= 1
            return true
        }
    }
}
