import FoundationEssentials
import Synchronization

/// One request a stand-in received and what it did with it.
public struct SimulatorRequestRecord: Sendable, Equatable {
    /// 1 for the first request.
    public var sequence: Int
    public var method: String
    /// Path and query as received.
    public var target: String
    /// The status answered (also for a dropped response: what would have been sent).
    public var status: Int
    /// The injected fault: `rate-limited`, `unavailable`, `dropped`, `rejected-signature`, or nil.
    public var fault: String?
    /// The reason for a refusal (authentication or validation message), when there is one.
    public var message: String?
    /// When the request was handled (wall clock), so end-to-end checks can order it against a crash or
    /// measure latency from a send time.
    public var receivedAt = Date()
}

/// Every request a stand-in saw, in order — what tests assert on and what the CLI prints as JSON lines.
final class SimulatorRequestLog: Sendable {
    private let records = Mutex<[SimulatorRequestRecord]>([])

    func append(method: String, target: String, status: Int, fault: String?, message: String?) -> SimulatorRequestRecord {
        records.withLock { list in
            let record = SimulatorRequestRecord(sequence: list.count + 1, method: method, target: target, status: status,
                                                fault: fault, message: message)
            list.append(record)
            return record
        }
    }

    var all: [SimulatorRequestRecord] { records.withLock { $0 } }
}
