import BridgeStore
import EnergyCoordination
import Essentials
import Foundation
import SmartCharging
import WebhookAuth

/// `ecbridge-bench fanout`: one event naming N configured targets, planned in-process with the same
/// Planner the planning worker uses and written to the outbox in one `BridgeStore.plan` transaction.
enum FanoutCommand {
    static let usage = """
    usage: ecbridge-bench fanout [--targets 10000] [--json]

    Builds a registry of N solarnetwork-ocpp targets and one ec-v1 CurrentLevel event targeting them all;
    reports registry build, decode, planning and outbox insert times and the process's peak RSS.
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: ["targets"])
        let count = max(1, try arguments.int("targets", default: 10_000))
        let baselineRSS = ProcessProbe.current.residentKiB(peak: true) ?? 0

        var clock = MonotonicClock.now()
        func lap() -> Double {
            let now = MonotonicClock.now()
            defer { clock = now }
            return MonotonicClock.seconds(now - clock) * 1000
        }

        let targets: [JSON] = (0 ..< count).map { index in
            .members([("resourceId", .string("vehicle-\(index)")), ("channel", .string("solarnetwork-ocpp")),
                      ("nodeId", .int(100 + index / 1000)), ("chargePointId", .int(index)), ("connectorId", .int(1)),
                      ("ocppVersion", .string("1.6")), ("rateUnit", .string("A")), ("phases", .int(3)),
                      ("voltage", .int(230)), ("minCurrent", .int(6)), ("maxCurrent", .int(32))])
        }
        let registry = try TargetRegistry(json: .array(targets), path: "targets")
        let planner = Planner(registry: registry)
        let registryMs = lap()

        let resources = (0 ..< count).map { "{\"resourceId\":\"vehicle-\($0)\"}" }.joined(separator: ",")
        let body = Array("""
            {"operationType":"Create","notificationId":"fanout-\(count)","event":{"id":"fanout-event-\(count)",
             "targetResources":[\(resources)],"intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"02:00:00"},
             "payload":{"payloadType":"CurrentLevel","targetCurrent":10},"modificationDateTime":"2026-03-03T12:00:00Z"}}
            """.utf8)
        let digest = Hex.encode(SHA256.hash(body))
        let decoded = try NotificationDecoder.decode(body: body, bodySHA256Hex: digest, options: DecodeOptions())
        let decodeMs = lap()

        let now = Date()
        let plan = planner.plan(decoded.event, now: now)
        let planMs = lap()
        let deliveries = plan.deliveries.map { delivery in
            NewDelivery(eventId: decoded.event.id, targetKey: delivery.targetKey, channel: delivery.channel.rawValue,
                        operation: delivery.operation.rawValue, idempotencyKey: delivery.idempotencyKey,
                        requestJSON: delivery.json.compactText)
        }
        let serializeMs = lap()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ecbridge-bench-fanout-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try BridgeStore.open(StoreOptions(path: directory.appendingPathComponent("store.sqlite").path))
        defer { store.close() }
        let admission = try store.admitNow(InboxRecord(dedupeKey: decoded.dedupeKey, eventId: decoded.event.id,
                                                       notificationId: decoded.event.notificationId, dialect: "ec-v1",
                                                       operation: "Create", payloadType: "CurrentLevel",
                                                       rawBody: body))
        _ = lap()
        let ids = try store.plan(inboxId: admission.id, state: "planned", deliveries: deliveries)
        let insertMs = lap()

        var report = BenchReport("fanout: 1 event → \(count) targets")
        report.add("targets", count)
        report.add("deliveries", plan.deliveries.count)
        report.add("skipped", plan.skipped.count)
        report.add("outboxRows", ids.count)
        report.add("registryBuildMs", registryMs, digits: 1)
        report.add("decodeMs", decodeMs, digits: 1)
        report.add("planMs", planMs, digits: 1)
        report.add("requestJSONMs", serializeMs, digits: 1)
        report.add("outboxInsertMs", insertMs, digits: 1)
        report.add("planPlusInsertMs", planMs + serializeMs + insertMs, digits: 1)
        report.add("baselinePeakRSSMiB", Double(baselineRSS) / 1024, digits: 1)
        report.add("peakRSSMiB", Double(ProcessProbe.current.residentKiB(peak: true) ?? 0) / 1024, digits: 1)
        report.print(json: arguments.has("json"))
        return plan.deliveries.count == count && ids.count == count ? 0 : 1
    }
}
