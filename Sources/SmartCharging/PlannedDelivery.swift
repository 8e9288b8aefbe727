import EnergyCoordination
import Essentials
import FoundationEssentials

/// One downstream request the planner decided on, ready for the outbox: what to send, where, and how to
/// recognise it again (idempotency key).
///
/// Why plain data: the outbox stores it, the sender adds authentication at send time, and the `map`
/// command prints it; none of them needs to know how it was derived.
public struct PlannedDelivery: Sendable, Equatable {
    /// The configured target's stable key (`resource:vehicle-1`).
    public var targetKey: String
    /// The event target's identifiers.
    public var resourceId: String?
    public var locationId: String?
    public var meterPointId: String?
    /// Which identifier matched the configured target.
    public var matchedBy: TargetRegistry.MatchedBy
    public var channel: DeliveryChannel
    public var operation: EventOperation
    /// The protocol action: `SetChargingProfile`, `ClearChargingProfile`, `AdjustGroupCapacityForecast`,
    /// `UpdateGroupCapacityForecast`, `PutCapacityScenarios`.
    public var action: String
    public var method: String
    public var address: DeliveryAddress
    /// Exactly what is sent.
    public var body: JSON
    /// Extra headers decided at planning time (e.g. OSCP `X-Request-ID`); authentication is added at send time.
    public var headers: [HTTPHeaderField]
    /// Deterministic: event id, operation, target key and a hash of the body.
    public var idempotencyKey: String
    /// Orders deliveries of one target across events: milliseconds since 1970 of the event's
    /// modification (else sent, else created) time, else of the planner's `now`.
    public var sequenceHint: Int64
    /// The OCPP charging profile id (set and clear), `nil` for other channels.
    public var chargingProfileId: Int?
    /// The window the delivery covers (the GreenFlux sender replaces existing scenarios inside it).
    public var windowStart: Date?
    /// `nil` when open-ended.
    public var windowEnd: Date?
    /// The cap in force at the window start; `nil` for clears and restores.
    public var applied: AppliedCap?

    /// The identifier `map` output names the delivery by (the one that matched).
    public var matchedIdentifier: (key: String, value: String) {
        switch matchedBy {
        case .resourceId: return ("resourceId", resourceId ?? targetKey)
        case .locationId: return ("locationId", locationId ?? targetKey)
        case .meterPointId: return ("meterPointId", meterPointId ?? targetKey)
        }
    }

    /// The §4.3 `deliveries[]` entry: identifier, channel, method, `path` (SolarNetwork) or `url` (direct),
    /// `headers` when there are planned ones, and `body`.
    public var json: JSON {
        let id = matchedIdentifier
        var members: [(String, JSON)] = [(id.key, .string(id.value)), ("channel", .string(channel.rawValue)),
                                         ("method", .string(method))]
        members.reserveCapacity(6)
        switch address {
        case let .solarNetworkPath(path): members.append(("path", .string(path)))
        case let .url(url): members.append(("url", .string(url)))
        }
        if !headers.isEmpty {
            members.append(("headers", .object(headers.map { ($0.name, JSON.string($0.value)) })))
        }
        members.append(("body", body))
        return .object(members)
    }
}

/// Where a delivery goes.
public enum DeliveryAddress: Sendable, Equatable {
    /// A path on the configured SolarNetwork base URL (signed with SNWS2 at send time).
    case solarNetworkPath(String)
    /// An absolute URL (direct OSCP, GreenFlux).
    case url(String)
}

/// One HTTP header (name as written).
public struct HTTPHeaderField: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An event target the planner did not plan, and why.
public struct SkippedTarget: Sendable, Equatable {
    public var resourceId: String?
    public var locationId: String?
    public var meterPointId: String?
    public var reason: String

    public init(resourceId: String? = nil, locationId: String? = nil, meterPointId: String? = nil, reason: String) {
        self.resourceId = resourceId
        self.locationId = locationId
        self.meterPointId = meterPointId
        self.reason = reason
    }

    init(_ target: EventTarget?, reason: String) {
        self.init(resourceId: target?.resourceId, locationId: target?.locationId, meterPointId: target?.meterPointId,
                  reason: reason)
    }

    /// The §4.3 `skipped[]` entry (every identifier the event gave, then the reason).
    public var json: JSON {
        .members([
            ("resourceId", resourceId.map { .string($0) }),
            ("locationId", locationId.map { .string($0) }),
            ("meterPointId", meterPointId.map { .string($0) }),
            ("reason", .string(reason)),
        ])
    }
}
