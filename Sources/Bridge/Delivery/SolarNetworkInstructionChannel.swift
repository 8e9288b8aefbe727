import FoundationEssentials
import SolarNetwork

/// Queues a planned instruction on SolarNetwork (`solarnetwork-ocpp`, `solarnetwork-oscp`) and, after an
/// unknown outcome, finds an instruction that was stored although its answer was lost.
///
/// Why the lookup: `/instr/add` is not idempotent. If ecbridge dies (or the connection drops) after
/// SolarNetwork stored the instruction but before the answer was recorded, posting again would send the
/// charger a second command. Before any re-post the channel lists the node's instructions since the first
/// try and adopts one with the same topic and identical parameters (split `msg` values re-joined).
struct SolarNetworkInstructionChannel: Sendable {
    let client: SolarNetworkClient?

    static let missingCredentials = "SolarNetwork credentials are not configured (solarNetwork.token and solarNetwork.secret)"

    func send(_ request: StoredDeliveryRequest, channel: String, now: Date) -> ChannelAttempt {
        guard let client else {
            return ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: Self.missingCredentials, result: nil))
        }
        guard let path = request.path else {
            return ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: "stored request has no SolarNetwork path", result: nil))
        }
        let reply = client.addInstruction(path: path, body: request.bodyBytes)
        switch reply.outcome {
        case let .failure(failure):
            return ChannelAttempt(httpStatus: reply.status, latency: reply.latency, result: Self.result(failure, now: now))
        case let .success(instruction):
            return ChannelAttempt(httpStatus: reply.status, latency: reply.latency,
                                  result: Self.result(instruction, channel: channel, adopted: false))
        }
    }

    /// What an earlier-instruction lookup found.
    enum Lookup: Sendable {
        /// An instruction matching this delivery exists: adopt it (the attempt says how it stands).
        case found(ChannelAttempt)
        /// None: safe to post.
        case none
        /// The lookup itself failed; do not post blindly.
        case failed(ChannelAttempt)
    }

    /// Looks for an instruction of this delivery created between `since` and `until`, ignoring `excluding`
    /// (instructions other deliveries already own).
    func findExisting(_ request: StoredDeliveryRequest, channel: String, since: Date, until: Date,
                      excluding: Set<Int64>, now: Date) -> Lookup {
        guard let client else {
            return .failed(ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: Self.missingCredentials, result: nil)))
        }
        guard let nodeId = request.nodeId else {
            return .failed(ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: "stored instruction has no nodeId", result: nil)))
        }
        let reply = client.instructions(nodeIds: [nodeId], startDate: since, endDate: until)
        switch reply.outcome {
        case let .failure(failure):
            var result = Self.result(failure, now: now)
            if case let .permanent(reason, stored) = result {
                result = .permanent(reason: "cannot check for an instruction already queued: \(reason)", result: stored)
            } else if case let .transient(reason, retryAfter) = result {
                result = .transient(reason: "checking for an instruction already queued: \(reason)", retryAfter: retryAfter)
            }
            return .failed(ChannelAttempt(httpStatus: reply.status, latency: reply.latency, result: result))
        case let .success(list):
            let match = list.filter { !excluding.contains($0.id) && Self.matches($0, request, nodeId: nodeId) }
                .min(by: { $0.id < $1.id })
            guard let match else { return .none }
            return .found(ChannelAttempt(httpStatus: reply.status, latency: reply.latency,
                                         result: Self.result(match, channel: channel, adopted: true)))
        }
    }

    /// Same node, same topic, and every planned parameter present with the identical (re-joined) value.
    static func matches(_ instruction: NodeInstruction, _ request: StoredDeliveryRequest, nodeId: Int64) -> Bool {
        if let node = instruction.nodeId, node != nodeId { return false }
        if let topic = request.topic, let seen = instruction.topic, seen != topic { return false }
        let parameters = request.parameters
        guard !parameters.isEmpty else { return false }
        return parameters.allSatisfy { name, value in instruction.parameter(name) == value }
    }

    static func result(_ instruction: NodeInstruction, channel: String, adopted: Bool) -> ChannelAttempt.Result {
        let stored = instruction.recordJSON
        switch InstructionVerdict.of(instruction, channel: channel) {
        case .done: return .done(result: stored)
        case let .failed(reason): return .permanent(reason: "instruction \(instruction.id): \(reason)", result: stored)
        case .waiting: return .queued(instructionId: instruction.id, adopted: adopted, result: stored)
        }
    }

    static func result(_ failure: SolarNetworkClientFailure, now: Date) -> ChannelAttempt.Result {
        switch failure.kind {
        case .transient:
            return .transient(reason: failure.message, retryAfter: RetryAfter.seconds(failure.retryAfter, now: now))
        case .permanent:
            return .permanent(reason: failure.message, result: nil)
        }
    }
}
