import Essentials
import Foundation
import HTTPServer
import SolarNetwork
import Synchronization
@testable import Bridge

/// Small stand-ins for SolarNetwork, an OSCP peer and GreenFlux, on our own `HTTPServer` (port 0).
/// They answer like the real services (solarnetwork.md §3–§5, ocpp-oscp.md §4.2, greenflux-ocpi.md §4),
/// count requests, and inject failures from a seeded generator.
final class FakePeerServer: Sendable {
    let server: HTTPServer
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    init(handler: any HTTPHandler) throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 1
        server = HTTPServer(configuration: configuration, handler: handler)
        port = try server.start()
    }

    func stop() { server.shutdown(drainTimeout: 3) }
}

/// A seeded coin for "fail this request" decisions.
final class FailureDice: Sendable {
    private let jitter: JitterSource
    let rate: Double

    init(rate: Double, seed: UInt64) {
        self.rate = rate
        jitter = JitterSource(seed: seed)
    }

    func roll() -> Bool { rate > 0 && jitter.unit() < rate }
}

func jsonResponse(_ status: Int, _ json: JSON, headers: [(String, String)] = []) -> HTTPResponse {
    var fields = HTTPHeaders([("Content-Type", "application/json;charset=UTF-8")])
    for (name, value) in headers { fields.add(name, value) }
    return HTTPResponse(status: status, headers: fields, body: Array(json.compactText.utf8))
}

/// SolarUser instruction API: `/instr/add/{topic}`, `/instr/view`, `/instr` (list). Checks SNWS2 signatures.
final class FakeSolarNetwork: HTTPHandler {
    struct Instruction: Sendable {
        var id: Int64
        var nodeId: Int64
        var topic: String
        var parameters: [(String, String)]
        var state: String
        var views = 0
        var result: JSON?
        var created: Date

        var key: String { "\(topic)|\(parameters.first(where: { $0.0 == "chargePointId" || $0.0 == "cgIdentifier" })?.1 ?? "")" }
        var isFinal: Bool { state == "Completed" || state == "Declined" }

        /// As SolarNetwork shows it: values longer than 256 characters split into several entries.
        var json: JSON {
            var entries: [JSON] = []
            for (name, value) in parameters {
                var rest = Substring(value)
                repeat {
                    entries.append(.members([("name", .string(name)), ("value", .string(String(rest.prefix(256))))]))
                    rest = rest.dropFirst(256)
                } while !rest.isEmpty
            }
            return .members([
                ("id", .int(id)), ("created", .string(Timestamp.format(created, fractional: true).replacingOccurrences(of: "T", with: " "))),
                ("nodeId", .int(nodeId)), ("topic", .string(topic)), ("state", .string(state)),
                ("parameters", .array(entries)), ("resultParameters", result),
            ])
        }
    }

    struct Behaviour: Sendable {
        /// Every request answers 401 (bad token).
        var unauthorized = false
        /// The first N `add` requests answer 429 with `Retry-After`.
        var rateLimitedAdds = 0
        var retryAfter = "1"
        /// OCPP charger answer on completion.
        var ocppStatus = "Accepted"
        /// OSCP instructions end `Declined` with this error.
        var oscpDeclineError: String?
        /// The first `add` is stored but its answer only comes after this many seconds (past the client timeout).
        var loseFirstAddAnswerFor: Double?
    }

    struct State: Sendable {
        var nextId: Int64 = 1000
        var instructions: [Instruction] = []
        var addRequests = 0
        var listRequests = 0
        var badSignatures = 0
        var addedWhileSameTargetActive = 0
        var failuresInjected = 0
    }

    let credentials: SNWS2Credentials
    let behaviour: Mutex<Behaviour>
    let state = Mutex(State())
    let dice: FailureDice

    init(credentials: SNWS2Credentials, behaviour: Behaviour = Behaviour(), failureRate: Double = 0, seed: UInt64 = 1) {
        self.credentials = credentials
        self.behaviour = Mutex(behaviour)
        self.dice = FailureDice(rate: failureRate, seed: seed)
    }

    var snapshot: State { state.withLock { $0 } }

    /// Pretends an instruction was stored earlier (e.g. by a process that died before recording it).
    func preload(nodeId: Int64, topic: String, parameters: [(String, String)]) -> Int64 {
        state.withLock { s in
            s.nextId += 1
            s.instructions.append(Instruction(id: s.nextId, nodeId: nodeId, topic: topic, parameters: parameters,
                                              state: topic == "OSCP_v20" ? "Queuing" : "Queued", created: Date()))
            return s.nextId
        }
    }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let behaviour = self.behaviour.withLock { $0 }
        if behaviour.unauthorized {
            var headers = HTTPHeaders([("WWW-Authenticate", "SNWS2"), ("X-SN-ErrorMessage", "Bad credentials")])
            headers.add("Content-Type", "application/json")
            respond(HTTPResponse(status: 401, headers: headers, body: Array(#"{"success":false,"code":"401","message":"Bad credentials"}"#.utf8)))
            return
        }
        guard verify(request) else {
            state.withLock { $0.badSignatures += 1 }
            respond(jsonResponse(401, .members([("success", .bool(false)), ("message", .string("Invalid Signature value"))])))
            return
        }
        if dice.roll() {
            state.withLock { $0.failuresInjected += 1 }
            respond(jsonResponse(503, .members([("success", .bool(false)), ("code", .string("EE.00500"))])))
            return
        }
        let path = request.head.path
        let prefix = "/solaruser/api/v1/sec/instr"
        if request.head.method == "POST", path.hasPrefix(prefix + "/add/") {
            add(request, topic: String(path.dropFirst((prefix + "/add/").count)), behaviour: behaviour, respond: respond)
        } else if request.head.method == "GET", path == prefix + "/view", let id = request.head.queryItem("id").flatMap({ Int64($0) }) {
            let found = state.withLock { s -> JSON? in
                guard let index = s.instructions.firstIndex(where: { $0.id == id }) else { return nil }
                advance(&s.instructions[index], behaviour: behaviour)
                return s.instructions[index].json
            }
            guard let found else {
                respond(jsonResponse(404, .members([("success", .bool(false)), ("code", .string("DAO.00102"))])))
                return
            }
            respond(jsonResponse(200, .members([("success", .bool(true)), ("data", found)])))
        } else if request.head.method == "GET", path == prefix {
            let nodes = Set((request.head.queryItem("nodeIds") ?? "").split(separator: ",").compactMap { Int64($0) })
            let list = state.withLock { s -> [JSON] in
                s.listRequests += 1
                return s.instructions.filter { nodes.contains($0.nodeId) }.map(\.json)
            }
            respond(jsonResponse(200, .members([("success", .bool(true)), ("data", .members([("results", .array(list))]))])))
        } else {
            respond(jsonResponse(404, .members([("success", .bool(false)), ("message", .string("no such path"))])))
        }
    }

    private func add(_ request: HTTPRequest, topic: String, behaviour: FakeSolarNetwork.Behaviour,
                     respond: @escaping @Sendable (HTTPResponse) -> Void) {
        guard let body = try? JSON.parse(request.body), let nodeId = body["nodeId"]?.intValue,
              let params = body["params"]?.objectValue else {
            respond(jsonResponse(422, .members([("success", .bool(false)), ("message", .string("Malformed JSON"))])))
            return
        }
        let parameters = params.compactMap { name, value in value.stringValue.map { (name, $0) } }
        let outcome = state.withLock { s -> (JSON?, Bool) in
            s.addRequests += 1
            if s.addRequests <= behaviour.rateLimitedAdds { return (nil, false) }
            s.nextId += 1
            var instruction = Instruction(id: s.nextId, nodeId: Int64(nodeId), topic: topic, parameters: parameters,
                                          state: topic == "OSCP_v20" ? "Queuing" : "Queued", created: Date())
            if s.instructions.contains(where: { $0.key == instruction.key && !$0.isFinal }) { s.addedWhileSameTargetActive += 1 }
            instruction.views = 0
            s.instructions.append(instruction)
            return (instruction.json, s.addRequests == 1 + behaviour.rateLimitedAdds)
        }
        guard let json = outcome.0 else {
            respond(jsonResponse(429, .members([("success", .bool(false)), ("code", .string("DAO.00201")), ("message", .string("try again later"))]),
                                 headers: [("Retry-After", behaviour.retryAfter)]))
            return
        }
        let answer = jsonResponse(200, .members([("success", .bool(true)), ("data", json)]))
        if outcome.1, let delay = behaviour.loseFirstAddAnswerFor {
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) { respond(answer) }
        } else {
            respond(answer)
        }
    }

    /// Two polls to a final state: OCPP Queued → Received → Completed, OSCP Queuing → Executing → Completed/Declined.
    private func advance(_ instruction: inout Instruction, behaviour: Behaviour) {
        guard !instruction.isFinal else { return }
        instruction.views += 1
        let isOSCP = instruction.topic == "OSCP_v20"
        if instruction.views == 1 {
            instruction.state = isOSCP ? "Executing" : "Received"
        } else if isOSCP, let error = behaviour.oscpDeclineError {
            instruction.state = "Declined"
            instruction.result = .members([("error", .string(error))])
        } else {
            instruction.state = "Completed"
            instruction.result = isOSCP ? nil : .members([("status", .string(behaviour.ocppStatus))])
        }
    }

    /// The server's check: recompute the signature from what arrived.
    private func verify(_ request: HTTPRequest) -> Bool {
        let headers = request.head.headers
        guard let authorization = headers["Authorization"], let dateText = headers["X-SN-Date"],
              let date = Self.httpDate(dateText),
              let signedPart = authorization.split(separator: ",").first(where: { $0.hasPrefix("SignedHeaders=") })
        else { return false }
        let signed = signedPart.dropFirst("SignedHeaders=".count).split(separator: ";").map(String.init)
        guard signed.contains("host"), signed.contains("x-sn-date") else { return false }
        let snRequest = SNWS2Request(method: request.head.method, path: request.head.path,
                                     query: request.head.query.map(SNWS2QueryEncoding.decodeQuery) ?? [],
                                     headers: headers.map { ($0.name, $0.value) }, body: request.body, date: date)
        return SNWS2Signer(credentials: credentials).authorization(for: snRequest, signedHeaders: signed) == authorization
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// An OSCP 2.0 receiver: `Authorization: Token`, `X-Request-ID` required, 204 on success.
final class FakeOSCPPeer: HTTPHandler {
    struct Seen: Sendable {
        var path: String
        var requestId: String?
        var body: JSON?
    }

    let token: String
    let dice: FailureDice
    let seen = Mutex<[Seen]>([])
    let refusals = Mutex(0)

    init(token: String, failureRate: Double = 0, seed: UInt64 = 2) {
        self.token = token
        dice = FailureDice(rate: failureRate, seed: seed)
    }

    var requests: [Seen] { seen.withLock { $0 } }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        guard request.head.headers["Authorization"] == "Token \(token)" else {
            refusals.withLock { $0 += 1 }
            respond(jsonResponse(401, .members([("message", .string("unknown token"))])))
            return
        }
        guard let requestId = request.head.headers["X-Request-ID"], request.head.method == "POST" else {
            respond(jsonResponse(400, .members([("message", .string("X-Request-ID missing"))])))
            return
        }
        seen.withLock { $0.append(Seen(path: request.head.path, requestId: requestId, body: try? JSON.parse(request.body))) }
        if dice.roll() {
            respond(HTTPResponse(status: 503, headers: HTTPHeaders([("Retry-After", "0")])))
            return
        }
        respond(HTTPResponse(status: 204))
    }
}

/// A GreenFlux capacity group's datetime scenarios: GET returns the list, PUT replaces it.
final class FakeGreenFlux: HTTPHandler {
    let token: String
    let dice: FailureDice
    let scenarios = Mutex<[JSON]>([])
    let puts = Mutex(0)
    let refusals = Mutex(0)

    init(token: String, failureRate: Double = 0, seed: UInt64 = 3) {
        self.token = token
        dice = FailureDice(rate: failureRate, seed: seed)
    }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        guard request.head.headers["Authorization"] == "Token \(token)" else {
            refusals.withLock { $0 += 1 }
            respond(jsonResponse(401, .members([("message", .string("Unauthorized"))])))
            return
        }
        if dice.roll() {
            respond(HTTPResponse(status: 502))
            return
        }
        switch request.head.method {
        case "GET":
            respond(jsonResponse(200, .array(scenarios.withLock { $0 })))
        case "PUT":
            guard let list = (try? JSON.parse(request.body))?.arrayValue else {
                respond(jsonResponse(400, .members([("message", .string("expected an array"))])))
                return
            }
            scenarios.withLock { $0 = list }
            puts.withLock { $0 += 1 }
            respond(jsonResponse(200, .array(list)))
        default:
            respond(HTTPResponse(status: 405))
        }
    }
}
