import BridgeStore
import Essentials
import Foundation
import SmartCharging
import Testing
@testable import Bridge

/// The outbox end to end: sample events in through the webhook, out through fake SolarNetwork, OSCP and
/// GreenFlux peers, tracked to a final state.
@Suite(.serialized) struct DeliveryEndToEndTests {
    static func count(_ rows: [DeliveryRow], _ channel: DeliveryChannel, _ state: String = DeliveryState.done) -> Int {
        rows.filter { $0.channel == channel.rawValue && $0.state == state }.count
    }

    @Test func everySampleIsDeliveredOnceAndTrackedToDone() throws {
        let harness = try DeliveryHarness()
        defer { harness.stop() }
        try harness.replay(DeliveryHarness.allSamples)
        let rows = try harness.settled()

        for row in rows {
            #expect(row.state == DeliveryState.done || row.state == DeliveryState.superseded,
                    "delivery \(row.id) \(row.channel) ended \(row.state): \(row.lastError ?? "")")
        }
        for channel in DeliveryChannel.allCases { #expect(Self.count(rows, channel) > 0, "no \(channel) delivery done") }

        // Exactly one instruction per SolarNetwork delivery, and each delivery holds its own.
        let solarRows = rows.filter { DeliveryProcessor.isSolarNetwork($0.channel) && $0.state == DeliveryState.done }
        let fake = harness.solar.snapshot
        #expect(fake.instructions.count == solarRows.count)
        #expect(Set(solarRows.compactMap { $0.externalId.flatMap { Int64($0) } }) == Set(fake.instructions.map(\.id)))
        #expect(fake.badSignatures == 0)
        // Per-target order: no instruction was added while an earlier one for the same target was open.
        #expect(fake.addedWhileSameTargetActive == 0)
        #expect(fake.instructions.allSatisfy { $0.state == "Completed" })

        // OSCP: one request per delivery, each with its own stable X-Request-ID; GreenFlux: one PUT each.
        #expect(harness.oscp.requests.count == Self.count(rows, .oscp))
        #expect(Set(harness.oscp.requests.compactMap(\.requestId)).count == Self.count(rows, .oscp))
        #expect(harness.greenFlux.puts.withLock { $0 } == Self.count(rows, .greenFlux))
        #expect(!harness.greenFlux.scenarios.withLock { $0 }.isEmpty)

        for row in rows where row.state == DeliveryState.done {
            let attempts = try harness.store.attempts(deliveryId: row.id)
            #expect(attempts.count == 1, "delivery \(row.id) took \(attempts.count) attempts")
            #expect(attempts.first?.outcome == "ok")
            #expect(attempts.first?.httpStatus != nil)
        }
        let metrics = harness.runtime.metrics.render()
        #expect(metrics.contains("ecbridge_delivery_attempts_total{channel=\"solarnetwork-ocpp\",outcome=\"ok\"}"))
        #expect(metrics.contains("ecbridge_delivery_attempt_seconds_count{channel=\"greenflux\"}"))
    }

    @Test func thirtyPercentFailuresStillEndDoneWithinThePolicy() throws {
        let solar = FakeSolarNetwork(credentials: DeliveryHarness.solarCredentials, failureRate: 0.3, seed: 11)
        let oscp = FakeOSCPPeer(token: "sample-oscp-token", failureRate: 0.3, seed: 12)
        let greenFlux = FakeGreenFlux(token: "sample-greenflux-token", failureRate: 0.3, seed: 13)
        let delivery = DeliveryHarness.fastDelivery.replacingOccurrences(of: "\"maxAttempts\": 10", with: "\"maxAttempts\": 15")
        let harness = try DeliveryHarness(solar: solar, oscp: oscp, greenFlux: greenFlux, delivery: delivery, seed: 5)
        defer { harness.stop() }
        try harness.replay(DeliveryHarness.allSamples)
        let rows = try harness.settled(timeout: 60)

        for row in rows {
            #expect(row.state == DeliveryState.done || row.state == DeliveryState.superseded,
                    "delivery \(row.id) \(row.channel) ended \(row.state): \(row.lastError ?? "")")
            let attempts = try harness.store.attempts(deliveryId: row.id)
            #expect(attempts.count <= 15)
            // Every attempt before the last one was transient; only the last succeeded.
            #expect(attempts.dropLast().allSatisfy { $0.outcome == "transient" })
        }
        let solarRows = rows.filter { DeliveryProcessor.isSolarNetwork($0.channel) && $0.state == DeliveryState.done }
        let fake = solar.snapshot
        #expect(fake.failuresInjected > 0)
        #expect(fake.instructions.count == solarRows.count)
        #expect(fake.addedWhileSameTargetActive == 0)
        // The same X-Request-ID on every try of one OSCP delivery.
        #expect(Set(oscp.requests.compactMap(\.requestId)).count == Self.count(rows, .oscp))
    }

    @Test func unauthorizedFailsOnceWithAClearReasonAndRetryRequeues() throws {
        var behaviour = FakeSolarNetwork.Behaviour()
        behaviour.unauthorized = true
        let solar = FakeSolarNetwork(credentials: DeliveryHarness.solarCredentials, behaviour: behaviour)
        let harness = try DeliveryHarness(solar: solar)
        defer { harness.stop() }
        try harness.replay(["ec-v1-power-create.json"])
        let rows = try harness.settled()
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.state == DeliveryState.failed)
        #expect(row.lastError == "authentication failed (HTTP 401): Bad credentials")
        #expect(try harness.store.attempts(deliveryId: row.id).map(\.outcome) == ["permanent"])
        #expect(solar.snapshot.addRequests == 0 || solar.snapshot.instructions.isEmpty)

        // `outbox show` and `outbox list` read the same store while serve runs.
        let capture = ConsoleCapture()
        #expect(ECBridgeCLI.run(["outbox", "list", "--config", harness.configPath], console: capture.console()) == 0)
        #expect(capture.output.contains("failed"))
        let show = ConsoleCapture()
        #expect(ECBridgeCLI.run(["outbox", "show", String(row.id), "--config", harness.configPath], console: show.console()) == 0)
        let shown = try JSON.parse(show.output)
        #expect(shown["attempts"]?.arrayValue?.first?["httpStatus"]?.intValue == 401)
        #expect(shown["request"]?["path"]?.stringValue == "/solaruser/api/v1/sec/instr/add/OCPP_v16")
        // The inbox row keeps the raw body only; `inbox show` derives the normalised event from it.
        let inbox = try #require(try harness.store.inboxRow(id: row.inboxId))
        #expect(inbox.eventJSON == nil)
        let inboxShow = ConsoleCapture()
        #expect(ECBridgeCLI.run(["inbox", "show", String(row.inboxId), "--config", harness.configPath],
                                console: inboxShow.console()) == 0)
        let event = try #require(try JSON.parse(inboxShow.output)["event"])
        #expect(event["id"]?.stringValue == inbox.eventId)
        #expect(event["dialect"]?.stringValue == "ec-v1")
        #expect(event["targets"]?.arrayValue?.isEmpty == false)

        // Retry: a fresh attempt, failing the same way — no storm, one more request.
        let retry = ConsoleCapture()
        #expect(ECBridgeCLI.run(["outbox", "retry", String(row.id), "--config", harness.configPath], console: retry.console()) == 0)
        #expect(retry.output.contains("pending again"))
        let again = try harness.settled()
        #expect(again.first?.state == DeliveryState.failed)
        #expect(try harness.store.attempts(deliveryId: row.id).map(\.outcome) == ["permanent", "requeued", "permanent"])

        let refused = ConsoleCapture()
        let done = ECBridgeCLI.run(["outbox", "retry", "999", "--config", harness.configPath], console: refused.console())
        #expect(done == 1)
        #expect(refused.errors.contains("no delivery 999"))
    }

    @Test func retryAfterIsHonoured() throws {
        var behaviour = FakeSolarNetwork.Behaviour()
        behaviour.rateLimitedAdds = 1
        behaviour.retryAfter = "1"
        let solar = FakeSolarNetwork(credentials: DeliveryHarness.solarCredentials, behaviour: behaviour)
        let harness = try DeliveryHarness(solar: solar)
        defer { harness.stop() }
        try harness.replay(["ec-v1-power-create.json"])
        let row = try #require(try harness.settled().first)
        #expect(row.state == DeliveryState.done)
        let attempts = try harness.store.attempts(deliveryId: row.id)
        #expect(attempts.map(\.outcome) == ["transient", "ok"])
        #expect(attempts.first?.httpStatus == 429)
        if attempts.count == 2 {
            // baseDelay is 0.01 s: only the Retry-After can explain a second's wait.
            #expect(attempts[1].startedAt.timeIntervalSince(attempts[0].startedAt) >= 0.99)
        }
        #expect(solar.snapshot.instructions.count == 1)
        #expect(solar.snapshot.listRequests == 1) // the retry checked for an instruction first
    }

    @Test func rejectedAndDeclinedInstructionsFail() throws {
        var behaviour = FakeSolarNetwork.Behaviour()
        behaviour.ocppStatus = "Rejected"
        behaviour.oscpDeclineError = "Unknown group identifier"
        let solar = FakeSolarNetwork(credentials: DeliveryHarness.solarCredentials, behaviour: behaviour)
        let harness = try DeliveryHarness(solar: solar)
        defer { harness.stop() }
        try harness.replay(["ec-v1-current-create.json"])
        let rows = try harness.settled()
        let ocpp = try #require(rows.first { $0.channel == DeliveryChannel.solarNetworkOCPP.rawValue })
        let oscp = try #require(rows.first { $0.channel == DeliveryChannel.solarNetworkOSCP.rawValue })
        #expect(ocpp.state == DeliveryState.failed)
        #expect(ocpp.lastError?.hasSuffix("charger answered Rejected") == true)
        #expect(ocpp.resultJSON?.contains("\"Rejected\"") == true)
        #expect(oscp.state == DeliveryState.failed)
        #expect(oscp.lastError?.hasSuffix("instruction declined: Unknown group identifier") == true)
        #expect(solar.snapshot.instructions.count == 2)
    }

    @Test func aLostAnswerAdoptsTheStoredInstructionInsteadOfPostingAgain() throws {
        var behaviour = FakeSolarNetwork.Behaviour()
        behaviour.loseFirstAddAnswerFor = 2.5
        let solar = FakeSolarNetwork(credentials: DeliveryHarness.solarCredentials, behaviour: behaviour)
        let delivery = DeliveryHarness.fastDelivery.replacingOccurrences(of: "\"requestTimeout\": 2", with: "\"requestTimeout\": 1")
        let harness = try DeliveryHarness(solar: solar, delivery: delivery)
        defer { harness.stop() }
        try harness.replay(["ec-v1-power-create.json"])
        let row = try #require(try harness.settled().first)
        #expect(row.state == DeliveryState.done)
        let fake = solar.snapshot
        #expect(fake.addRequests == 1)
        #expect(fake.instructions.count == 1)
        #expect(row.externalId == fake.instructions.first.map { String($0.id) })
        // The first answer was lost (timeout); the retry found the stored instruction and adopted it.
        let outcomes = try harness.store.attempts(deliveryId: row.id).map(\.outcome)
        #expect(outcomes.first == "transient")
        #expect(outcomes.last == "adopted")
        #expect(!outcomes.contains("ok"))
    }
}
