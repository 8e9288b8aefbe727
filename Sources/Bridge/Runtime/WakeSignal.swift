import Dispatch
import Synchronization

/// "There is work": wakes one idle worker, and coalesces. Any number of `wake()` calls while no worker has
/// started its next pass count as one.
///
/// Why not a bare counting semaphore: every webhook wakes the planner, and every `signal()` made while
/// it was busy used to buy one more pass later. After a burst of 25,000 events, that meant thousands
/// of passes that found nothing, each one still a query.
final class WakeSignal: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let pending = Atomic<Bool>(false)

    func wake() {
        if !pending.exchange(true, ordering: .acquiringAndReleasing) { semaphore.signal() }
    }

    /// Called by a worker as it starts a pass: wakes from now on signal again.
    func consume() {
        pending.store(false, ordering: .releasing)
    }

    /// Sleeps until a wake or the timeout.
    func wait(timeout seconds: Double) {
        _ = semaphore.wait(timeout: .now() + seconds)
    }

    /// Always signals (stopping a loop must not be coalesced away).
    func interrupt() {
        semaphore.signal()
    }
}
