import Essentials
import FoundationEssentials
import SolarNetwork

/// A node instruction held by the SolarNetwork stand-in: what was queued, the states it will pass
/// through, and how far it has got. Reading it (view, list, pending) is what moves it on, so tests
/// drive progress by polling, as ecbridge's tracker does.
public struct SimulatedInstruction: Sendable {
    public var id: Int64
    public var nodeId: Int64
    public var topic: String
    public var created: Date
    /// The parameters as decoded from the request (non-string values dropped), whole.
    public var parameters: [(name: String, value: String)]
    /// The states this instruction goes through, in order; the last one is final.
    public var plan: [InstructionState]
    /// `resultParameters` once the final state is reached.
    public var finalResult: JSON?
    /// How many times it was read.
    public var reads = 0
    public var stepIndex = 0
    public var statusDate: Date

    init(id: Int64, nodeId: Int64, topic: String, created: Date, parameters: [(name: String, value: String)],
         plan: [InstructionState], finalResult: JSON?) {
        self.id = id
        self.nodeId = nodeId
        self.topic = topic
        self.created = created
        self.parameters = parameters
        self.plan = plan.isEmpty ? [.queued] : plan
        self.finalResult = finalResult
        self.statusDate = created
    }

    /// The current state.
    public var state: InstructionState { plan[min(stepIndex, plan.count - 1)] }

    /// `resultParameters` as shown now (only in the final state).
    public var resultParameters: JSON? { stepIndex >= plan.count - 1 ? finalResult : nil }

    /// All values of parameter `name`, joined.
    public func parameter(_ name: String) -> String? {
        let values = parameters.filter { $0.name == name }.map(\.value)
        return values.isEmpty ? nil : values.joined()
    }

    /// Counts one read and moves the state on by poll count and, when set, by elapsed time.
    mutating func observe(now: Date, pollsPerStep: Int, secondsPerStep: Double?) {
        reads += 1
        var target = reads / max(1, pollsPerStep)
        if let secondsPerStep, secondsPerStep > 0 {
            target = max(target, Int(now.timeIntervalSince(created) / secondsPerStep))
        }
        let bounded = min(target, plan.count - 1)
        if bounded > stepIndex {
            stepIndex = bounded
            statusDate = now
        }
    }

    /// SolarNetwork's instruction JSON (solarnetwork.md §3.3): space-form timestamps, parameters as a
    /// name/value list with values longer than 256 characters split as the server does.
    var json: JSON {
        var list: [JSON] = []
        for (name, value) in parameters {
            for chunk in Self.split(value) {
                list.append(.members([("name", .string(name)), ("value", .string(chunk))]))
            }
        }
        return .members([
            ("id", .int(id)), ("created", .string(Self.spaceForm(created))), ("nodeId", .int(nodeId)),
            ("topic", .string(topic)), ("instructionDate", .string(Self.spaceForm(created))),
            ("state", .string(state.rawValue)), ("statusDate", .string(Self.spaceForm(statusDate))),
            ("parameters", .array(list)), ("resultParameters", resultParameters),
        ])
    }

    static func split(_ value: String, size: Int = 256) -> [String] {
        guard value.count > size else { return [value] }
        var chunks: [String] = []
        var rest = Substring(value)
        while !rest.isEmpty {
            chunks.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return chunks
    }

    /// `2021-08-11 16:45:01.234Z` — SolarNetwork's space form.
    static func spaceForm(_ date: Date) -> String {
        Timestamp.format(date, fractional: true).replacingLiteral("T", with: " ")
    }
}
