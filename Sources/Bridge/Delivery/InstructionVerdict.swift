import Essentials
import SmartCharging
import SolarNetwork

/// What a SolarNetwork instruction's state means for its delivery (solarnetwork.md §3.4, §4, §5).
///
/// Why its own rule set: `Completed` does not mean accepted for OCPP (the charger's `status` decides),
/// OSCP completes without a status, and an OSCP instruction in `Queued` was never delivered.
enum InstructionVerdict: Equatable, Sendable {
    case done
    case failed(String)
    /// Not final yet: poll again.
    case waiting

    static func of(_ instruction: NodeInstruction, channel: String) -> InstructionVerdict {
        let isOSCP = channel == DeliveryChannel.solarNetworkOSCP.rawValue || instruction.topic == "OSCP_v20"
        switch instruction.state {
        case .completed:
            if isOSCP { return .done }
            guard let status = instruction.result("status") else {
                return .failed("instruction completed without a charger status")
            }
            return status == "Accepted" ? .done : .failed("charger answered \(status)")
        case .declined:
            let reason = instruction.result("error") ?? instruction.result("message") ?? "no reason given"
            return .failed("instruction declined: \(reason)")
        case .queued where isOSCP:
            return .failed("OSCP instruction stuck in Queued (never delivered)")
        case .queued, .queuing, .received, .executing, .unknown:
            return .waiting
        }
    }
}

extension NodeInstruction {
    /// The instruction as stored in `deliveries.result_json` (id, topic, state, parameters, result).
    var recordJSON: String {
        JSON.members([
            ("id", .int(id)), ("nodeId", nodeId.map { .int($0) }), ("topic", topic.map(JSON.string)),
            ("state", .string(state.rawValue)),
            ("statusDate", statusDate.map { .string(Timestamp.format($0, fractional: true)) }),
            ("parameters", .array(parameters.map { .members([("name", .string($0.name)), ("value", .string($0.value))]) })),
            ("resultParameters", resultParameters),
        ]).compactText
    }
}
