import EnergyCoordination
import Essentials
import FoundationEssentials
import SmartCharging

/// Builds the one report an event gets once every delivery of it is final (design.md §1.8).
///
/// Pure: the event, its final deliveries and the targets the planner skipped go in; the exact
/// `POST /reports` body comes out, so the report is replayable and testable without a network.
///
/// Semantics (documented in the README):
/// - ec-v1 → `{eventId, name, payloads: [VehicleChargeActionPayload]}`, one payload per vehicle (resource)
///   that had a delivery: `Start` with the applied `current` (A) and `power` (W) when the cap in force is
///   above zero, `Stop` for a zero cap (pause). A delivery that failed is reported as `Unknown` (the
///   vehicle's action could not be confirmed). A Delete gets no report: the sender has removed the event,
///   so there is nothing left to report against.
/// - ec-2024 LPC → `ResourceLPCAcknowledgement` / `LocationLPCAcknowledgement`: targets whose delivery is
///   `done` are acknowledged; failed, dead and skipped targets are declined.
/// - Anything else → no report.
public enum ReportBuilder {
    /// One delivery as the reporter sees it.
    public struct Outcome: Sendable, Equatable {
        public var identifierKey: String
        public var identifier: String
        public var succeeded: Bool
        public var current: Decimal?
        public var power: Decimal?

        public init(identifierKey: String, identifier: String, succeeded: Bool, current: Decimal?, power: Decimal?) {
            self.identifierKey = identifierKey
            self.identifier = identifier
            self.succeeded = succeeded
            self.current = current
            self.power = power
        }

        /// Reads the outbox's `request_json` (Pipeline/DeliveryRequest) and the delivery's final state.
        public init?(requestJSON: JSON, state: String) {
            let keys = ["resourceId", "locationId", "meterPointId"]
            guard let key = keys.first(where: { requestJSON[$0]?.stringValue != nil }),
                  let value = requestJSON[key]?.stringValue else { return nil }
            self.init(identifierKey: key, identifier: value, succeeded: state == "done",
                      current: requestJSON["applied"]?["current"]?.decimalValue,
                      power: requestJSON["applied"]?["power"]?.decimalValue)
        }
    }

    /// The report body, or `nil` when this kind of event is not reported.
    public static func report(event: CoordinationEvent, operation: EventOperation, outcomes: [Outcome],
                              skipped: [EventTarget], locations: (EventTarget) -> GeoLocation?) -> JSON? {
        switch event.payloadType {
        case "ResourceLPC", "LocationLPC", "LPCReservation":
            return acknowledgement(event: event, outcomes: outcomes, skipped: skipped)
        default:
            guard event.dialect == .ecV1, operation != .delete else { return nil }
            return vehicleActions(event: event, operation: operation, outcomes: outcomes, locations: locations)
        }
    }

    static func vehicleActions(event: CoordinationEvent, operation: EventOperation, outcomes: [Outcome],
                               locations: (EventTarget) -> GeoLocation?) -> JSON? {
        var payloads: [JSON] = []
        for outcome in outcomes where outcome.identifierKey == "resourceId" {
            let target = event.targets.first { $0.resourceId == outcome.identifier } ?? EventTarget(resourceId: outcome.identifier)
            var members: [(String, JSON?)] = [
                ("payloadType", .string("VehicleChargeAction")), ("resourceId", .string(outcome.identifier)),
                ("location", locations(target).map { .members([("latitude", .decimal($0.latitude)), ("longitude", .decimal($0.longitude))]) }),
            ]
            if !outcome.succeeded {
                members.append(("actionType", .string("Unknown")))
            } else if (outcome.current ?? 0) > 0 || (outcome.power ?? 0) > 0 {
                members += [("actionType", .string("Start")), ("current", outcome.current.map(JSON.decimal)),
                            ("power", outcome.power.map(JSON.decimal))]
            } else {
                members.append(("actionType", .string("Stop")))
            }
            payloads.append(.members(members))
        }
        guard !payloads.isEmpty else { return nil }
        return .members([("eventId", .string(event.id)), ("name", .string(event.name ?? "ecbridge \(operation.rawValue)")),
                         ("payloads", .array(payloads))])
    }

    static func acknowledgement(event: CoordinationEvent, outcomes: [Outcome], skipped: [EventTarget]) -> JSON {
        let isResource = event.payloadType == "ResourceLPC"
        func item(_ target: EventTarget) -> JSON {
            var members: [(String, JSON?)] = [("locationId", target.locationId.map(JSON.string)),
                                              ("meterPointId", target.meterPointId.map(JSON.string))]
            if isResource { members.append(("resourceId", target.resourceId.map(JSON.string))) }
            return .members(members)
        }
        func target(for outcome: Outcome) -> EventTarget {
            event.targets.first { candidate in
                switch outcome.identifierKey {
                case "resourceId": return candidate.resourceId == outcome.identifier
                case "locationId": return candidate.locationId == outcome.identifier
                default: return candidate.meterPointId == outcome.identifier
                }
            } ?? EventTarget()
        }
        let acknowledged = outcomes.filter(\.succeeded).map { item(target(for: $0)) }
        let declined = outcomes.filter { !$0.succeeded }.map { item(target(for: $0)) } + skipped.map(item)
        let payload = JSON.members([
            ("payloadType", .string(isResource ? "ResourceLPCAcknowledgement" : "LocationLPCAcknowledgement")),
            ("acknowledgedTargets", .array(acknowledged)), ("declinedTargets", .array(declined)),
        ])
        return .members([("eventId", .string(event.id)), ("payloads", .array([payload]))])
    }
}
