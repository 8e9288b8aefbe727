import FoundationEssentials
import Essentials

/// A node instruction as `/instr/add`, `/instr/exec` and `/instr/view` return it in `data`.
///
/// Why a model: the tracker needs the id, the state and the result parameters (OCPP `status`,
/// `error`/`message` on `Declined`); long `params` values come back split into consecutive entries with
/// the same name, which `parameter(_:)` joins again.
public struct NodeInstruction: Sendable, Equatable {
    public var id: Int64
    public var nodeId: Int64?
    public var topic: String?
    public var state: InstructionState
    public var created: Date?
    public var instructionDate: Date?
    public var statusDate: Date?
    /// Parameters in order, as sent back (a split value appears several times under one name).
    public var parameters: [(name: String, value: String)]
    /// `resultParameters`, `nil` when absent.
    public var resultParameters: JSON?

    public init(id: Int64, nodeId: Int64? = nil, topic: String? = nil, state: InstructionState,
                created: Date? = nil, instructionDate: Date? = nil, statusDate: Date? = nil,
                parameters: [(name: String, value: String)] = [], resultParameters: JSON? = nil) {
        self.id = id
        self.nodeId = nodeId
        self.topic = topic
        self.state = state
        self.created = created
        self.instructionDate = instructionDate
        self.statusDate = statusDate
        self.parameters = parameters
        self.resultParameters = resultParameters
    }

    public static func == (a: NodeInstruction, b: NodeInstruction) -> Bool {
        a.id == b.id && a.nodeId == b.nodeId && a.topic == b.topic && a.state == b.state && a.created == b.created
            && a.instructionDate == b.instructionDate && a.statusDate == b.statusDate
            && a.parameters.map(\.name) == b.parameters.map(\.name) && a.parameters.map(\.value) == b.parameters.map(\.value)
            && a.resultParameters == b.resultParameters
    }

    /// Reads an instruction object. `id` is required; timestamps accept the space and `T` forms.
    public init(json: JSON) throws(SolarNetworkDecodingError) {
        guard case .object = json else {
            throw SolarNetworkDecodingError("instruction is a JSON \(json.typeName), expected an object")
        }
        guard let id = Self.integer(json["id"]) else {
            throw SolarNetworkDecodingError("instruction has no integer \"id\"")
        }
        self.id = id
        self.nodeId = Self.integer(json["nodeId"])
        self.topic = json["topic"]?.stringValue
        self.state = json["state"]?.stringValue.map(InstructionState.init(parsing:)) ?? .unknown
        self.created = json["created"]?.stringValue.flatMap { Timestamp.parse($0) }
        self.instructionDate = json["instructionDate"]?.stringValue.flatMap { Timestamp.parse($0) }
        self.statusDate = json["statusDate"]?.stringValue.flatMap { Timestamp.parse($0) }
        var parameters: [(name: String, value: String)] = []
        switch json["parameters"] ?? json["params"] {
        case let .array(items)?:
            for item in items {
                guard let name = item["name"]?.stringValue, let value = item["value"]?.stringValue else {
                    throw SolarNetworkDecodingError("instruction parameter without string \"name\" and \"value\"")
                }
                parameters.append((name, value))
            }
        case let .object(members)?:
            for (name, value) in members {
                if let text = value.stringValue { parameters.append((name, text)) }
            }
        default:
            break
        }
        self.parameters = parameters
        let result = json["resultParameters"]
        self.resultParameters = result?.isNull == true ? nil : result
    }

    /// All values named `name`, joined in order (the server splits values longer than 256 characters).
    public func parameter(_ name: String) -> String? {
        let values = parameters.filter { $0.name == name }.map(\.value)
        return values.isEmpty ? nil : values.joined()
    }

    /// A string member of `resultParameters` (`status`, `error`, `message`).
    public func result(_ name: String) -> String? {
        resultParameters?[name]?.stringValue
    }

    private static func integer(_ value: JSON?) -> Int64? {
        switch value {
        case let .number(text)?: return Int64(text)
        case let .string(text)?: return Int64(text)
        default: return nil
        }
    }
}
