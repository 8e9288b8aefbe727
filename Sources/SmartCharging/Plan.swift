import EnergyCoordination
import Essentials
import FoundationEssentials

/// Everything the planner decided for one event: the deliveries to make and the targets left out.
///
/// Why a value: planning is pure, so the same event and clock always give an equal `Plan`; the outbox
/// stores it and `map` prints it.
public struct Plan: Sendable, Equatable {
    public var eventId: String
    /// The operation planned (`Create` when the event did not say).
    public var operation: EventOperation
    public var deliveries: [PlannedDelivery]
    public var skipped: [SkippedTarget]

    public init(eventId: String, operation: EventOperation, deliveries: [PlannedDelivery] = [], skipped: [SkippedTarget] = []) {
        self.eventId = eventId
        self.operation = operation
        self.deliveries = deliveries
        self.skipped = skipped
    }

    /// The `map` output (design.md §4.3): `{"event": …, "deliveries": […], "skipped": […]}`; the caller
    /// renders the normalised event.
    public func json(event: JSON) -> JSON {
        .members([
            ("event", event),
            ("deliveries", .array(deliveries.map(\.json))),
            ("skipped", .array(skipped.map(\.json))),
        ])
    }
}

/// The event model's `Operation`, named so it does not clash with Foundation's `Operation` class.
public typealias EventOperation = EnergyCoordination.Operation
