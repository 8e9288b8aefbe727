import EnergyCoordination
import Essentials
import FoundationEssentials
import HTTPServer
import Synchronization

/// A local stand-in for Spark's Energy Coordination API: an OAuth2 token endpoint (`/connect/token`),
/// the v1 partner endpoints (`/subscriptions`, `/resources`, `/events`, `/reports`), the 2024 `/webhooks`
/// and paged `/events`, and sandbox-style `/simulation/events…` triggers. Every API call needs a bearer
/// token it issued; bodies are validated and refused with ASP.NET-shaped problem documents.
///
/// Why: the partner CLI, reconciliation and the reporter must run end to end without Spark. It also
/// *sends* signed webhooks to every matching registration with Spark's retry rule, can "lose" some of them
/// so reconciliation is tested, and records reports for assertions. Serves at the root and under
/// `/energy-coordination/v1`.
public final class EnergyCoordinationSimulator: Sendable {
    struct Registration: Sendable {
        enum Family: Sendable { case subscription, webhook }
        var id: String
        var family: Family
        var url: String
        var secret: String?
        var name: String?
        var eventPayloadTypes: [String]
        var operationTypes: [String]
        var notificationTypes: [String]
        var enabled = true
        var createdAt: Date
        var modifiedAt: Date
    }

    struct State: Sendable {
        var tokens: [String: Date] = [:]
        var tokenRequests = 0
        var registrations: [Registration] = []
        var resources: [(resourceId: String, body: JSON)] = []
        var events: [EnergyCoordinationSimulatorEvent] = []
        var reports: [JSON] = []
        var loseRemaining = 0
        var nextReport = 1
    }

    public static let apiPrefix = "/energy-coordination/v1"

    public let settings: EnergyCoordinationSimulatorSettings
    public let faults: SimulatorFaults
    let state: Mutex<State>
    let webhooks: EnergyCoordinationSimulatorWebhooks
    private let box = ServerBox()
    let now: @Sendable () -> Date

    public init(settings: EnergyCoordinationSimulatorSettings = EnergyCoordinationSimulatorSettings(),
                faults: SimulatorFaults = .none, host: String = "127.0.0.1", port: Int = 0, logger: Logger? = nil,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.faults = faults
        self.now = now
        var initial = State()
        initial.loseRemaining = settings.loseWebhooks
        state = Mutex(initial)
        webhooks = EnergyCoordinationSimulatorWebhooks(settings: settings, logger: logger)
        box.server = SimulatorServer(host: host, port: port, faults: faults, logger: logger,
                                     faultResponse: { status, message in
                                         EnergyCoordinationSimulatorValidation.problem(status, "Simulated failure", message).response
                                     },
                                     routes: { [weak self] request in
                                         self?.respond(request) ?? EnergyCoordinationSimulatorValidation.problem(503, "Stopping", "stopping")
                                     })
    }

    @discardableResult
    public func start() throws -> Int { try box.require().start() }
    public func stop() { box.server?.stop() }
    public var port: Int { box.server?.port ?? 0 }
    /// `http://host:port`.
    public var baseURL: String { box.server?.baseURL ?? "" }
    /// The `energyCoordination.baseUrl` to configure.
    public var apiBaseURL: String { baseURL + Self.apiPrefix }
    /// The `energyCoordination.tokenUrl` to configure.
    public var tokenURL: String { baseURL + "/connect/token" }
    public var requests: [SimulatorRequestRecord] { box.server?.requests ?? [] }

    // MARK: - For tests and the CLI

    /// How many token requests were answered with a token.
    public var tokenRequests: Int { state.withLock { $0.tokenRequests } }

    /// Invalidates every issued token (the next API call gets 401, as after a key rotation).
    public func revokeTokens() { state.withLock { $0.tokens.removeAll() } }

    /// The next `count` webhook notifications are lost (never sent).
    public func loseNextWebhooks(_ count: Int) { state.withLock { $0.loseRemaining += max(0, count) } }

    /// Reports received (accepted ones only), in order.
    public var reports: [JSON] { state.withLock { $0.reports } }

    /// Events held, in creation order.
    public var events: [EnergyCoordinationSimulatorEvent] { state.withLock { $0.events } }

    /// Registered resource ids, in order.
    public var resourceIds: [String] { state.withLock { $0.resources.map(\.resourceId) } }

    /// Ids of webhook registrations (both families), in order.
    public var registrationIds: [String] { state.withLock { $0.registrations.map(\.id) } }

    /// Every webhook notification sent or lost, with its attempts.
    public var notifications: [EnergyCoordinationSimulatorNotification] { webhooks.all }

    /// Waits until no webhook is being sent or waiting for a retry; false on timeout.
    @discardableResult
    public func waitForWebhooks(timeout: Double = 10) -> Bool { webhooks.waitUntilIdle(timeout: timeout) }

    /// Adds (or, for a known v1 id, updates) an event and notifies every matching registration.
    /// Accepts a bare v1 event, a v1 envelope, a 2024 `EventNotification` or `{id?, createdAt?, payload}`.
    /// Returns the event id.
    @discardableResult
    public func publish(_ json: JSON) throws -> String {
        guard let (event, envelopeOperation) = EnergyCoordinationSimulatorEvent.make(from: json, now: now()) else {
            throw CLIError("not an Energy Coordination event or notification")
        }
        if envelopeOperation == "Delete" {
            remove(eventId: event.id)
            return event.id
        }
        let operation = state.withLock { state -> String in
            if let index = state.events.firstIndex(where: { $0.id == event.id }) {
                state.events[index] = event
                return "Update"
            }
            state.events.append(event)
            return "Create"
        }
        notify(event, operation: operation)
        return event.id
    }

    /// Removes an event and sends v1 `Delete` notifications.
    public func remove(eventId: String) {
        let removed = state.withLock { state -> EnergyCoordinationSimulatorEvent? in
            guard let index = state.events.firstIndex(where: { $0.id == eventId }) else { return nil }
            return state.events.remove(at: index)
        }
        if var removed {
            if removed.generation == .v1 { removed.body = .members([("id", .string(removed.id))]) }
            notify(removed, operation: "Delete")
        }
    }

    /// Publishes every `*.json` file of `directory` (sorted by name); returns how many were events.
    @discardableResult
    public func loadEvents(directory: String) throws -> Int {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        var count = 0
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                  let json = try? JSON.parse(data), (try? publish(json)) != nil else { continue }
            count += 1
        }
        return count
    }

    // MARK: - Notifications

    /// Sends `event` to every enabled registration whose filter matches.
    func notify(_ event: EnergyCoordinationSimulatorEvent, operation: String) {
        let sentAt = Timestamp.format(now(), fractional: true)
        let plans = state.withLock { state -> [(Registration, Bool)] in
            var plans: [(Registration, Bool)] = []
            for registration in state.registrations where Self.matches(registration, event, operation: operation) {
                let lose = state.loseRemaining > 0
                if lose { state.loseRemaining -= 1 }
                plans.append((registration, lose))
            }
            return plans
        }
        for (registration, lose) in plans {
            let notificationId = UUID().uuidString.lowercased()
            if lose {
                webhooks.lose(notificationId: notificationId, subscriptionId: registration.id, eventId: event.id, url: registration.url)
                continue
            }
            let body: JSON
            switch event.generation {
            case .v1:
                body = .members([("operationType", .string(operation)), ("subscriptionId", .string(registration.id)),
                                 ("notificationId", .string(notificationId)), ("event", event.body)])
            case .v2024:
                body = .members([("notificationId", .string(notificationId)), ("eventId", .string(event.id)),
                                 ("eventCreatedAtUtc", .string(Timestamp.format(event.createdAt, fractional: true))),
                                 ("notificationSentUtc", .string(sentAt)), ("notificationType", .string(event.notificationType)),
                                 ("payload", event.body["payload"] ?? .null)])
            }
            webhooks.send(body: body, notificationId: notificationId, subscriptionId: registration.id, eventId: event.id,
                          url: registration.url, secret: registration.secret)
        }
    }

    static func matches(_ registration: Registration, _ event: EnergyCoordinationSimulatorEvent, operation: String) -> Bool {
        guard registration.enabled else { return false }
        switch (registration.family, event.generation) {
        case (.subscription, .v1):
            return (registration.eventPayloadTypes.isEmpty || registration.eventPayloadTypes.contains(event.payloadType))
                && (registration.operationTypes.isEmpty || registration.operationTypes.contains(operation))
        case (.webhook, .v2024):
            return registration.notificationTypes.isEmpty || registration.notificationTypes.contains(event.notificationType)
        default:
            return false
        }
    }
}
