import Essentials
import FoundationEssentials
import HTTPServer
import Synchronization

/// A local stand-in for an OSCP 2.0 Capacity Provider / Flexibility Provider endpoint: accepts
/// `update_group_capacity_forecast` and `adjust_group_capacity_forecast` under any base path, checks
/// `Authorization: Token`, `X-Request-ID` and the message schema, answers 204 with an empty body, and
/// records every message (a repeated `X-Request-ID` is recorded as a duplicate and not applied twice).
public final class OSCPSimulator: Sendable {
    /// One accepted message.
    public struct Message: Sendable, Equatable {
        /// `UpdateGroupCapacityForecast` or `AdjustGroupCapacityForecast`.
        public var action: String
        public var requestId: String
        public var correlationId: String?
        public var groupId: String
        public var body: JSON
    }

    /// Settings of the OSCP stand-in.
    public struct Settings: Sendable {
        /// The accepted token. Default `sample-oscp-token` (as samples/config.json).
        public var token: String
        /// Known group ids; nil accepts any. Default nil.
        public var groupIds: Set<String>?

        public init(token: String = "sample-oscp-token", groupIds: Set<String>? = nil) {
            self.token = token
            self.groupIds = groupIds
        }
    }

    private struct State {
        var messages: [Message] = []
        var seenRequestIds: Set<String> = []
        var duplicates: [String] = []
    }

    static let actions = ["update_group_capacity_forecast": "UpdateGroupCapacityForecast",
                          "adjust_group_capacity_forecast": "AdjustGroupCapacityForecast"]

    public let settings: Settings
    public let faults: SimulatorFaults
    private let state = Mutex(State())
    private let box: ServerBox

    public init(settings: Settings = Settings(), faults: SimulatorFaults = .none, host: String = "127.0.0.1", port: Int = 0,
                logger: Logger? = nil) {
        self.settings = settings
        self.faults = faults
        box = ServerBox()
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
    /// `http://host:port`; the stand-in answers under any base path, e.g. `<baseURL>/oscp/fp/2.0`.
    public var baseURL: String { box.server?.baseURL ?? "" }
    public var requests: [SimulatorRequestRecord] { box.server?.requests ?? [] }
    /// Accepted messages, first delivery of each `X-Request-ID` only.
    public var messages: [Message] { state.withLock { $0.messages } }
    /// `X-Request-ID`s received again after they were accepted, in order.
    public var duplicateRequestIds: [String] { state.withLock { $0.duplicates } }

    func respond(_ request: HTTPRequest) -> SimulatorReply {
        let head = request.head
        let last = head.path.split(separator: "/").last.map(String.init) ?? ""
        guard let action = Self.actions[last] else { return Self.error(404, "Unknown OSCP endpoint \(head.path)") }
        guard head.method == "POST" else { return Self.error(405, "Use POST") }
        if faults.rejectSignature { return Self.error(403, "Unknown token") }
        switch TokenAuthorization.check(head.headers, expected: settings.token) {
        case .missing: return Self.error(401, "Missing Authorization: Token header")
        case .unknown: return Self.error(403, "Unknown token")
        case .accepted: break
        }
        guard let requestId = head.headers["X-Request-ID"], !requestId.isEmpty else { return Self.error(400, "Missing X-Request-ID header") }
        let body: JSON
        do {
            body = try JSON.parse(request.body)
        } catch {
            return Self.error(400, "Invalid JSON: \(error.description)")
        }
        if let problem = OSCPForecastValidation.problem(in: body) { return Self.error(400, problem) }
        let groupId = body["group_id"]?.stringValue ?? ""
        if let known = settings.groupIds, !known.contains(groupId) { return Self.error(400, "Unknown group_id \(groupId)") }
        let message = Message(action: action, requestId: requestId, correlationId: head.headers["X-Correlation-ID"],
                              groupId: groupId, body: body)
        let duplicate = state.withLock { state -> Bool in
            guard state.seenRequestIds.insert(requestId).inserted else {
                state.duplicates.append(requestId)
                return true
            }
            state.messages.append(message)
            return false
        }
        return SimulatorReply(HTTPResponse(status: 204), message: duplicate ? "duplicate X-Request-ID \(requestId)" : nil)
    }

    /// `{"message": …}` with SolarNetwork's `X-Error-Message` header.
    static func error(_ status: Int, _ message: String) -> SimulatorReply {
        let body = JSON.members([("message", .string(message))]).compactText
        return SimulatorReply(.json(status: status, body, headers: ["X-Error-Message": message]), message: message)
    }
}
