import BridgeStore
import EnergyCoordination
import Essentials
import Foundation
import SmartCharging
import Testing
@testable import Bridge

/// The planning worker over a real store: batches, failure isolation, and the decoded-event hand-over.
@Suite struct PlanningWorkerTests {
    static let target = #"[{"resourceId":"vehicle-1","channel":"solarnetwork-ocpp","nodeId":123,"chargePointId":5,"connectorId":1,"ocppVersion":"1.6","rateUnit":"A","phases":3,"voltage":230,"minCurrent":6,"maxCurrent":32}]"#

    final class Fixture {
        let directory = NSTemporaryDirectory() + "ecbridge-planning-" + UUID().uuidString
        let store: BridgeStore
        let cache = DecodedEventCache(capacity: 16)
        let worker: PlanningWorker

        init() throws {
            store = try BridgeStore.open(StoreOptions(path: directory + "/store.sqlite"))
            let registry = try TargetRegistry(json: try JSON.parse(PlanningWorkerTests.target))
            worker = PlanningWorker(store: store, planner: Planner(registry: registry),
                                    logger: Logger(level: .error, sink: .discard), metrics: Metrics(),
                                    eventCache: cache)
        }

        deinit {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// A row as stores written before the intake kept only the raw body have it: event JSON, no body.
        func admit(_ event: CoordinationEvent, key: String, eventJSON: String? = nil) throws -> Int64 {
            let record = InboxRecord(dedupeKey: key, eventId: event.id, dialect: event.dialect.rawValue,
                                     operation: event.operation?.rawValue, payloadType: event.payloadType,
                                     eventJSON: eventJSON ?? event.json.compactText, rawBody: [],
                                     receivedAt: Date(timeIntervalSince1970: 1_800_000_000))
            return try store.admitNow(record).id
        }

        /// A row as the intake writes it now: the raw body only.
        func admit(body: String, eventId: String, key: String) throws -> Int64 {
            let record = InboxRecord(dedupeKey: key, eventId: eventId, dialect: "ec-v1", operation: "Create",
                                     payloadType: "CurrentLevel", rawBody: Array(body.utf8),
                                     receivedAt: Date(timeIntervalSince1970: 1_800_000_000))
            return try store.admitNow(record).id
        }
    }

    /// An ec-v1 notification for `vehicle-1`, an hour from the rows' receive time, at `amps`.
    static func body(_ id: String, amps: Int) -> String {
        #"{"operationType":"Create","notificationId":"n-\#(id)","event":{"id":"\#(id)","#
            + #""targetResources":[{"resourceId":"vehicle-1"}],"#
            + #""intervalPeriod":{"start":"2027-01-15T09:00:00Z","duration":"01:00:00"},"#
            + #""payload":{"payloadType":"CurrentLevel","targetCurrent":\#(amps)}}}"#
    }

    func limit(of inbox: Int64, in fixture: Fixture) throws -> String {
        let delivery = try #require(try fixture.store.deliveries(limit: 10).first { $0.inboxId == inbox })
        return delivery.requestJSON
    }

    static func event(_ id: String, amps: Int = 10) -> CoordinationEvent {
        CoordinationEvent(id: id, dialect: .ecV1, operation: .create, payloadType: "CurrentLevel", isMappable: true,
                          targets: [EventTarget(resourceId: "vehicle-1", schedule: CapSchedule(
                              start: .at(Date(timeIntervalSince1970: 1_800_003_600)), duration: 3600,
                              periods: [.init(offset: 0, cap: Cap(Decimal(amps), .amps))]))])
    }

    @Test func plansEveryRowOfABatchAndMarksAnUnreadableOneFailed() throws {
        let fixture = try Fixture()
        var ids: [Int64] = []
        for index in 0..<130 { ids.append(try fixture.admit(Self.event("e\(index)"), key: "k\(index)")) }
        let broken = try fixture.admit(Self.event("bad"), key: "k-bad", eventJSON: "{not json")
        #expect(fixture.worker.planPending() == 131)
        #expect(try fixture.store.unplannedInbox(limit: 10).isEmpty)
        #expect(try fixture.store.inboxRow(id: ids[0])?.state == "planned")
        #expect(try fixture.store.inboxRow(id: ids[129])?.state == "planned")
        let failed = try #require(try fixture.store.inboxRow(id: broken))
        #expect(failed.state == "failed")
        #expect(failed.error?.hasPrefix("stored event cannot be read") == true)
        #expect(try fixture.store.deliveries(limit: 1000).count == 130)
    }

    @Test func rowsWithOnlyARawBodyAreDecodedFromIt() throws {
        let fixture = try Fixture()
        let fromBody = try fixture.admit(body: Self.body("e1", amps: 12), eventId: "e1", key: "k1")
        let broken = try fixture.admit(body: "{\"operationType\":", eventId: "e2", key: "k2")
        #expect(fixture.worker.planPending() == 2)
        #expect(try limit(of: fromBody, in: fixture).contains(#"\"limit\":12.0"#))
        let failed = try #require(try fixture.store.inboxRow(id: broken))
        #expect(failed.state == "failed")
        #expect(failed.error?.hasPrefix("stored event cannot be read") == true)
    }

    @Test func theIntakesDecodedEventIsUsedOnlyForTheRowItWasMadeFor() throws {
        let fixture = try Fixture()
        let used = try fixture.admit(body: Self.body("e1", amps: 10), eventId: "e1", key: "k1")
        let decoded = try fixture.admit(body: Self.body("e2", amps: 10), eventId: "e2", key: "k2")
        // Different events in the cache: where one is used, the plan says 16 A.
        fixture.cache.remember(inboxId: used, dedupeKey: "k1", event: Self.event("e1", amps: 16))
        fixture.cache.remember(inboxId: decoded, dedupeKey: "another key", event: Self.event("e2", amps: 16))
        fixture.worker.planPending()
        #expect(try limit(of: used, in: fixture).contains(#"\"limit\":16.0"#))
        #expect(try limit(of: decoded, in: fixture).contains(#"\"limit\":10.0"#))
        #expect(fixture.cache.count == 0)
    }
}
