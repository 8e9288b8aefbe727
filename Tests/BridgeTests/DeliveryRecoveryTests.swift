import BridgeStore
import Essentials
import Foundation
import SmartCharging
import SolarNetwork
import Synchronization
import Testing
@testable import Bridge

/// The delivery service driven pass by pass on the test thread, over an in-memory SolarNetwork: crash
/// recovery (a delivery left `sent` without an instruction id) and per-target ordering.
@Suite struct DeliveryRecoveryTests {
    /// An in-memory SolarUser instruction API behind a `DeliveryTransport`.
    final class MemorySolarNetwork: Sendable {
        struct Instruction: Sendable {
            var id: Int64
            var topic: String
            var parameters: [(String, String)]
            var state: String
        }

        let instructions = Mutex<[Instruction]>([])
        let adds = Mutex<[String]>([])

        func preload(_ id: Int64, topic: String, parameters: [(String, String)], state: String = "Queued") {
            instructions.withLock { $0.append(Instruction(id: id, topic: topic, parameters: parameters, state: state)) }
        }

        func complete(_ id: Int64) {
            instructions.withLock { list in
                for index in list.indices where list[index].id == id { list[index].state = "Completed" }
            }
        }

        static func json(_ i: Instruction) -> JSON {
            var entries: [JSON] = []
            for (name, value) in i.parameters {
                var rest = Substring(value)
                repeat {
                    entries.append(.members([("name", .string(name)), ("value", .string(String(rest.prefix(256))))]))
                    rest = rest.dropFirst(256)
                } while !rest.isEmpty
            }
            return .members([("id", .int(i.id)), ("nodeId", .int(123)), ("topic", .string(i.topic)), ("state", .string(i.state)),
                             ("parameters", .array(entries)),
                             ("resultParameters", i.state == "Completed" ? .members([("status", .string("Accepted"))]) : nil)])
        }

        var transport: DeliveryTransport {
            { method, url, _, body in
                func ok(_ data: JSON) -> OutboundHTTPClient.Response {
                    OutboundHTTPClient.Response(status: 200, headers: ["Content-Type": "application/json"],
                                                body: Array(JSON.members([("success", .bool(true)), ("data", data)]).compactText.utf8))
                }
                let path = url.path
                if method == "POST", let range = path.range(of: "/instr/add/") {
                    let parsed = try JSON.parse(body ?? [])
                    let parameters = (parsed["params"]?.objectValue ?? []).compactMap { name, value in value.stringValue.map { (name, $0) } }
                    let instruction = self.instructions.withLock { list -> Instruction in
                        let next = Instruction(id: (list.map(\.id).max() ?? 100) + 1, topic: String(path[range.upperBound...]),
                                               parameters: parameters, state: "Queued")
                        list.append(next)
                        return next
                    }
                    self.adds.withLock { $0.append(parameters.first(where: { $0.0 == "msg" })?.1 ?? "") }
                    return ok(Self.json(instruction))
                }
                if path.hasSuffix("/instr/view"), let id = url.query?.split(separator: "=").last.flatMap({ Int64($0) }),
                   let found = self.instructions.withLock({ $0.first { $0.id == id } }) {
                    return ok(Self.json(found))
                }
                if path.hasSuffix("/instr") {
                    return ok(.array(self.instructions.withLock { $0 }.map(Self.json)))
                }
                return OutboundHTTPClient.Response(status: 404, headers: [:], body: [])
            }
        }
    }

    final class Fixture: Sendable {
        let directory = NSTemporaryDirectory() + "ecbridge-recovery-" + UUID().uuidString
        let store: BridgeStore
        let service: DeliveryService
        let solar = MemorySolarNetwork()

        init() throws {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let configuration = try BridgeConfiguration(json: JSON.parse("""
                {"solarNetwork": {"baseUrl": "http://sn.test", "token": "t", "secret": "s"},
                 "delivery": {"baseDelay": 0.01, "maxDelay": 0.05, "trackerFirstPoll": 0.01, "trackerMaxPoll": 0.05}}
                """))
            store = try BridgeStore.open(StoreOptions(path: directory + "/store.sqlite"))
            service = try DeliveryService(configuration: configuration, store: store, registry: TargetRegistry([]),
                                          logger: Logger(sink: .discard), metrics: Metrics(),
                                          dependencies: DeliveryDependencies(jitter: JitterSource(seed: 1), transport: solar.transport))
        }

        /// Plans OCPP deliveries for one target (in order) and returns their ids.
        func plan(_ messages: [String]) throws -> [Int64] {
            let inbox = try store.admitNow(InboxRecord(dedupeKey: UUID().uuidString, eventId: "event-1", eventJSON: "{}"))
            let deliveries = messages.enumerated().map { index, msg in
                NewDelivery(targetKey: "resource:vehicle-1", channel: "solarnetwork-ocpp", operation: "Create",
                            idempotencyKey: "key-\(index)-\(msg.count)", requestJSON: Self.request(msg))
            }
            return try store.plan(inboxId: inbox.id, state: "planned", deliveries: deliveries)
        }

        static func request(_ msg: String) -> String {
            JSON.members([
                ("resourceId", .string("vehicle-1")), ("channel", .string("solarnetwork-ocpp")), ("method", .string("POST")),
                ("path", .string("/solaruser/api/v1/sec/instr/add/OCPP_v16")),
                ("body", .members([("nodeId", .int(123)), ("params", .members([
                    ("action", .string("SetChargingProfile")), ("chargePointId", .string("5")), ("msg", .string(msg)),
                ]))])),
                ("action", .string("SetChargingProfile")),
            ]).compactText
        }

        func close() {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// An OCPP message longer than 256 characters, so SolarNetwork shows it split in several `msg` entries.
    static let longMessage = "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":4201,\"stackLevel\":5,"
        + "\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":"
        + "{\"startSchedule\":\"2024-01-01T16:00:00Z\",\"duration\":7200,\"chargingRateUnit\":\"A\","
        + "\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":10.0},{\"startPeriod\":3600,\"limit\":16.0}]}}}"

    @Test func aCrashAfterSendingAdoptsTheInstructionInsteadOfPostingAgain() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let id = try #require(try fixture.plan([Self.longMessage]).first)
        // What the worker records before sending; then the process died with the request on the wire.
        try fixture.store.updateDelivery(deliveryId: id, newState: DeliveryState.sent, nextAttemptAt: Date().addingTimeInterval(-1),
                                         externalId: nil, lastError: nil, result: nil)
        fixture.solar.preload(4711, topic: "OCPP_v16", parameters: [("action", "SetChargingProfile"), ("chargePointId", "5"),
                                                                     ("msg", Self.longMessage)])
        #expect(fixture.service.trackDue() == 1)
        var row = try #require(try fixture.store.delivery(id: id))
        #expect(row.state == DeliveryState.sent)
        #expect(row.externalId == "4711")
        #expect(try fixture.store.attempts(deliveryId: id).map(\.outcome) == ["adopted"])
        #expect(fixture.solar.adds.withLock { $0 }.isEmpty)

        fixture.solar.complete(4711)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(fixture.service.trackDue() == 1)
        row = try #require(try fixture.store.delivery(id: id))
        #expect(row.state == DeliveryState.done)
    }

    @Test func aCrashBeforeTheRequestLeftPostsExactlyOnce() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let id = try #require(try fixture.plan([Self.longMessage]).first)
        try fixture.store.updateDelivery(deliveryId: id, newState: DeliveryState.sent, nextAttemptAt: Date().addingTimeInterval(-1),
                                         externalId: nil, lastError: nil, result: nil)
        // A different message for the same charger is not this delivery's instruction.
        fixture.solar.preload(4711, topic: "OCPP_v16", parameters: [("action", "SetChargingProfile"), ("chargePointId", "5"),
                                                                     ("msg", "{\"connectorId\":1}")])
        #expect(fixture.service.trackDue() == 1)
        let row = try #require(try fixture.store.delivery(id: id))
        #expect(row.state == DeliveryState.sent)
        #expect(row.externalId == "4712")
        #expect(fixture.solar.adds.withLock { $0 } == [Self.longMessage])
    }

    @Test func aTargetsNextDeliveryWaitsUntilTheEarlierOneIsFinal() throws {
        let fixture = try Fixture()
        defer { fixture.close() }
        let ids = try fixture.plan(["{\"first\":1}", "{\"second\":2}"])
        #expect(ids.count == 2)
        #expect(fixture.service.deliverDue() == 1) // only the first is handed out
        #expect(fixture.solar.adds.withLock { $0 } == ["{\"first\":1}"])
        #expect(fixture.service.deliverDue() == 0) // the first is `sent`, not final: the second waits
        #expect(try fixture.store.delivery(id: ids[1])?.state == DeliveryState.pending)

        let first = try #require(try fixture.store.delivery(id: ids[0])?.externalId.flatMap { Int64($0) })
        fixture.solar.complete(first)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(fixture.service.trackDue() == 1)
        #expect(try fixture.store.delivery(id: ids[0])?.state == DeliveryState.done)
        #expect(fixture.service.deliverDue() == 1)
        #expect(fixture.solar.adds.withLock { $0 } == ["{\"first\":1}", "{\"second\":2}"])
    }
}
