import Essentials
import FoundationEssentials

/// Reads the 2024+ Spark shapes (`ec-2024`): the `EventNotification` webhook body and the
/// `GET /events` item `{id, createdAt, payload}` used by reconciliation.
///
/// Why separate from ec-v1: the 2024 payloads are per-target schedules of kW points, not one level for a
/// window, and the envelope carries its own ids and times (energy-coordination.md §4).
enum SparkNotificationDecoder {
    /// Payload types that become cap schedules. `LPCReservation` carries the same `LocationLPCTarget`
    /// items as `LocationLPC` and is mapped the same way (a reserved power cap is still a cap).
    static let mappablePayloadTypes: Set<String> = ["ResourceLPC", "LocationLPC", "LPCReservation"]

    /// Payload types that identify a bare object as ec-2024 rather than ec-v1.
    static let payloadTypes: Set<String> = mappablePayloadTypes.union(["PriceCurve", "UserEligibility"])

    /// The payload type a notification type implies, used when `payload.payloadType` is missing.
    static let payloadTypeByNotificationType: [String: String] = [
        "PriceCurveCreated": "PriceCurve",
        "UserEligibilityUpdated": "UserEligibility",
        "LocationLPCRequested": "LocationLPC",
        "ResourceLPCRequested": "ResourceLPC",
        "LPCReservationCreated": "LPCReservation",
    ]

    /// `{notificationId, eventId, eventCreatedAtUtc, notificationSentUtc, notificationType, payload}`.
    static func decodeNotification(_ root: FieldReader) throws(DecodeError) -> CoordinationEvent {
        let notificationId = try root.required("notificationId").identifier()
        let eventId = try root.required("eventId").identifier()
        let notificationType = try root.required("notificationType").string()
        let createdAt = try root.optional("eventCreatedAtUtc")?.timestamp()
        let sentAt = try root.optional("notificationSentUtc")?.timestamp()
        let payload = try root.required("payload").object()
        var event = try decodePayload(payload, eventId: eventId,
                                      impliedPayloadType: payloadTypeByNotificationType[notificationType])
        event.notificationId = notificationId
        event.createdAt = createdAt
        event.sentAt = sentAt
        return event
    }

    /// `{id, createdAt, payload}` as `GET /events` returns it (no notification id, no notification type).
    static func decodeEventResource(_ root: FieldReader) throws(DecodeError) -> CoordinationEvent {
        let eventId = try root.required("id").identifier()
        let createdAt = try root.optional("createdAt")?.timestamp()
        let payload = try root.required("payload").object()
        var event = try decodePayload(payload, eventId: eventId, impliedPayloadType: nil)
        event.createdAt = createdAt
        return event
    }

    private static func decodePayload(_ payload: FieldReader, eventId: String,
                                      impliedPayloadType: String?) throws(DecodeError) -> CoordinationEvent {
        let payloadType = try payload.optional("payloadType")?.string() ?? impliedPayloadType ?? "Unknown"
        var event = CoordinationEvent(id: eventId, dialect: .ec2024, operation: .create,
                                      payloadType: payloadType,
                                      isMappable: mappablePayloadTypes.contains(payloadType))
        guard event.isMappable else { return event }
        let targets = try payload.required("targets").array()
        for target in targets {
            let (decoded, notes) = try decodeTarget(target, payloadType: payloadType)
            event.targets.append(decoded)
            event.notes += notes
        }
        return event
    }

    /// One `ResourceLPCTarget` / `LocationLPCTarget`: points of `maxPowerInKiloWatts` at a `resolution`.
    private static func decodeTarget(_ target: FieldReader,
                                     payloadType: String) throws(DecodeError) -> (EventTarget, [String]) {
        _ = try target.object()
        let resourceId = try target.optional("resourceId")?.identifier()
        let locationId = try target.optional("locationId")?.identifier()
        let meterPointId = try target.optional("meterPointId").map { (field) throws(DecodeError) in
            try meterPointText(field)
        }
        if payloadType == "ResourceLPC" && resourceId == nil {
            throw DecodeError.field(target.childPath("resourceId"), "missing (required for ResourceLPC)")
        }
        if resourceId == nil && locationId == nil && meterPointId == nil {
            throw target.fail("no resourceId, locationId or meterPointId")
        }
        let resolutionField = try target.required("resolution")
        let resolution = try resolutionField.finiteDuration()
        guard resolution > 0 else { throw resolutionField.fail("must be longer than zero") }

        let pointsField = try target.required("points")
        let pointFields = try pointsField.array()
        guard !pointFields.isEmpty else { throw pointsField.fail("must not be empty") }
        var points: [(time: Date, watts: Decimal, path: String)] = []
        points.reserveCapacity(pointFields.count)
        for point in pointFields {
            _ = try point.object()
            let watts = try point.required("maxPowerInKiloWatts").cap(times: 1000)
            let time = try point.required("timestamp").timestamp()
            points.append((time, watts, point.path))
        }
        // Stable sort by time (ties keep document order and are rejected below as overlapping).
        points = points.enumerated().sorted {
            $0.element.time == $1.element.time ? $0.offset < $1.offset : $0.element.time < $1.element.time
        }.map(\.element)

        let start = points[0].time
        var periods: [CapSchedule.Period] = []
        var notes: [String] = []
        var previousOffset: Int? = nil
        for point in points {
            guard let offset = EventTime.seconds(from: start, to: point.time) else {
                throw DecodeError.field(point.path, "timestamp out of range")
            }
            if let previousOffset {
                let step = offset - previousOffset
                if step < resolution {
                    throw DecodeError.field(point.path, "starts \(step) s after the previous point, "
                        + "less than the resolution (\(resolution) s): points overlap")
                }
                if step > resolution {
                    notes.append("\(target.path): no point from \(EventTime.text(addingSeconds(previousOffset + resolution, to: start))) "
                        + "to \(EventTime.text(point.time)); the previous cap is held until the next point")
                }
            }
            periods.append(CapSchedule.Period(offset: offset, cap: Cap(point.watts, .watts)))
            previousOffset = offset
        }
        let duration = (previousOffset ?? 0) + resolution
        let schedule = CapSchedule(start: .at(start), duration: duration, randomizeStart: 0, periods: periods)
        return (EventTarget(resourceId: resourceId, locationId: locationId, meterPointId: meterPointId,
                            schedule: schedule), notes)
    }

    /// Meter point ids are 18-digit strings; a sender writing it as a JSON number keeps its exact text.
    private static func meterPointText(_ field: FieldReader) throws(DecodeError) -> String {
        if case let .number(text) = field.value, !text.contains("."), !text.contains("e"),
           !text.contains("E"), !text.hasPrefix("-") {
            return text
        }
        return try field.identifier()
    }

    private static func addingSeconds(_ seconds: Int, to date: Date) -> Date {
        EventTime.canonical(date.addingTimeInterval(TimeInterval(seconds)))
    }
}
