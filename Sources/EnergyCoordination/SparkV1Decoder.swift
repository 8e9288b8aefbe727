import Essentials
import FoundationEssentials

/// Reads the mid-2023 Spark shapes (`ec-v1`): the envelope
/// `{operationType, subscriptionId?, notificationId?, event}` or a bare event.
///
/// Why tolerant of spellings: the public v1 documents disagree (`id`/`ID`, `createdDateTime`/`createdAt`,
/// `targetResources`/`targets`), and the webhook body itself was never published (energy-coordination.md §3.8).
enum SparkV1Decoder {
    static let mappablePayloadTypes: Set<String> = ["CurrentLevel", "PowerLevel"]

    /// Payload types that identify a bare object as an ec-v1 event.
    static let payloadTypes: Set<String> = mappablePayloadTypes.union(["Unknown"])

    static func decodeEnvelope(_ root: FieldReader, options: DecodeOptions) throws(DecodeError) -> CoordinationEvent {
        let operation = try root.optional("operationType").map { (field) throws(DecodeError) in
            try operationType(field)
        }
        let notificationId = try root.optional("notificationId")?.identifier()
        _ = try root.optional("subscriptionId")?.string()
        let eventField = try root.required("event").object()
        var event = try decodeEvent(eventField, operation: operation, options: options)
        event.notificationId = notificationId
        return event
    }

    /// `Create`, `Update`, `Delete` (any letter case).
    static func operationType(_ field: FieldReader) throws(DecodeError) -> Operation {
        let text = try field.string()
        guard let operation = Operation.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            throw field.fail("expected Create, Update or Delete, got \(DecodeError.snippet(text))")
        }
        return operation
    }

    /// One v1 event; `operation` is `nil` for a bare event (intake infers it).
    static func decodeEvent(_ e: FieldReader, operation: Operation?,
                            options: DecodeOptions) throws(DecodeError) -> CoordinationEvent {
        let id = try e.required(anyOf: ["id", "ID"]).identifier()
        let isDelete = operation == .delete
        var notes: [String] = []

        // Payload: one level for every target and the whole window.
        var payloadType = "Unknown"
        var cap: Cap? = nil
        var isMappable: Bool
        if let payload = try e.optional("payload")?.object() {
            payloadType = try payload.required("payloadType").string()
            isMappable = mappablePayloadTypes.contains(payloadType)
            switch payloadType {
            case "CurrentLevel":
                cap = Cap(try payload.required("targetCurrent").cap(times: 1), .amps)
            case "PowerLevel":
                let watts = try payload.required("targetPower").cap(times: options.targetPowerUnit.wattsPerUnit)
                cap = Cap(watts, .watts)
                notes.append(options.targetPowerUnit == .watts
                    ? "targetPower read as W (units.targetPower)"
                    : "targetPower read as kW (units.targetPower), converted to W")
            default:
                break
            }
        } else if isDelete {
            // A Delete may carry only the event id: it clears whatever was planned for the event.
            isMappable = true
            notes.append("Delete without payload: clears what was planned for the event")
        } else {
            throw DecodeError.field(e.childPath("payload"), "missing")
        }

        var event = CoordinationEvent(
            id: id, dialect: .ecV1, operation: operation, payloadType: payloadType, isMappable: isMappable,
            name: try e.optional("name")?.string(),
            programId: try e.optional(anyOf: ["programId", "programID"])?.string(),
            priority: try e.optional("priority")?.int(),
            createdAt: try e.optional(anyOf: ["createdDateTime", "createdAt"])?.timestamp(),
            modifiedAt: try e.optional(anyOf: ["modificationDateTime", "modifiedAt"])?.timestamp())
        guard isMappable else {
            event.notes = notes
            return event
        }

        // Window: required unless this is a Delete.
        var schedule: CapSchedule? = nil
        if let period = try e.optional("intervalPeriod")?.object() {
            let (window, windowNotes) = try decodeWindow(period)
            notes += windowNotes
            if let cap {
                schedule = CapSchedule(start: window.start, duration: window.duration,
                                       randomizeStart: window.randomizeStart,
                                       periods: [CapSchedule.Period(offset: 0, cap: cap)])
            }
        } else if !isDelete {
            throw DecodeError.field(e.childPath("intervalPeriod"), "missing")
        }

        // Targets: `targetResources` (2023 swagger) and/or `targets` (June 2023 draft).
        var targets: [EventTarget] = []
        if let list = try e.optional("targetResources")?.array() {
            for item in list {
                _ = try item.object()
                let resourceId = try item.optional("resourceId")?.identifier()
                let locationId = try item.optional("locationId")?.identifier()
                guard resourceId != nil || locationId != nil else { throw item.fail("no resourceId or locationId") }
                targets.append(EventTarget(resourceId: resourceId, locationId: locationId))
            }
        }
        if let list = try e.optional("targets")?.typedTargetList(typeKeys: ["targetType", "type"]) {
            targets += list.targets
            notes += list.notes
        }
        var unique: [EventTarget] = []
        if targets.count <= 8 {
            // A few targets (nearly every event): a linear scan is cheaper than hashing them into a Set.
            for target in targets where !unique.contains(target) { unique.append(target) }
        } else if targets.allSatisfy({ $0.schedule == nil }) {
            // By identity through a Set: a linear scan per target made a 10,000-target fan-out quadratic.
            var seen: Set<TargetIdentity> = []
            for target in targets where seen.insert(TargetIdentity(target)).inserted { unique.append(target) }
        } else {
            for target in targets where !unique.contains(target) { unique.append(target) }
        }
        event.targets = unique.map { target in
            var withSchedule = target
            withSchedule.schedule = schedule
            return withSchedule
        }
        if event.targets.isEmpty && !isDelete { notes.append("event has no targets: nothing to map") }
        event.notes = notes
        return event
    }

    struct Window {
        var start: ScheduleStart
        var duration: Int?
        var randomizeStart: Int
    }

    /// `{start, duration, randomizeStart}`. A missing duration is read as open-ended (with a note).
    static func decodeWindow(_ period: FieldReader) throws(DecodeError) -> (Window, [String]) {
        var notes: [String] = []
        let start = try period.required("start").scheduleStart()
        var duration: Int? = nil
        if let field = period.optional("duration") {
            if case let .seconds(seconds) = try field.duration() { duration = seconds }
        } else {
            notes.append("\(period.childPath("duration")) missing: window read as open-ended")
        }
        let randomizeStart = try period.optional("randomizeStart")?.finiteDuration() ?? 0
        return (Window(start: start, duration: duration, randomizeStart: randomizeStart), notes)
    }
}

/// What tells two schedule-less targets apart (all of `EventTarget`'s fields but the schedule).
private struct TargetIdentity: Hashable {
    let resourceId: String?
    let locationId: String?
    let meterPointId: String?

    init(_ target: EventTarget) {
        resourceId = target.resourceId
        locationId = target.locationId
        meterPointId = target.meterPointId
    }
}
