import Essentials
import FoundationEssentials

/// One GreenFlux datetime capacity scenario entry `{capacity, start_date_time, end_date_time}`.
///
/// Why a model: the PUT replaces the group's whole list, so the sender must merge these entries with the
/// ones it reads back; a typed entry makes that merge (by window) straightforward.
public struct GreenFluxCapacityScenario: Sendable, Equatable {
    /// In the group's unit (amps per phase, or watts for DC groups).
    public var capacity: Decimal
    public var start: Date
    public var end: Date

    public init(capacity: Decimal, start: Date, end: Date) {
        self.capacity = capacity
        self.start = start
        self.end = end
    }

    public var json: JSON {
        .object([
            ("capacity", DecimalJSON.number(capacity)),
            ("start_date_time", .string(Timestamp.format(start))),
            ("end_date_time", .string(Timestamp.format(end))),
        ])
    }

    /// The PUT body: a JSON array of entries.
    public static func body(_ entries: [GreenFluxCapacityScenario]) -> JSON { .array(entries.map(\.json)) }
}
