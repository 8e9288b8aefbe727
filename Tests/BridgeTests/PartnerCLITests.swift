import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import Bridge

/// The `subscriptions`, `resources` and `events` verbs in-process against the stand-in.
@Suite(.serialized) struct PartnerCLITests {
    @Test func everyVerbNeedsTheSection() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        try harness.writeConfig(section: false)
        for verb in [["subscriptions", "list"], ["resources", "list"], ["events", "list"]] {
            let (status, _, errors) = harness.run(verb)
            #expect(status == 1)
            #expect(errors.contains("no 'energyCoordination' section"))
            #expect(errors.split(separator: "\n").count == 1)
        }
        #expect(harness.run(["subscriptions", "frobnicate"]).0 == 2)
    }

    @Test func subscriptionsWithAGeneratedSecret() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        try harness.writeConfig()
        #expect(harness.run(["subscriptions", "create", "--url", "https://bridge.example/hooks/ec"]).0 == 2)

        let (status, output, errors) = harness.run(["subscriptions", "create", "--url", "https://bridge.example/hooks/ec",
                                                    "--generate-secret", "--payload-types", "CurrentLevel"])
        #expect(status == 0, "\(errors)")
        #expect(output.contains("ECBRIDGE_WEBHOOK_SECRET"))
        #expect(output.contains(#""path": "/hooks/ec""#))
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("webhook secret") })
        let secret = String(try #require(line.split(separator: " ").last))
        #expect(secret.count == 43)
        let id = try #require(harness.simulator.registrationIds.first)

        let list = harness.run(["subscriptions", "list"])
        #expect(list.0 == 0 && list.1.contains(id) && list.1.contains("CurrentLevel"))
        #expect(!list.1.contains(secret))
        let json = harness.run(["subscriptions", "list", "--json"])
        #expect(try JSON.parse(json.1).arrayValue?.first?["hasSecret"] == .bool(true))
        #expect(!json.1.contains(secret))
        #expect(!harness.run(["subscriptions", "show", id]).1.contains(secret))

        let updated = harness.run(["subscriptions", "update", id, "--operations", "Create,Delete"])
        #expect(updated.0 == 0 && updated.1.contains("Create,Delete"))
        #expect(harness.run(["subscriptions", "update", id, "--notification-types", "ResourceLPCRequested"]).0 == 2)
        #expect(harness.run(["subscriptions", "test", id]).0 == 0)
        #expect(harness.run(["subscriptions", "delete", id]).1.contains("deleted subscription \(id)"))
        let missing = harness.run(["subscriptions", "show", id])
        #expect(missing.0 == 1 && missing.2.contains("HTTP 404"))

        let invalid = harness.run(["subscriptions", "create", "--url", "https://x.example/h", "--secret", "abc-secret",
                                   "--payload-types", "Nope"])
        #expect(invalid.0 == 1)
        #expect(invalid.2.contains("eventPayloadTypes[0]"))
        #expect(!invalid.2.contains("abc-secret"))
    }

    @Test func resources() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        try harness.writeConfig()
        #expect(harness.run(["resources", "create", "--id", "vehicle-1", "--vin", "V"]).0 == 2)
        let created = harness.run(["resources", "create", "--id", "vehicle-1", "--user-id", "u1", "--vin", "YV1XZK", "--brand", "Volvo",
                                   "--model", "EX30", "--year", "2024"])
        #expect(created.0 == 0, "\(created.2)")
        #expect(harness.run(["resources", "create", "--id", "vehicle-1", "--vin", "V", "--brand", "B", "--model", "M", "--year", "2020"]).0 == 1)
        let list = harness.run(["resources", "list"])
        #expect(list.1.contains("vehicle-1") && list.1.contains("Volvo") && list.1.contains("2024"))
        #expect(harness.run(["resources", "update", "vehicle-1", "--model", "EX90"]).0 == 0)
        let shown = try JSON.parse(harness.run(["resources", "show", "vehicle-1"]).1)
        #expect(shown["metadata"]?["model"] == .string("EX90"))
        #expect(shown["metadata"]?["brand"] == .string("Volvo"))
        #expect(harness.run(["resources", "delete", "vehicle-1"]).0 == 0)
        #expect(harness.run(["resources", "list"]).1.contains("no resources"))
    }

    @Test func eventsListAndShow() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        try harness.writeConfig()
        #expect(harness.run(["events", "list"]).1.contains("no events"))
        try harness.simulator.publish(PartnerSamples.v1Event("ev-1"))
        let list = harness.run(["events", "list"])
        #expect(list.0 == 0 && list.1.contains("ev-1") && list.1.contains("CurrentLevel") && list.1.contains("2026-03-03T16:00:00Z"))
        #expect(try JSON.parse(harness.run(["events", "list", "--json"]).1).arrayValue?.count == 1)
        #expect(try JSON.parse(harness.run(["events", "show", "ev-1"]).1)["id"] == .string("ev-1"))
        #expect(harness.run(["events", "show", "ev-9"]).0 == 1)
    }

    @Test func simulateVerbRejectsForeignOptions() {
        let capture = ConsoleCapture()
        #expect(ECBridgeCLI.run(["simulate", "oscp", "--lose-webhooks", "1"], console: capture.console()) == 2)
        #expect(ECBridgeCLI.run(["simulate", "energy-coordination", "--api-version", "2025"], console: capture.console()) == 2)
    }
}
