import Essentials
import FoundationEssentials

/// OSCP 2.0 `ForecastedBlock`: a capacity over `[start_time, end_time)`.
public struct ForecastedBlock: Sendable, Equatable {
    /// ≥ 0, in `unit`.
    public var capacity: Decimal
    public var phase: PhaseIndicator
    public var unit: ForecastedBlockUnit
    public var startTime: Date
    public var endTime: Date

    public init(capacity: Decimal, phase: PhaseIndicator, unit: ForecastedBlockUnit, startTime: Date, endTime: Date) {
        self.capacity = capacity
        self.phase = phase
        self.unit = unit
        self.startTime = startTime
        self.endTime = endTime
    }

    public var json: JSON {
        .object([
            ("capacity", DecimalJSON.number(capacity)),
            ("phase", .string(phase.rawValue)),
            ("unit", .string(unit.rawValue)),
            ("start_time", .string(Timestamp.format(startTime))),
            ("end_time", .string(Timestamp.format(endTime))),
        ])
    }
}

/// OSCP 2.0 group capacity forecast: `UpdateGroupCapacityForecast` and `AdjustGroupCapacityForecast`
/// have identical bodies and differ in path and meaning.
///
/// Why one type with a `kind`: the schemas are identical, so one builder keeps both in step.
public struct GroupCapacityForecast: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// CP → FP: the capacity to respect (direct OSCP).
        case update
        /// A request for a different capacity (SolarNetwork's `OSCP_v20` instruction action).
        case adjust

        /// The OSCP message name, also the SolarNetwork instruction `action`.
        public var messageName: String {
            switch self {
            case .update: return "UpdateGroupCapacityForecast"
            case .adjust: return "AdjustGroupCapacityForecast"
            }
        }

        /// The path below the peer's OSCP base URL.
        public var path: String {
            switch self {
            case .update: return "/update_group_capacity_forecast"
            case .adjust: return "/adjust_group_capacity_forecast"
            }
        }
    }

    public var kind: Kind
    public var groupId: String
    public var type: CapacityForecastType
    /// At least one block.
    public var blocks: [ForecastedBlock]

    public init(kind: Kind, groupId: String, type: CapacityForecastType, blocks: [ForecastedBlock]) {
        self.kind = kind
        self.groupId = groupId
        self.type = type
        self.blocks = blocks
    }

    public var json: JSON {
        .object([
            ("group_id", .string(groupId)),
            ("type", .string(type.rawValue)),
            ("forecasted_blocks", .array(blocks.map(\.json))),
        ])
    }
}
