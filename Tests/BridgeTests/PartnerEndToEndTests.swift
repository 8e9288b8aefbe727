import BridgeStore
import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import Bridge

/// A subscription created with the CLI receives signed events from the stand-in into a running
/// BridgeRuntime; a webhook the stand-in "lost" is recovered by `events sync`, exactly once.
@Suite(.serialized) struct PartnerEndToEndTests {
    static func start(_ harness: PartnerHarness, syncInterval: Double = 0) throws -> BridgeRuntime {
        try harness.writeConfig(syncInterval: syncInterval)
        return try BridgeRuntime.start(try harness.configuration(), logger: Logger(sink: .discard))
    }

    static func rows(_ runtime: BridgeRuntime, _ eventId: String) throws -> [InboxRow] {
        try runtime.store.inboxRows(eventId: eventId)
    }

    @Test func v1WebhooksArriveAndALostOneIsRecoveredBySync() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        let runtime = try Self.start(harness)
        defer { runtime.stop() }
        let url = "http://127.0.0.1:\(runtime.port)\(PartnerHarness.webhookPath)"

        let created = harness.run(["subscriptions", "create", "--url", url, "--secret", PartnerHarness.webhookSecret,
                                   "--payload-types", "CurrentLevel,PowerLevel", "--operations", "Create,Update,Delete"])
        #expect(created.0 == 0, "\(created.2)")
        #expect(!created.1.contains(PartnerHarness.webhookSecret))

        // Delivered and signed: the runtime verifies the signature and stores it.
        try harness.simulator.publish(PartnerSamples.v1Event("ev-1"))
        #expect(harness.simulator.waitForWebhooks())
        #expect(harness.simulator.notifications.map(\.attempts) == [[200]])
        let first = try Self.rows(runtime, "ev-1")
        #expect(first.count == 1)
        #expect(first.first?.operation == "Create")
        #expect(first.first?.notificationId != nil)

        // Lost: never sent, so the inbox does not have it …
        harness.simulator.loseNextWebhooks(1)
        try harness.simulator.publish(PartnerSamples.v1Event("ev-2"))
        #expect(harness.simulator.waitForWebhooks())
        #expect(harness.simulator.notifications.last?.lost == true)
        #expect(try Self.rows(runtime, "ev-2").isEmpty)

        // … until `events sync` fetches it. ev-1 is known (by event id, though its row is keyed by notification).
        let sync = harness.run(["events", "sync", "--json"])
        #expect(sync.0 == 0, "\(sync.2)")
        let outcome = try JSON.parse(sync.1)
        #expect(outcome["admitted"] == .array([.string("ev-2")]))
        #expect(outcome["known"] == .array([.string("ev-1")]))
        let recovered = try Self.rows(runtime, "ev-2")
        #expect(recovered.count == 1)
        #expect(recovered.first?.headersJSON == #"{"source":"sync"}"#)
        #expect(recovered.first?.operation == "Create")

        // A second sync changes nothing: exactly once.
        let again = harness.run(["events", "sync"])
        #expect(again.0 == 0)
        #expect(again.1.contains("0 new, 2 already in the inbox"))
        #expect(try Self.rows(runtime, "ev-2").count == 1)
        #expect(try Self.rows(runtime, "ev-1").count == 1)

        // A modified event whose Update webhook was lost comes back as an Update.
        harness.simulator.loseNextWebhooks(1)
        try harness.simulator.publish(PartnerSamples.v1Event("ev-1", current: 8, modified: "2026-03-03T13:00:00Z"))
        #expect(harness.simulator.waitForWebhooks())
        let update = harness.run(["events", "sync", "--json"])
        #expect(try JSON.parse(update.1)["admitted"] == .array([.string("ev-1")]))
        #expect(try Self.rows(runtime, "ev-1").map(\.operation) == ["Create", "Update"])
    }

    @Test func aWrongSecretIsRetriedThreeTimesThenDropped() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        let runtime = try Self.start(harness)
        defer { runtime.stop() }
        let url = "http://127.0.0.1:\(runtime.port)\(PartnerHarness.webhookPath)"
        #expect(harness.run(["subscriptions", "create", "--url", url, "--secret", "not-the-configured-one"]).0 == 0)
        try harness.simulator.publish(PartnerSamples.v1Event("ev-x"))
        #expect(harness.simulator.waitForWebhooks())
        let notification = try #require(harness.simulator.notifications.first)
        #expect(notification.attempts == [401, 401, 401, 401])
        #expect(notification.abandoned && !notification.delivered)
        #expect(try Self.rows(runtime, "ev-x").isEmpty)
        // Still fetchable, so reconciliation recovers it.
        #expect(harness.run(["events", "sync"]).0 == 0)
        #expect(try Self.rows(runtime, "ev-x").count == 1)
    }

    @Test func the2024ApiWithThePeriodicWorker() throws {
        let harness = try PartnerHarness(apiVersion: .v2024)
        defer { harness.stop() }
        let runtime = try Self.start(harness, syncInterval: 3600)
        defer { runtime.stop() }
        // The periodic worker syncs once at start; let that pass finish first, or under load it could run
        // after the publishes below and recover the lost webhook before the test looks.
        let deadline = Date().addingTimeInterval(10)
        while !runtime.metrics.render().contains("ecbridge_partner_syncs_total{") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let url = "http://127.0.0.1:\(runtime.port)\(PartnerHarness.webhookPath)"
        let created = harness.run(["subscriptions", "create", "--url", url, "--secret", PartnerHarness.webhookSecret,
                                   "--notification-types", "ResourceLPCRequested", "--name", "ecbridge", "--json"])
        #expect(created.0 == 0, "\(created.2)")
        #expect(try JSON.parse(created.1)["subscription"]?["hasSecret"] == .bool(false))

        try harness.simulator.publish(PartnerSamples.resourceLPC("lpc-1"))
        harness.simulator.loseNextWebhooks(1)
        try harness.simulator.publish(PartnerSamples.resourceLPC("lpc-2"))
        #expect(harness.simulator.waitForWebhooks())
        #expect(try Self.rows(runtime, "lpc-1").count == 1)
        #expect(try Self.rows(runtime, "lpc-2").isEmpty)

        let outcome = try #require(runtime.syncPartnerEventsNow())
        #expect(outcome.fetched == 2)
        #expect(try Self.rows(runtime, "lpc-2").count == 1)
        #expect(try Self.rows(runtime, "lpc-2").first?.dialect == "ec-2024")
        _ = runtime.syncPartnerEventsNow()
        #expect(try Self.rows(runtime, "lpc-2").count == 1)
        #expect(try Self.rows(runtime, "lpc-1").count == 1)
    }
}
