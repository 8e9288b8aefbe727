import Essentials
import FoundationEssentials

/// One demand-response notification, normalised from whichever dialect the sender spoke.
///
/// Everything downstream (planner, outbox, reporter) works on this type only, so a new dialect is a new
/// decoder and nothing else. Values are canonical: caps in amps (per phase) or watts, times in UTC.
public struct CoordinationEvent: Sendable, Equatable {
    /// Stable id of the event (`event.id` / `eventId`); reports and profile ids derive from it.
    public var id: String
    /// The notification's own id when the sender gives one (`notificationId`).
    public var notificationId: String?
    public var dialect: Dialect
    /// `nil` when the body does not say (a bare ec-v1 event): intake infers it from what the inbox has seen.
    public var operation: Operation?
    /// The payload type as sent: `CurrentLevel`, `PowerLevel`, `ResourceLPC`, `LocationLPC`,
    /// `LPCReservation`, `PriceCurve`, `UserEligibility`, `Unknown`, or an OpenADR payload type.
    public var payloadType: String
    /// Whether ecbridge maps this payload type to downstream messages (else stored as `ignored`).
    public var isMappable: Bool
    public var name: String?
    public var programId: String?
    /// Lower number = higher priority (OpenADR convention); `nil` when not given.
    public var priority: Int?
    public var createdAt: Date?
    /// `modificationDateTime` / `modifiedAt`; part of the dedupe key when there is no notification id.
    public var modifiedAt: Date?
    /// When the sender says it sent the notification (ec-2024 `notificationSentUtc`).
    public var sentAt: Date?
    /// The targets with their cap schedules; empty for payloads that are not mapped.
    public var targets: [EventTarget]
    /// Assumptions made while normalising (e.g. "targetPower read as W (units.targetPower)").
    public var notes: [String]

    public init(id: String, notificationId: String? = nil, dialect: Dialect, operation: Operation?,
                payloadType: String, isMappable: Bool, name: String? = nil, programId: String? = nil,
                priority: Int? = nil, createdAt: Date? = nil, modifiedAt: Date? = nil, sentAt: Date? = nil,
                targets: [EventTarget] = [], notes: [String] = []) {
        self.id = id
        self.notificationId = notificationId
        self.dialect = dialect
        self.operation = operation
        self.payloadType = payloadType
        self.isMappable = isMappable
        self.name = name
        self.programId = programId
        self.priority = priority
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
        self.sentAt = sentAt
        self.targets = targets
        self.notes = notes
    }
}

/// The wire dialect a body was recognised as (design.md §1.3).
public enum Dialect: String, Sendable, CaseIterable {
    case ecV1 = "ec-v1"
    case ec2024 = "ec-2024"
    case openADR3 = "openadr3"
}

/// What happened to the event at the sender.
public enum Operation: String, Sendable, CaseIterable {
    case create = "Create"
    case update = "Update"
    case delete = "Delete"
}

/// Who an event addresses. The target registry matches `resourceId`, else `locationId`, else `meterPointId`.
public struct EventTarget: Sendable, Equatable {
    public var resourceId: String?
    public var locationId: String?
    public var meterPointId: String?
    /// The cap over time for this target; `nil` for a Delete that carries no schedule.
    public var schedule: CapSchedule?

    public init(resourceId: String? = nil, locationId: String? = nil, meterPointId: String? = nil,
                schedule: CapSchedule? = nil) {
        self.resourceId = resourceId
        self.locationId = locationId
        self.meterPointId = meterPointId
        self.schedule = schedule
    }

    /// A readable identity for messages and reports: `resource vehicle-1`, `location loc-7`, …
    public var label: String {
        if let resourceId { return "resource \(resourceId)" }
        if let locationId { return "location \(locationId)" }
        if let meterPointId { return "meter point \(meterPointId)" }
        return "unnamed target"
    }
}

/// A cap value in canonical units.
public struct Cap: Sendable, Equatable {
    public enum Unit: String, Sendable {
        /// Amperes per phase.
        case amps = "A"
        /// Total watts.
        case watts = "W"
    }

    public var value: Decimal
    public var unit: Unit

    public init(_ value: Decimal, _ unit: Unit) {
        self.value = value
        self.unit = unit
    }
}

/// When a schedule starts.
public enum ScheduleStart: Sendable, Equatable {
    /// `0001-01-01…` (OpenADR convention): as soon as it is received / planned.
    case now
    case at(Date)
}

/// A cap that changes over time: `periods` start at offsets (seconds) from `start`; the last period
/// lasts until `duration` ends (`nil` = open-ended, e.g. `P9999Y`).
///
/// ec-v1 events have one period (one level for the whole window); LPC targets have one period per point
/// (`[timestamp, timestamp + resolution)`).
public struct CapSchedule: Sendable, Equatable {
    public struct Period: Sendable, Equatable {
        /// Seconds from the schedule start; the first period starts at 0.
        public var offset: Int
        public var cap: Cap
        public init(offset: Int, cap: Cap) {
            self.offset = offset
            self.cap = cap
        }
    }

    public var start: ScheduleStart
    /// Whole seconds; `nil` = open-ended.
    public var duration: Int?
    /// One-sided start offset window in seconds (`randomizeStart`), 0 when none.
    public var randomizeStart: Int
    public var periods: [Period]

    public init(start: ScheduleStart, duration: Int?, randomizeStart: Int = 0, periods: [Period]) {
        self.start = start
        self.duration = duration
        self.randomizeStart = randomizeStart
        self.periods = periods
    }
}
