import Essentials
import Synchronization

/// Decides, request by request, which fault (if any) a stand-in injects. Two random draws are made for
/// every request whatever the outcome, so the sequence of faults depends only on the seed and the request
/// order.
final class FaultInjector: Sendable {
    /// What to do with one request.
    struct Decision: Sendable, Equatable {
        enum Answer: Sendable, Equatable {
            /// Handle it normally.
            case handle
            /// 429 with `Retry-After: 1`, not handled.
            case rateLimited
            /// 503, not handled.
            case unavailable
        }

        var answer: Answer
        /// Handle it, then close the connection without answering.
        var drop: Bool
    }

    private struct State {
        var random: SeededRandom
        var count = 0
    }

    let faults: SimulatorFaults
    private let state: Mutex<State>

    init(_ faults: SimulatorFaults) {
        self.faults = faults
        state = Mutex(State(random: SeededRandom(seed: faults.seed)))
    }

    func next() -> Decision {
        state.withLock { state in
            state.count += 1
            let failDraw = state.random.nextUnit()
            let dropDraw = state.random.nextUnit()
            if faults.rateLimitEvery > 0 && state.count % faults.rateLimitEvery == 0 {
                return Decision(answer: .rateLimited, drop: false)
            }
            if failDraw < faults.failRate { return Decision(answer: .unavailable, drop: false) }
            return Decision(answer: .handle, drop: dropDraw < faults.dropRate)
        }
    }
}
