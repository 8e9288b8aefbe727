import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import Bridge

/// The Energy Coordination client against the stand-in (real HTTP through OutboundHTTPClient).
@Suite(.serialized) struct PartnerClientTests {
    @Test func tokensAreCachedAndRefreshedOnceAfter401() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        try harness.writeConfig()
        let client = try harness.client()
        for _ in 0..<3 { _ = try client.listSubscriptions() }
        #expect(harness.simulator.tokenRequests == 1)
        harness.simulator.revokeTokens()
        _ = try client.listResources()
        #expect(harness.simulator.tokenRequests == 2)
        #expect(harness.simulator.requests.filter { $0.status == 401 }.count == 1)
    }

    @Test func wrongClientSecretIsATokenError() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        try harness.writeConfig(clientSecret: "wrong-secret-value")
        do {
            _ = try harness.client().listResources()
            Issue.record("expected an error")
        } catch let error as EnergyCoordinationError {
            #expect(error.kind == .token)
            #expect(error.problem?.title == "invalid_client")
            #expect(!error.description.contains("wrong-secret-value"))
        }
    }

    @Test func validationProblemsAreSurfaced() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        try harness.writeConfig()
        let client = try harness.client()
        do {
            _ = try client.createSubscription(SubscriptionDraft(url: "ftp://nowhere", secret: "abcd-secret",
                                                                eventPayloadTypes: ["Bogus"]))
            Issue.record("expected an error")
        } catch let error as EnergyCoordinationError {
            #expect(error.status == 400)
            #expect(error.problem?.title == "One or more validation errors occurred.")
            #expect(error.problem?.errors.map(\.field) == ["webhookUrl", "eventPayloadTypes[0]"])
            #expect(!error.description.contains("abcd-secret"))
        }
        do {
            _ = try client.subscription(id: "missing")
            Issue.record("expected an error")
        } catch let error as EnergyCoordinationError {
            #expect(error.isNotFound)
        }
    }

    @Test func v1SubscriptionsResourcesEventsAndReports() throws {
        let harness = try PartnerHarness()
        defer { harness.stop() }
        try harness.writeConfig()
        let client = try harness.client()
        let created = try client.createSubscription(SubscriptionDraft(url: "https://partner.example/hook", secret: "s-1",
                                                                      eventPayloadTypes: ["CurrentLevel"], operationTypes: ["Create"]))
        #expect(created.secret == "s-1")
        let updated = try client.updateSubscription(id: created.id, SubscriptionDraft(operationTypes: ["Create", "Delete"]))
        #expect(updated.operationTypes == ["Create", "Delete"])
        #expect(updated.eventPayloadTypes == ["CurrentLevel"])
        #expect(updated.url == "https://partner.example/hook")
        try client.deleteSubscription(id: created.id)
        #expect(try client.listSubscriptions().isEmpty)

        _ = try client.createResource(ResourceDraft(resourceId: "vehicle-1", userId: "u1", vin: "VIN1", brand: "Volvo",
                                                    model: "EX30", year: 2024))
        let changed = try client.updateResource(ResourceDraft(resourceId: "vehicle-1", model: "EX90"))
        #expect(changed.model == "EX90" && changed.brand == "Volvo" && changed.year == "2024")
        try client.deleteResource(id: "vehicle-1")
        #expect(try client.listResources().isEmpty)

        try harness.simulator.publish(PartnerSamples.v1Event("ev-1"))
        #expect(try client.allEvents().compactMap { EventPage.eventId(of: $0) } == ["ev-1"])
        #expect(try client.event(id: "ev-1")["name"] == .string("Evening cap"))

        let report = try JSON.parse(#"{"eventId":"ev-1","name":"Vehicle Started Charging","payloads":[{"payloadType":"VehicleChargeAction","resourceId":"vehicle-1","location":{"latitude":63.43,"longitude":10.39},"actionType":"Start","current":10,"power":6900}]}"#)
        let receipt = try client.postReport(report)
        #expect(receipt["eventId"] == .string("ev-1"))
        #expect(receipt["programId"] == .string("prog-1"))
        #expect(harness.simulator.reports == [report])

        let bad = try JSON.parse(#"{"eventId":"nope","payloads":[{"payloadType":"VehicleChargeAction","resourceId":"","location":{"latitude":95},"actionType":"Go"}]}"#)
        do {
            try client.postReport(bad)
            Issue.record("expected an error")
        } catch let error as EnergyCoordinationError {
            let fields = error.problem?.errors.map(\.field) ?? []
            #expect(fields.contains("eventId"))
            #expect(fields.contains("payloads[0].resourceId"))
            #expect(fields.contains("payloads[0].location.latitude"))
            #expect(fields.contains("payloads[0].location.longitude"))
            #expect(fields.contains("payloads[0].actionType"))
        }
        #expect(harness.simulator.reports.count == 1)
    }

    @Test func api2024WebhooksPagingAndAcknowledgements() throws {
        let harness = try PartnerHarness(apiVersion: .v2024)
        defer { harness.stop() }
        try harness.writeConfig()
        let base = try harness.client()
        let client = EnergyCoordinationClient(
            configuration: EnergyCoordinationClient.Configuration(baseURL: base.configuration.baseURL,
                                                                  credentials: base.configuration.credentials,
                                                                  apiVersion: .v2024, eventsPageSize: 2),
            transport: PartnerClientFactory.transport(OutboundHTTPClient(timeout: 10)))
        let hook = try client.createSubscription(SubscriptionDraft(url: "https://partner.example/hook", secret: "s-2", name: "main",
                                                                   notificationTypes: ["ResourceLPCRequested"]))
        #expect(hook.secret == nil && hook.enabled == true && hook.name == "main")
        #expect(harness.simulator.requests.last?.status == 201)
        let renamed = try client.updateSubscription(id: hook.id, SubscriptionDraft(name: "renamed"))
        #expect(renamed.name == "renamed" && renamed.notificationTypes == ["ResourceLPCRequested"])
        try client.setSubscriptionEnabled(id: hook.id, false)
        #expect(try client.subscription(id: hook.id).enabled == false)
        #expect(try client.listSubscriptions().count == 1)

        for index in 1...5 { try harness.simulator.publish(PartnerSamples.resourceLPC("lpc-\(index)")) }
        #expect(harness.simulator.notifications.isEmpty)  // the only webhook is disabled
        let first = try client.events(page: 1)
        #expect(first.events.count == 2 && first.nextPage == 2 && first.totalPages == 3)
        #expect(try client.allEvents().compactMap { EventPage.eventId(of: $0) } == (1...5).map { "lpc-\($0)" })

        let ack = try JSON.parse(#"{"eventId":"lpc-1","payloads":[{"payloadType":"ResourceLPCAcknowledgement","acknowledgedTargets":[{"locationId":"loc-7","meterPointId":"707057500012345678","resourceId":"vehicle-1"}],"declinedTargets":[]}]}"#)
        #expect(try client.postReport(ack)["createdAt"] != nil)
        let badAck = try JSON.parse(#"{"eventId":"lpc-1","payloads":[{"payloadType":"ResourceLPCAcknowledgement","acknowledgedTargets":[{"locationId":"loc-7"}]}]}"#)
        #expect(throws: EnergyCoordinationError.self) { try client.postReport(badAck) }
    }
}
