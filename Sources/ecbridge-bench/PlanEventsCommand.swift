import Bridge
import EnergyCoordination
import Essentials
import Foundation
import SmartCharging

/// `ecbridge-bench plan-events`: the planning worker's per-event work (plan, outbox request JSON, plan
/// summary) over many distinct, seeded events against the two sample SolarNetwork targets.
///
/// Why a separate command: `fanout` plans one event over thousands of identical OCPP targets, while the
/// worker mostly plans one event over a few targets of different channels. The work is done in
/// `PlanEventsCommand.planAll` only, so `valgrind --tool=callgrind --toggle-collect='*planAll*'` counts
/// exactly the planning instructions; the output checksum shows that a change kept every byte.
enum PlanEventsCommand {
    static let usage = """
    usage: ecbridge-bench plan-events [--events 2000] [--seed 1] [--json]

    Decodes N seeded ec-v1 CurrentLevel/PowerLevel and ec-2024 ResourceLPC events (varied values, 1–4
    periods), then plans each against a solarnetwork-ocpp target (A, 3 phases, 230 V, 6–32 A) and a
    solarnetwork-oscp target (KW, 3 phases, 230 V) and writes the outbox request JSON and plan summary
    as the planning worker does. Reports counts and an FNV-1a checksum of every written byte.
    Count instructions with: valgrind --tool=callgrind --toggle-collect='*planAll*' …
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: ["events", "seed"])
        let count = max(1, try arguments.int("events", default: 2000))
        var rng = SeededRandom(seed: UInt64(truncatingIfNeeded: try arguments.int("seed", default: 1)))
        let targets = JSON.array([
            .members([("resourceId", .string("vehicle-1")), ("channel", .string("solarnetwork-ocpp")),
                      ("nodeId", .int(123)), ("chargePointId", .int(5)), ("connectorId", .int(1)),
                      ("ocppVersion", .string("1.6")), ("rateUnit", .string("A")), ("phases", .int(3)),
                      ("voltage", .int(230)), ("minCurrent", .int(6)), ("maxCurrent", .int(32))]),
            .members([("resourceId", .string("vehicle-2")), ("channel", .string("solarnetwork-oscp")),
                      ("nodeId", .int(123)), ("capacityOptimizerId", .int(1)), ("groupIdentifier", .string("foo-group")),
                      ("forecastType", .string("CONSUMPTION")), ("phase", .string("ALL")), ("unit", .string("KW")),
                      ("phases", .int(3)), ("voltage", .int(230)), ("defaultCapacity", .int(11))]),
        ])
        let planner = Planner(registry: try TargetRegistry(json: targets, path: "targets"))
        var events: [CoordinationEvent] = []
        events.reserveCapacity(count)
        for index in 0 ..< count {
            let body = Array(eventBody(index, &rng).utf8)
            var event = try NotificationDecoder.decode(body: body, bodySHA256Hex: "bench-\(index)",
                                                       options: DecodeOptions()).event
            if event.operation == nil { event.operation = .create }
            events.append(event)
        }
        guard let now = Timestamp.parse("2026-03-03T12:00:00Z") else { throw BenchError("bad fixed time") }

        let written = planAll(events, planner: planner, now: now)

        var checksum = StableHash()
        for text in written.texts { checksum.combine(text) }
        var report = BenchReport("plan-events: \(count) events → 2 SolarNetwork targets")
        report.add("events", count)
        report.add("deliveries", written.deliveries)
        report.add("skipped", written.skipped)
        report.add("bytes", written.texts.reduce(0) { $0 + $1.utf8.count })
        report.add("checksum", StableHash.hex(checksum.value))
        report.print(json: arguments.has("json"))
        return written.deliveries > 0 ? 0 : 1
    }

    /// The measured part: what `PlanningWorker.decide` does for each row after the event is read. Returns
    /// every idempotency key, request JSON and plan summary in order (checksummed outside the measurement).
    @inline(never)
    static func planAll(_ events: [CoordinationEvent], planner: Planner, now: Date) -> (texts: [String], deliveries: Int, skipped: Int) {
        var texts: [String] = []
        texts.reserveCapacity(events.count * 5)
        var deliveries = 0, skipped = 0
        for event in events {
            let plan = planner.plan(event, now: now)
            for delivery in plan.deliveries {
                texts.append(delivery.idempotencyKey)
                texts.append(DeliveryRequest.json(delivery).compactText)
            }
            texts.append(JSON.members([
                ("deliveries", .array(plan.deliveries.map { .members([
                    ("targetKey", .string($0.targetKey)), ("channel", .string($0.channel.rawValue)),
                    ("action", .string($0.action)), ("idempotencyKey", .string($0.idempotencyKey)),
                ]) })),
                ("skipped", .array(plan.skipped.map(\.json))),
            ]).compactText)
            deliveries += plan.deliveries.count
            skipped += plan.skipped.count
        }
        return (texts, deliveries, skipped)
    }

    /// A seeded number with 0–3 fraction digits in `0 ..< limit`.
    static func number(_ limit: UInt64, _ rng: inout SeededRandom) -> String {
        let digits = Int(rng.next() % 4)
        var scale: UInt64 = 1
        for _ in 0 ..< digits { scale *= 10 }
        let raw = rng.next() % (limit * scale)
        guard digits > 0 else { return String(raw) }
        let fraction = String(raw % scale)
        return "\(raw / scale)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    /// Event `index`: ec-v1 CurrentLevel, ec-v1 PowerLevel (W) or ec-2024 ResourceLPC with 1–4 points.
    static func eventBody(_ index: Int, _ rng: inout SeededRandom) -> String {
        let hour = 8 + index % 12
        let start = "2026-03-04T\(hour < 10 ? "0" : "")\(hour):00:00Z"
        switch index % 3 {
        case 0, 1:
            let payload = index % 3 == 0
                ? "{\"payloadType\":\"CurrentLevel\",\"targetCurrent\":\(number(40, &rng))}"
                : "{\"payloadType\":\"PowerLevel\",\"targetPower\":\(number(30_000, &rng))}"
            let operation = rng.next() % 4 == 0 ? "Update" : "Create"
            return """
                {"operationType":"\(operation)","notificationId":"bench-n-\(index)","event":{"id":"bench-e-\(index)",\
                "priority":\(rng.next() % 3),"targetResources":[{"resourceId":"vehicle-1","locationId":"loc-7"},\
                {"resourceId":"vehicle-2"}],"intervalPeriod":{"start":"\(start)","duration":"02:00:00"},\
                "payload":\(payload),"createdDateTime":"2026-03-03T12:00:00Z","modificationDateTime":"2026-03-03T12:00:00Z"}}
                """
        default:
            let points = (0 ..< Int(1 + rng.next() % 4)).map { point in
                let pointHour = hour + point
                return "{\"maxPowerInKiloWatts\":\(number(30, &rng)),\"timestamp\":\"2026-03-04T\(pointHour < 10 ? "0" : "")\(pointHour):00:00+00:00\"}"
            }.joined(separator: ",")
            let targets = ["vehicle-1", "vehicle-2"].map {
                "{\"locationId\":\"loc-7\",\"resourceId\":\"\($0)\",\"resolution\":\"01:00:00\",\"points\":[\(points)]}"
            }.joined(separator: ",")
            return """
                {"notificationId":"bench-n-\(index)","eventId":"bench-e-\(index)","eventCreatedAtUtc":"2026-03-03T12:00:00+00:00",\
                "notificationSentUtc":"2026-03-03T12:00:01+00:00","notificationType":"ResourceLPCRequested",\
                "payload":{"targets":[\(targets)],"payloadType":"ResourceLPC"}}
                """
        }
    }
}
