import Essentials
import FoundationEssentials
import HTTPServer
import Synchronization

/// A local stand-in for GreenFlux's smart-charging capacity scenarios
/// (`/api/{v}/smartcharging/capacitygroups/{id}/capacityscenarios/datetime`): `Authorization: Token`
/// checked, a PUT's array of `{capacity, start_date_time, end_date_time}` validated and stored in place
/// of the group's list, a GET answering the list — plain JSON, no OCPI envelope (greenflux-ocpi.md §4).
public final class GreenFluxSimulator: Sendable {
    /// Settings of the GreenFlux stand-in.
    public struct Settings: Sendable {
        /// The accepted token. Default `sample-greenflux-token` (as samples/config.json).
        public var token: String
        /// Known capacity group ids; others answer 404. Default [`cg-9`] (as samples/config.json).
        public var capacityGroupIds: Set<String>

        public init(token: String = "sample-greenflux-token", capacityGroupIds: Set<String> = ["cg-9"]) {
            self.token = token
            self.capacityGroupIds = capacityGroupIds
        }
    }

    /// One accepted PUT.
    public struct Update: Sendable, Equatable {
        public var capacityGroupId: String
        public var scenarios: JSON
    }

    private struct State {
        var scenarios: [String: JSON] = [:]
        var updates: [Update] = []
    }

    public let settings: Settings
    public let faults: SimulatorFaults
    private let state = Mutex(State())
    private let box = ServerBox()

    public init(settings: Settings = Settings(), faults: SimulatorFaults = .none, host: String = "127.0.0.1", port: Int = 0,
                logger: Logger? = nil) {
        self.settings = settings
        self.faults = faults
        box.server = SimulatorServer(host: host, port: port, faults: faults, logger: logger,
                                     faultResponse: { status, message in Self.error(status, message).response },
                                     routes: { [weak self] request in
                                         self?.respond(request) ?? Self.error(503, "stopping")
                                     })
    }

    @discardableResult
    public func start() throws -> Int { try box.require().start() }
    public func stop() { box.server?.stop() }
    public var port: Int { box.server?.port ?? 0 }
    /// `http://host:port` — the target's `baseUrl`.
    public var baseURL: String { box.server?.baseURL ?? "" }
    public var requests: [SimulatorRequestRecord] { box.server?.requests ?? [] }
    /// Every accepted PUT, in order.
    public var updates: [Update] { state.withLock { $0.updates } }

    /// The group's current datetime scenarios (an empty array before the first PUT).
    public func scenarios(capacityGroupId: String) -> JSON {
        state.withLock { $0.scenarios[capacityGroupId] } ?? .array([])
    }

    func respond(_ request: HTTPRequest) -> SimulatorReply {
        let head = request.head
        let parts = head.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // ["", "api", v, "smartcharging", "capacitygroups", id, "capacityscenarios", "datetime"]
        guard parts.count == 8, parts[0].isEmpty, parts[1] == "api", parts[3] == "smartcharging", parts[4] == "capacitygroups",
              parts[6] == "capacityscenarios", parts[7] == "datetime", !parts[5].isEmpty else {
            return Self.error(404, "Not found")
        }
        let group = PercentEncoding.decode(parts[5]) ?? parts[5]
        guard head.method == "GET" || head.method == "PUT" else { return Self.error(405, "Use GET or PUT") }
        if faults.rejectSignature { return Self.error(403, "Unknown token") }
        switch TokenAuthorization.check(head.headers, expected: settings.token) {
        case .missing: return Self.error(401, "Missing Authorization: Token header")
        case .unknown: return Self.error(403, "Unknown token")
        case .accepted: break
        }
        guard settings.capacityGroupIds.contains(group) else { return Self.error(404, "Unknown capacity group \(group)") }
        if head.method == "GET" {
            return SimulatorReply(.json(scenarios(capacityGroupId: group).compactText))
        }
        let body: JSON
        do {
            body = try JSON.parse(request.body)
        } catch {
            return Self.error(400, "Invalid JSON: \(error.description)")
        }
        if let problem = Self.problem(in: body) { return Self.error(400, problem) }
        state.withLock { state in
            state.scenarios[group] = body
            state.updates.append(Update(capacityGroupId: group, scenarios: body))
        }
        return SimulatorReply(.json(body.compactText))
    }

    /// The first problem of a datetime-scenario list, or nil.
    static func problem(in body: JSON) -> String? {
        guard let items = body.arrayValue else { return "$: must be an array of capacity scenarios" }
        for (index, item) in items.enumerated() {
            let path = "$[\(index)]"
            guard case .object = item else { return "\(path): must be an object" }
            guard let capacity = item["capacity"]?.decimalValue else { return "\(path).capacity: required number" }
            guard capacity >= 0 else { return "\(path).capacity: must be >= 0" }
            guard let startText = item["start_date_time"]?.stringValue,
                  let start = OSCPForecastValidation.rfc3339(startText) else { return "\(path).start_date_time: required RFC 3339 date-time" }
            guard let endText = item["end_date_time"]?.stringValue,
                  let end = OSCPForecastValidation.rfc3339(endText) else { return "\(path).end_date_time: required RFC 3339 date-time" }
            guard start < end else { return "\(path): start_date_time must be before end_date_time" }
        }
        return nil
    }

    static func error(_ status: Int, _ message: String) -> SimulatorReply {
        SimulatorReply(.json(status: status, JSON.members([("message", .string(message))]).compactText), message: message)
    }
}
