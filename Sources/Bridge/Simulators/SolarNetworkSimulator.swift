import Essentials
import FoundationEssentials
import HTTPServer
import SolarNetwork
import Synchronization

/// A local stand-in for SolarNetwork's SolarUser API: SNWS2 checked like the real server, instruction
/// bodies validated with SolarNetwork's rules and texts, instructions progressing through their states as
/// they are polled, and read-only OCPP/OSCP entities — so ecbridge's SolarNetwork channels, tracker and
/// `doctor` run end to end without the real service. Start it on port 0 in tests; `ecbridge simulate
/// solarnetwork` runs one from the command line.
public final class SolarNetworkSimulator: Sendable {
    public let settings: SolarNetworkSimulatorSettings
    public let faults: SimulatorFaults
    private let routes: SolarNetworkRoutes
    private let server: SimulatorServer

    public init(settings: SolarNetworkSimulatorSettings = SolarNetworkSimulatorSettings(), faults: SimulatorFaults = .none,
                host: String = "127.0.0.1", port: Int = 0, logger: Logger? = nil) {
        self.settings = settings
        self.faults = faults
        let routes = SolarNetworkRoutes(settings: settings, faults: faults)
        self.routes = routes
        server = SimulatorServer(host: host, port: port, faults: faults, logger: logger,
                                 faultResponse: { status, message in
                                     SolarNetworkRoutes.failure(status, code: status == 429 ? "DAO.00201" : String(status), message)
                                 },
                                 routes: { routes.respond($0) })
    }

    /// Binds and starts serving; returns the bound port.
    @discardableResult
    public func start() throws -> Int { try server.start() }

    public func stop() { server.stop() }

    public var port: Int { server.port }

    /// `http://host:port` — the `solarNetwork.baseUrl` to configure.
    public var baseURL: String { server.baseURL }

    /// Every request received, in order.
    public var requests: [SimulatorRequestRecord] { server.requests }

    /// Every instruction created, in id order (a snapshot; reading it does not move states on).
    public var instructions: [SimulatedInstruction] { routes.snapshot }

    /// One instruction by id (a snapshot).
    public func instruction(id: Int64) -> SimulatedInstruction? { routes.snapshot.first { $0.id == id } }

    /// How many `/instr/add` (and `/instr/exec`) calls were handled, declined ones included.
    public var addCount: Int { routes.addCount }
}

/// The SolarUser routes behind `SolarNetworkSimulator` (a separate object so the server's handler can
/// hold it before the simulator is fully initialised).
final class SolarNetworkRoutes: Sendable {
    private struct State {
        var instructions: [SimulatedInstruction] = []
        var nextId: Int64 = 1
        var addCount = 0
    }

    static let prefix = "/solaruser/api/v1/sec/"

    let settings: SolarNetworkSimulatorSettings
    let faults: SimulatorFaults
    private let verifier: SNWS2VerifierAdapter
    private let state = Mutex(State())
    private let started = Date()

    init(settings: SolarNetworkSimulatorSettings, faults: SimulatorFaults) {
        self.settings = settings
        self.faults = faults
        verifier = SNWS2VerifierAdapter(token: settings.token, secret: settings.secret, maxDateSkew: settings.maxDateSkew)
    }

    var snapshot: [SimulatedInstruction] { state.withLock { $0.instructions } }
    var addCount: Int { state.withLock { $0.addCount } }

    // MARK: - Dispatch

    func respond(_ request: HTTPRequest) -> SimulatorReply {
        let head = request.head
        guard head.path.hasPrefix(Self.prefix) else { return Self.reply(404, code: nil, "Not found") }
        if faults.rejectSignature { return Self.reply(403, code: "403", "Invalid Signature value", errorHeader: true) }
        let headers = head.headers.map { ($0.name, $0.value) }
        switch verifier.verify(method: head.method, path: head.path, rawQuery: head.query, headers: headers, body: request.body) {
        case .failure(let failure):
            let status = failure.isMissingAuthorization ? 401 : 403
            var reply = Self.reply(status, code: String(status), failure.message, errorHeader: true)
            if status == 401 { reply.response.headers.set("WWW-Authenticate", "SNWS2") }
            return reply
        case .success:
            break
        }
        let route = String(head.path.dropFirst(Self.prefix.count))
        let query = SimulatorQuery(head.query)
        let isGet = head.method == "GET"
        switch route {
        case "whoami" where isGet:
            return Self.success(.members([("userId", .int(settings.userId)), ("username", .string("simulator@localhost")),
                                          ("token", .string(settings.token)), ("tokenType", .string("User"))]))
        case "instr/view" where isGet: return view(query)
        case "instr/viewPending" where isGet: return list(query, nodeKey: "nodeId", states: [.queued, .received, .executing])
        case "instr/viewActive" where isGet: return list(query, nodeKey: "nodeId", states: [.queued])
        case "instr" where isGet: return list(query, nodeKey: "nodeIds", states: nil)
        case "user/ocpp/chargers" where isGet: return Self.success(.array(settings.chargers.map(chargerJSON)))
        case "user/oscp/capacity-groups" where isGet: return Self.success(.array(settings.capacityGroups.map(groupJSON)))
        case "user/oscp/capacity-optimizers" where isGet: return Self.success(.array(settings.capacityOptimizers.map(optimizerJSON)))
        default:
            break
        }
        if route.hasPrefix("user/ocpp/chargers/"), isGet {
            let id = Int64(route.dropFirst("user/ocpp/chargers/".count))
            guard let charger = settings.chargers.first(where: { $0.id == id }) else {
                return Self.reply(404, code: "DAO.00102", "Object not found")
            }
            return Self.success(chargerJSON(charger))
        }
        for (verb, execute) in [("instr/add", false), ("instr/exec", true)] where route == verb || route.hasPrefix(verb + "/") {
            guard head.method == "POST" else { return Self.reply(405, code: nil, "Method not allowed") }
            let topic = route == verb ? nil : String(route.dropFirst(verb.count + 1))
            return add(topic: topic, body: request.body, execute: execute)
        }
        return Self.reply(404, code: nil, "Not found")
    }

    // MARK: - Instructions

    private func add(topic pathTopic: String?, body: [UInt8], execute: Bool) -> SimulatorReply {
        state.withLock { $0.addCount += 1 }
        let json: JSON
        do {
            json = try JSON.parse(body)
        } catch {
            return Self.reply(422, code: "422", "Malformed JSON: \(error.description)")
        }
        guard case .object = json else { return Self.reply(422, code: "422", "Malformed JSON: expected an object") }
        let nodeId: Int64?
        switch json["nodeId"] {
        case .number(let text)?: nodeId = Int64(text)
        case .string(let text)?: nodeId = Int64(text)
        default: nodeId = nil
        }
        guard let nodeId else { return Self.reply(422, code: "422", "The nodeId parameter is required.") }
        guard settings.nodeIds.contains(nodeId) else { return Self.reply(403, code: "403", "Access denied", errorHeader: true) }
        guard let topic = pathTopic ?? json["topic"]?.stringValue, !topic.isEmpty else {
            return Self.reply(422, code: "422", "The topic parameter is required.")
        }
        let parameters = Self.parameters(json["params"] ?? json["parameters"])

        var plan: [InstructionState] = [.queued, .received, .executing, .completed]
        var result: JSON?
        var declined: String?
        switch topic {
        case "OCPP_v16", "OCPP_v201":
            let checked = OCPPInstructionCheck.check(topic: topic, nodeId: nodeId, parameters: parameters, chargers: settings.chargers)
            if let error = checked.error {
                declined = error
            } else if faults.declined {
                declined = "Error handling OCPP action \(parameters.first { $0.name == "action" }?.value ?? ""): declined by the stand-in"
            } else {
                result = .members([("status", .string(checked.charger?.resultStatus ?? "Accepted"))])
            }
        case "OSCP_v20":
            plan = [.queuing, .executing, .completed]
            if let error = OSCPInstructionCheck.check(parameters: parameters, settings: settings) {
                declined = error
            } else if let action = parameters.first(where: { $0.name == "action" })?.value,
                      !OSCPInstructionCheck.sendable.contains(action) {
                plan = [.queuing, .executing, .declined]
                result = .members([("error", .string("Unsupported OSCP 2.0 action [\(action)]"))])
            }
        default:
            break
        }
        if let declined {
            plan = [.declined]
            result = .members([("error", .string(declined))])
        }
        let now = Date()
        let instruction = state.withLock { state -> SimulatedInstruction in
            var instruction = SimulatedInstruction(id: state.nextId, nodeId: nodeId, topic: topic, created: now,
                                                   parameters: parameters, plan: plan, finalResult: result)
            if execute {
                instruction.stepIndex = instruction.plan.count - 1
            }
            state.nextId += 1
            state.instructions.append(instruction)
            return instruction
        }
        var reply = Self.success(instruction.json)
        if let declined { reply.message = "declined: \(declined)" }
        return reply
    }

    private func view(_ query: SimulatorQuery) -> SimulatorReply {
        if let single = query.value("id") {
            guard let id = Int64(single) else { return Self.reply(422, code: "422", "Invalid id parameter") }
            let found = observe { $0.id == id }
            return found.first.map { Self.success($0.json) } ?? Self.success(nil)
        }
        guard let list = query.value("ids") else { return Self.reply(422, code: "422", "The id parameter is required.") }
        let ids = Set(list.split(separator: ",").compactMap { Int64($0.trimmingWhitespace()) })
        return Self.success(.array(observe { ids.contains($0.id) }.map(\.json)))
    }

    private func list(_ query: SimulatorQuery, nodeKey: String, states wanted: Set<InstructionState>?) -> SimulatorReply {
        let nodes = query.value(nodeKey).map { Set($0.split(separator: ",").compactMap { Int64($0) }) }
        var states = wanted
        if let text = query.value("states") ?? query.value("state") {
            states = Set(text.split(separator: ",").map { InstructionState(parsing: String($0)) })
        }
        let start = query.value("startDate").flatMap { Timestamp.parse($0, assumeUTC: true) }
        let end = query.value("endDate").flatMap { Timestamp.parse($0, assumeUTC: true) }
        let found = observe { instruction in
            if let nodes, !nodes.contains(instruction.nodeId) { return false }
            if let start, instruction.created < start { return false }
            if let end, instruction.created >= end { return false }
            return true
        }
        return Self.success(.array(found.filter { states?.contains($0.state) ?? true }.map(\.json)))
    }

    /// Reads the matching instructions, which moves each of them on.
    private func observe(_ matches: (SimulatedInstruction) -> Bool) -> [SimulatedInstruction] {
        let now = Date()
        return state.withLock { state in
            var found: [SimulatedInstruction] = []
            for index in state.instructions.indices where matches(state.instructions[index]) {
                state.instructions[index].observe(now: now, pollsPerStep: settings.pollsPerStep,
                                                  secondsPerStep: settings.secondsPerStep)
                found.append(state.instructions[index])
            }
            return found
        }
    }

    /// `params` as an object map or a name/value list; non-string values are dropped, as the server does.
    static func parameters(_ value: JSON?) -> [(name: String, value: String)] {
        switch value {
        case .object(let members)?:
            return members.compactMap { name, value in value.stringValue.map { (name, $0) } }
        case .array(let items)?:
            return items.compactMap { item in
                guard let name = item["name"]?.stringValue, let value = item["value"]?.stringValue else { return nil }
                return (name, value)
            }
        default:
            return []
        }
    }

    // MARK: - Entities

    private func chargerJSON(_ c: SolarNetworkSimulatorSettings.Charger) -> JSON {
        .members([
            ("id", .int(c.id)), ("created", .string(SimulatedInstruction.spaceForm(started))), ("userId", .int(settings.userId)),
            ("nodeId", .int(c.nodeId)), ("enabled", .bool(c.enabled)), ("registrationStatus", .string(c.registrationStatus)),
            ("connectorCount", .int(c.connectorCount)),
            ("info", .members([("id", .string(c.identifier)), ("chargePointVendor", .string("ecbridge")),
                               ("chargePointModel", .string("stand-in"))])),
        ])
    }

    private func groupJSON(_ g: SolarNetworkSimulatorSettings.CapacityGroup) -> JSON {
        .members([
            ("userId", .int(settings.userId)), ("configId", .int(g.configId)),
            ("created", .string(SimulatedInstruction.spaceForm(started))), ("modified", .string(SimulatedInstruction.spaceForm(started))),
            ("name", .string(g.name)), ("enabled", .bool(g.enabled)), ("identifier", .string(g.identifier)),
            ("capacityProviderId", .int(g.capacityProviderId)), ("capacityOptimizerId", .int(g.capacityOptimizerId)),
        ])
    }

    private func optimizerJSON(_ o: SolarNetworkSimulatorSettings.CapacityOptimizer) -> JSON {
        .members([
            ("userId", .int(settings.userId)), ("configId", .int(o.configId)),
            ("created", .string(SimulatedInstruction.spaceForm(started))), ("modified", .string(SimulatedInstruction.spaceForm(started))),
            ("name", .string(o.name)), ("enabled", .bool(o.enabled)), ("registrationStatus", .string("Registered")),
        ])
    }

    // MARK: - Result envelope

    static func success(_ data: JSON?) -> SimulatorReply {
        SimulatorReply(.json(status: 200, JSON.members([("success", .bool(true)), ("data", data)]).compactText))
    }

    static func reply(_ status: Int, code: String?, _ message: String, errorHeader: Bool = false) -> SimulatorReply {
        var response = failure(status, code: code, message)
        if !errorHeader { response.headers.remove("X-SN-ErrorMessage") }
        return SimulatorReply(response, message: message)
    }

    /// `{"success":false,"code":…,"message":…}` with `X-SN-ErrorMessage`.
    static func failure(_ status: Int, code: String?, _ message: String) -> HTTPResponse {
        let body = JSON.members([("success", .bool(false)), ("code", code.map(JSON.string)), ("message", .string(message))])
        return .json(status: status, body.compactText, headers: ["X-SN-ErrorMessage": message])
    }
}
