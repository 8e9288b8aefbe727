import FoundationEssentials

/// The answer to one SolarNetwork call: what came back on the wire plus the decoded value or the
/// classified failure.
///
/// Why not just `Result`: the outbox records every attempt's HTTP status and latency, whatever the outcome.
public struct SolarNetworkClientReply<Value: Sendable>: Sendable {
    /// HTTP status, `nil` when no answer arrived.
    public var status: Int?
    /// Seconds from sending to the complete answer (or the failure).
    public var latency: Double
    public var outcome: Result<Value, SolarNetworkClientFailure>

    public init(status: Int?, latency: Double, outcome: Result<Value, SolarNetworkClientFailure>) {
        self.status = status
        self.latency = latency
        self.outcome = outcome
    }

    /// The value, or `nil` on failure.
    public var value: Value? {
        if case let .success(value) = outcome { return value }
        return nil
    }

    /// The failure, or `nil` on success.
    public var failure: SolarNetworkClientFailure? {
        if case let .failure(failure) = outcome { return failure }
        return nil
    }

    /// The same reply with the value transformed; a transform failure becomes a transient failure
    /// (an answer we cannot read may still have been acted on).
    func map<Other: Sendable>(_ transform: (Value) throws(SolarNetworkDecodingError) -> Other) -> SolarNetworkClientReply<Other> {
        switch outcome {
        case let .failure(failure):
            return SolarNetworkClientReply<Other>(status: status, latency: latency, outcome: .failure(failure))
        case let .success(value):
            do {
                return SolarNetworkClientReply<Other>(status: status, latency: latency, outcome: .success(try transform(value)))
            } catch {
                return SolarNetworkClientReply<Other>(status: status, latency: latency, outcome: .failure(
                    SolarNetworkClientFailure(kind: .transient, status: status, message: "unreadable answer: \(error.message)")))
            }
        }
    }
}
