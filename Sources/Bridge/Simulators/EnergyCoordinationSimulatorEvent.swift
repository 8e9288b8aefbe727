import Essentials
import FoundationEssentials

/// An event held by the Energy Coordination stand-in, in the shape `GET /events` returns it: a bare v1
/// event, or a 2024 `{id, createdAt, payload}`.
public struct EnergyCoordinationSimulatorEvent: Sendable, Equatable {
    public enum Generation: String, Sendable {
        /// Sent to `/subscriptions` registrations as `{operationType, subscriptionId, notificationId, event}`.
        case v1
        /// Sent to `/webhooks` registrations as an `EventNotification`.
        case v2024
    }

    public var id: String
    public var generation: Generation
    public var createdAt: Date
    /// What `GET /events/{id}` answers.
    public var body: JSON
    public var payloadType: String

    static let v1PayloadTypes: Set<String> = ["CurrentLevel", "PowerLevel", "Unknown"]
    static let notificationTypes = ["ResourceLPC": "ResourceLPCRequested", "LocationLPC": "LocationLPCRequested",
                                    "LPCReservation": "LPCReservationCreated", "PriceCurve": "PriceCurveCreated",
                                    "UserEligibility": "UserEligibilityUpdated"]

    /// The 2024 `notificationType` for this event (`Unknown` for anything else).
    public var notificationType: String { Self.notificationTypes[payloadType] ?? "Unknown" }

    /// Reads what a test or `--events DIR` hands over: a v1 envelope (`{operationType, event}`), a 2024
    /// `EventNotification`, a bare v1 event, or a 2024 `{id?, createdAt?, payload}`. Returns the event
    /// and the operation the envelope named (v1), if any.
    static func make(from json: JSON, now: Date) -> (event: EnergyCoordinationSimulatorEvent, operation: String?)? {
        guard case .object = json else { return nil }
        if let inner = json["event"], case .object = inner {
            guard let event = v1(inner, now: now) else { return nil }
            return (event, json["operationType"]?.stringValue)
        }
        if json["notificationType"] != nil || (json["eventId"] != nil && json["payload"] != nil) {
            guard let payload = json["payload"], case .object = payload else { return nil }
            var fixed = payload
            let declared = payload["payloadType"]?.stringValue
            let derived = notificationTypes.first { $0.value == json["notificationType"]?.stringValue }?.key
            if declared == nil, let derived, case let .object(members) = payload {
                fixed = .object([("payloadType", .string(derived))] + members)
            }
            let created = json["eventCreatedAtUtc"]?.stringValue.flatMap { Timestamp.parse($0) } ?? now
            return (v2024(id: json["eventId"]?.stringValue, createdAt: created, payload: fixed), nil)
        }
        let payloadType = json["payload"]?["payloadType"]?.stringValue
        let isV1 = ["intervalPeriod", "targetResources", "targets", "ID"].contains { json[$0] != nil }
            || payloadType.map(v1PayloadTypes.contains) == true
        if isV1 {
            return v1(json, now: now).map { ($0, nil) }
        }
        guard let payload = json["payload"], case .object = payload else { return nil }
        let created = json["createdAt"]?.stringValue.flatMap { Timestamp.parse($0) } ?? now
        return (v2024(id: json["id"]?.stringValue, createdAt: created, payload: payload), nil)
    }

    static func v1(_ json: JSON, now: Date) -> EnergyCoordinationSimulatorEvent? {
        guard case let .object(members) = json else { return nil }
        var body = members
        let id: String
        if let existing = json["id"]?.stringValue ?? json["ID"]?.stringValue {
            id = existing
        } else {
            id = UUID().uuidString.lowercased()
            body.insert(("id", .string(id)), at: 0)
        }
        let created = (json["createdDateTime"] ?? json["createdAt"])?.stringValue.flatMap { Timestamp.parse($0) } ?? now
        return EnergyCoordinationSimulatorEvent(id: id, generation: .v1, createdAt: created, body: .object(body),
                                                payloadType: json["payload"]?["payloadType"]?.stringValue ?? "Unknown")
    }

    static func v2024(id: String?, createdAt: Date, payload: JSON) -> EnergyCoordinationSimulatorEvent {
        let id = id ?? UUID().uuidString.lowercased()
        let body = JSON.members([("id", .string(id)), ("createdAt", .string(Timestamp.format(createdAt, fractional: true))),
                                 ("payload", payload)])
        return EnergyCoordinationSimulatorEvent(id: id, generation: .v2024, createdAt: createdAt, body: body,
                                                payloadType: payload["payloadType"]?.stringValue ?? "Unknown")
    }
}
