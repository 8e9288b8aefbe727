import BridgeStore
import Essentials
import Foundation
import Synchronization
import Testing
@testable import Bridge

/// `BridgeRuntime.start` owns its store exclusively (`StoreLock`) and, because of that, releases the
/// claims a killed predecessor left behind instead of waiting out their lease.
@Suite(.serialized) struct RuntimeStoreLockTests {
    static func configuration(_ directory: String) -> BridgeConfiguration {
        var configuration = BridgeConfiguration()
        configuration.listen.host = "127.0.0.1"
        configuration.listen.port = 0
        configuration.listen.eventLoops = 1
        configuration.listen.drainTimeout = 1
        configuration.store.path = directory + "/store.sqlite"
        return configuration
    }

    static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "ecbridge-lock-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aSecondRuntimeOnTheSameStoreIsRefusedUntilTheFirstStops() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = Self.configuration(directory)
        let first = try BridgeRuntime.start(configuration, logger: Logger(sink: .discard))

        let refusal = #expect(throws: StoreLockError.self) {
            try BridgeRuntime.start(configuration, logger: Logger(sink: .discard))
        }
        #expect(refusal?.description.hasPrefix("another ecbridge serve") == true)
        #expect(refusal?.description.hasSuffix("is using the store at \(configuration.store.path)") == true)
        // The refused runtime left the first one's store alone.
        #expect(first.store.isWritable)

        first.stop()
        let second = try BridgeRuntime.start(configuration, logger: Logger(sink: .discard))
        second.stop()
    }

    @Test func startUpReleasesTheClaimsOfAProcessThatDied() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = Self.configuration(directory)

        // A "previous process" claims (default 120 s lease) a pending delivery, a sent one (tracker) and a
        // report, and dies without ending the claims. Both deliveries are due only in 10 minutes, so the
        // new runtime's workers leave them alone (and without Energy Coordination credentials it has no
        // reporter).
        var options = StoreOptions(path: configuration.store.path)
        options.claimLeaseSeconds = 120
        let previous = try BridgeStore.open(options)
        let now = Date()
        let later = now.addingTimeInterval(600)
        let inbox = try previous.admitNow(InboxRecord(
            dedupeKey: "n1", eventId: "e1", notificationId: nil, dialect: "ec-v1", operation: "Create",
            payloadType: "CurrentLevel", state: InboxState.received, eventJSON: "{}", rawBody: Array("{}".utf8),
            headersJSON: "{}", webhookPath: "/notify", receivedAt: now)).id
        let ids = try previous.plan(inboxId: inbox, state: InboxState.planned, deliveries: [
            NewDelivery(targetKey: "oscp:a", channel: "oscp", idempotencyKey: "d1", requestJSON: "{}", notBefore: later),
            NewDelivery(targetKey: "oscp:b", channel: "oscp", idempotencyKey: "d2", requestJSON: "{}", notBefore: later),
        ], now: now)
        try previous.updateDelivery(deliveryId: ids[1], newState: DeliveryState.sent, nextAttemptAt: later,
                                    externalId: nil, lastError: nil, result: nil, now: now)
        #expect(try previous.claimDueDeliveries(now: later, limit: 10).map(\.id) == [ids[0]])
        #expect(try previous.claimDueDeliveries(now: later, limit: 10, state: DeliveryState.sent).map(\.id) == [ids[1]])
        let reportId = try previous.enqueueReport(NewReport(eventId: "e1", idempotencyKey: "r1", requestJSON: "{}"),
                                                  now: now)
        #expect(try previous.claimDueReports(now: now, limit: 10).map(\.id) == [reportId])
        let before = try ids.map { id in try #require(try previous.delivery(id: id)) }
        previous.close()

        let lines = LockTestLines()
        let runtime = try BridgeRuntime.start(configuration, logger: Logger(level: .info, sink: Logger.Sink { lines.append($0) }))
        defer { runtime.stop() }
        for original in before {
            var expected = original
            expected.claimedUntil = nil
            #expect(try runtime.store.delivery(id: original.id) == expected)
        }
        #expect(try runtime.store.report(id: reportId)?.claimedUntil == nil)
        let logged = lines.lines.filter { $0.contains("released stale claims of a previous process") }
        #expect(logged.count == 1)
        #expect(logged.first?.contains("\"deliveries\":2") == true)
        #expect(logged.first?.contains("\"reports\":1") == true)
    }
}

/// Log lines captured from a runtime.
private final class LockTestLines: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}
