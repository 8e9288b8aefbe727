import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Sends N requests the way a persistent webhook sender does — each on a fresh connection, retried
/// until it is answered 200 or a deadline passes — over a few concurrent lanes, paced at a rate.
/// Records every event's outcome so a run can prove that each acknowledged event was kept.
final class PersistentSender: Sendable {
    struct Outcome: Sendable {
        /// Final status (200 when acknowledged; 0 when no answer ever arrived).
        var status = 0
        var attempts = 0
    }

    let target: TargetURL
    let count: Int
    let lanes: Int
    let rate: Double
    let retryMicroseconds: UInt32
    let deadlineSeconds: Double
    let request: @Sendable (Int) throws -> [UInt8]
    private let outcomes: Mutex<[Outcome]>
    private let finished = Atomic<Int>(0)

    init(target: TargetURL, count: Int, lanes: Int, rate: Double, retryMilliseconds: Int = 20, deadlineSeconds: Double,
         request: @escaping @Sendable (Int) throws -> [UInt8]) {
        self.target = target
        self.count = count
        self.lanes = max(1, lanes)
        self.rate = rate
        retryMicroseconds = UInt32(max(1, retryMilliseconds) * 1000)
        self.deadlineSeconds = deadlineSeconds
        self.request = request
        outcomes = Mutex([Outcome](repeating: Outcome(), count: count))
    }

    /// Events whose final answer is known (acknowledged or given up).
    var completed: Int { finished.load(ordering: .relaxed) }

    var results: [Outcome] { outcomes.withLock { $0 } }

    /// Starts the lanes in the background; the group is left when every lane is done.
    func start(_ group: DispatchGroup) {
        let start = MonotonicClock.now()
        let deadline = start + UInt64(deadlineSeconds * 1e9)
        for lane in 0 ..< lanes {
            group.enter()
            Thread { [self] in
                var index = lane
                while index < count {
                    if rate > 0 {
                        let due = start + UInt64(Double(index) / rate * 1e9)
                        let now = MonotonicClock.now()
                        if due > now { usleep(UInt32(min(1_000_000, (due - now) / 1000))) }
                    }
                    var outcome = Outcome()
                    while MonotonicClock.now() < deadline {
                        outcome.attempts += 1
                        let raw = (try? request(index)) ?? []
                        outcome.status = SimpleHTTP.request(target, raw: raw, timeout: 5)?.status ?? 0
                        if outcome.status == 200 { break }
                        usleep(retryMicroseconds)
                    }
                    let recorded = outcome
                    outcomes.withLock { $0[index] = recorded }
                    finished.add(1, ordering: .relaxed)
                    index += lanes
                }
                group.leave()
            }.start()
        }
    }
}
