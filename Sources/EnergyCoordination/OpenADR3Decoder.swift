import Essentials
import FoundationEssentials

/// Reads OpenADR 3.0/3.1 notifications (`openadr3`): `{objectType, operation, object}`.
///
/// Why only `IMPORT_CAPACITY_LIMIT`: it is the one OpenADR payload that means the same as a Spark cap
/// (a maximum import per target over time). Other events and non-event objects are stored, not mapped.
enum OpenADR3Decoder {
    static let capacityLimitType = "IMPORT_CAPACITY_LIMIT"

    static func decode(_ root: FieldReader) throws(DecodeError) -> CoordinationEvent {
        let notificationType = try root.required("objectType").string()
        let operation = try operation(try root.required("operation"))
        let object = try root.required("object").object()
        let kind = (try object.optional("objectType")?.string() ?? notificationType).uppercased()
        guard kind == "EVENT" else {
            let id = try object.optional("id")?.string() ?? ""
            return CoordinationEvent(id: id, dialect: .openADR3, operation: operation, payloadType: kind,
                                     isMappable: false, notes: ["OpenADR 3 \(kind) object: stored, not mapped"])
        }
        return try decodeEvent(object, operation: operation)
    }

    /// 3.0 `POST|PUT|DELETE` and 3.1 `CREATE|UPDATE|DELETE` (any letter case).
    static func operation(_ field: FieldReader) throws(DecodeError) -> Operation {
        let text = try field.string()
        switch text.uppercased() {
        case "POST", "CREATE": return .create
        case "PUT", "UPDATE": return .update
        case "DELETE": return .delete
        default:
            throw field.fail("expected POST, PUT, DELETE, CREATE or UPDATE, got \(DecodeError.snippet(text))")
        }
    }

    private struct Entry {
        var offset: Int
        var seconds: Int?
        var cap: Decimal
    }

    static func decodeEvent(_ e: FieldReader, operation: Operation) throws(DecodeError) -> CoordinationEvent {
        var event = CoordinationEvent(
            id: try e.required("id").identifier(), dialect: .openADR3, operation: operation,
            payloadType: capacityLimitType, isMappable: true,
            name: try e.optional("eventName")?.string(),
            programId: try e.optional(anyOf: ["programID", "programId"])?.string(),
            priority: try e.optional("priority")?.int(),
            createdAt: try e.optional("createdDateTime")?.timestamp(),
            modifiedAt: try e.optional("modificationDateTime")?.timestamp())
        var notes: [String] = []

        // Targets: 3.1 plain strings (resource names), 3.0 valuesMap {type, values}.
        var targets: [EventTarget] = []
        for item in try e.optional("targets")?.array() ?? [] {
            if case .string = item.value {
                targets.append(EventTarget(resourceId: try item.identifier()))
            } else {
                let list = try FieldReader.typedTargets([item], typeKeys: ["type"])
                targets += list.targets
                notes += list.notes
            }
        }

        // Intervals carrying the cap; events without one are stored, not mapped.
        let intervals = try e.optional("intervals")?.array() ?? []
        var limits: [FieldReader?] = []
        var firstOtherType: String? = nil
        for interval in intervals {
            _ = try interval.object()
            var limit: FieldReader? = nil
            for payload in try interval.optional("payloads")?.array() ?? [] {
                _ = try payload.object()
                let type = try payload.required("type").string()
                if type == capacityLimitType { limit = payload } else if firstOtherType == nil { firstOtherType = type }
            }
            limits.append(limit)
        }
        guard limits.contains(where: { $0 != nil }) || (operation == .delete && intervals.isEmpty) else {
            event.payloadType = firstOtherType ?? "Unknown"
            event.isMappable = false
            event.notes = notes + ["no \(capacityLimitType) payload: stored, not mapped"]
            return event
        }

        let eventPeriod = try e.optional("intervalPeriod")?.object()
        let eventStart = try eventPeriod?.optional("start")?.scheduleStart()
        let eventDuration = try eventPeriod?.optional("duration")?.duration()
        let randomizeStart = try eventPeriod?.optional("randomizeStart")?.finiteDuration() ?? 0

        // OpenADR 3.1.1 cancels with start 0001-01-01 and duration PT0S.
        if eventStart == .now && eventDuration == .seconds(0) {
            event.operation = .delete
            event.targets = targets
            event.notes = notes + ["start 0001-01-01 with duration PT0S: read as a cancellation (Delete)"]
            return event
        }
        if intervals.isEmpty {
            event.targets = targets
            event.notes = notes + ["Delete without intervals: clears what was planned for the event"]
            return event
        }

        let factor: Int
        let unit: Cap.Unit
        (factor, unit) = try capacityUnit(e)

        var base = eventStart
        var entries: [Entry] = []
        var cursor = 0
        for (index, interval) in intervals.enumerated() {
            guard let limit = limits[index] else {
                throw DecodeError.field(interval.path, "no \(capacityLimitType) payload")
            }
            let ownPeriod = try interval.optional("intervalPeriod")?.object()
            var offset = cursor
            if let ownStartField = ownPeriod?.optional("start") {
                let ownStart = try ownStartField.scheduleStart()
                switch (base, ownStart) {
                case (nil, _):
                    base = ownStart
                    offset = 0
                case let (.at(reference)?, .at(date)):
                    guard let seconds = EventTime.seconds(from: reference, to: date) else {
                        throw ownStartField.fail("out of range")
                    }
                    offset = seconds
                case (.now?, .now):
                    offset = cursor
                default:
                    throw ownStartField.fail("cannot mix a start of 0001-01-01 (now) with absolute starts")
                }
            } else if base == nil {
                throw DecodeError.field(e.childPath("intervalPeriod"), "missing (no start for the first interval)")
            }
            if offset < cursor {
                throw DecodeError.field(interval.path, "starts before the previous interval ends (overlap)")
            }
            if offset > cursor && !entries.isEmpty {
                notes.append("\(interval.path): gap before this interval; the previous cap is held")
            }
            let durationField = ownPeriod?.optional("duration")
            guard let duration = try durationField?.duration() ?? eventDuration else {
                throw DecodeError.field(interval.path, "no duration (neither the interval nor the event has one)")
            }
            var seconds: Int? = nil
            switch duration {
            case .openEnded:
                guard index == intervals.count - 1 else {
                    throw DecodeError.field(interval.path, "only the last interval may be open-ended")
                }
            case let .seconds(value):
                guard value > 0 else { throw DecodeError.field(interval.path, "duration must be longer than zero") }
                seconds = value
            }
            let valuesField = try limit.required("values")
            let values = try valuesField.array()
            guard values.count == 1, let only = values.first else {
                throw valuesField.fail("expected exactly one value (split intervals are not supported)")
            }
            entries.append(Entry(offset: offset, seconds: seconds, cap: try only.cap(times: factor)))
            cursor = offset + (seconds ?? 0)
        }

        // Rebase so the first period starts at offset 0.
        let shift = entries.first?.offset ?? 0
        var start: ScheduleStart = base ?? .now
        if case let .at(date) = start, shift != 0 {
            start = .at(EventTime.canonical(date.addingTimeInterval(TimeInterval(shift))))
        }
        let periods = entries.map { CapSchedule.Period(offset: $0.offset - shift, cap: Cap($0.cap, unit)) }
        let duration: Int? = entries.last?.seconds == nil ? nil : cursor - shift
        let schedule = CapSchedule(start: start, duration: duration, randomizeStart: randomizeStart, periods: periods)
        event.targets = targets.map { target in
            var withSchedule = target
            withSchedule.schedule = schedule
            return withSchedule
        }
        if targets.isEmpty { notes.append("event has no targets: nothing to map") }
        event.notes = notes
        return event
    }

    /// The unit of the `IMPORT_CAPACITY_LIMIT` values from `payloadDescriptors`: KW (→ W × 1000), W, AMPS/A.
    private static func capacityUnit(_ e: FieldReader) throws(DecodeError) -> (Int, Cap.Unit) {
        for descriptor in try e.optional("payloadDescriptors")?.array() ?? [] {
            _ = try descriptor.object()
            guard try descriptor.optional("payloadType")?.string() == capacityLimitType else { continue }
            let unitsField = try descriptor.required("units")
            let units = try unitsField.string()
            switch units.uppercased() {
            case "KW": return (1000, .watts)
            case "W": return (1, .watts)
            case "AMPS", "A": return (1, .amps)
            default:
                throw unitsField.fail("unsupported unit \(DecodeError.snippet(units)) for \(capacityLimitType) (KW, W or AMPS)")
            }
        }
        throw DecodeError.field(e.childPath("payloadDescriptors"),
                                "no \(capacityLimitType) descriptor with units (KW, W or AMPS)")
    }
}
