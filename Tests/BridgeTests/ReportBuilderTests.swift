import EnergyCoordination
import Essentials
import Foundation
import SmartCharging
import Testing
@testable import Bridge

@Suite struct ReportBuilderTests {
    static let schedule = CapSchedule(start: .now, duration: 3600, periods: [.init(offset: 0, cap: Cap(10, .amps))])

    static func v1Event() -> CoordinationEvent {
        CoordinationEvent(id: "ev-1", dialect: .ecV1, operation: .create, payloadType: "CurrentLevel", isMappable: true,
                          name: "Evening cap", targets: [EventTarget(resourceId: "vehicle-1", schedule: schedule),
                                                         EventTarget(resourceId: "vehicle-2", schedule: schedule),
                                                         EventTarget(resourceId: "vehicle-3", schedule: schedule)])
    }

    @Test func vehicleActionsPerVehicle() throws {
        let outcomes = [
            ReportBuilder.Outcome(identifierKey: "resourceId", identifier: "vehicle-1", succeeded: true, current: 10, power: 6900),
            ReportBuilder.Outcome(identifierKey: "resourceId", identifier: "vehicle-2", succeeded: true, current: 0, power: 0),
            ReportBuilder.Outcome(identifierKey: "resourceId", identifier: "vehicle-3", succeeded: false, current: 10, power: 6900),
        ]
        let report = try #require(ReportBuilder.report(event: Self.v1Event(), operation: .create, outcomes: outcomes, skipped: []) { target in
            target.resourceId == "vehicle-1" ? GeoLocation(latitude: Decimal(string: "63.43") ?? 0, longitude: Decimal(string: "10.39") ?? 0) : nil
        })
        #expect(report.compactText == """
        {"eventId":"ev-1","name":"Evening cap","payloads":[\
        {"payloadType":"VehicleChargeAction","resourceId":"vehicle-1","location":{"latitude":63.43,"longitude":10.39},"actionType":"Start","current":10,"power":6900},\
        {"payloadType":"VehicleChargeAction","resourceId":"vehicle-2","actionType":"Stop"},\
        {"payloadType":"VehicleChargeAction","resourceId":"vehicle-3","actionType":"Unknown"}]}
        """)
    }

    @Test func aDeletedEventIsNotReported() {
        let outcomes = [ReportBuilder.Outcome(identifierKey: "resourceId", identifier: "vehicle-1", succeeded: true, current: nil, power: nil)]
        #expect(ReportBuilder.report(event: Self.v1Event(), operation: .delete, outcomes: outcomes, skipped: []) { _ in nil } == nil)
    }

    @Test func lpcAcknowledgementDeclinesFailedAndSkippedTargets() throws {
        let event = CoordinationEvent(id: "ev-2", dialect: .ec2024, operation: .create, payloadType: "ResourceLPC", isMappable: true, targets: [
            EventTarget(resourceId: "vehicle-1", locationId: "loc-7", meterPointId: "m1", schedule: Self.schedule),
            EventTarget(resourceId: "vehicle-9", locationId: "loc-9", meterPointId: "m9", schedule: Self.schedule),
        ])
        let outcomes = [ReportBuilder.Outcome(identifierKey: "resourceId", identifier: "vehicle-1", succeeded: true, current: 10, power: 6900)]
        let report = try #require(ReportBuilder.report(event: event, operation: .create, outcomes: outcomes,
                                                       skipped: [event.targets[1]]) { _ in nil })
        #expect(report.compactText == """
        {"eventId":"ev-2","payloads":[{"payloadType":"ResourceLPCAcknowledgement",\
        "acknowledgedTargets":[{"locationId":"loc-7","meterPointId":"m1","resourceId":"vehicle-1"}],\
        "declinedTargets":[{"locationId":"loc-9","meterPointId":"m9","resourceId":"vehicle-9"}]}]}
        """)
    }

    @Test func unmappedEventsAreNotReported() {
        let event = CoordinationEvent(id: "p", dialect: .ec2024, operation: .create, payloadType: "PriceCurve", isMappable: false)
        #expect(ReportBuilder.report(event: event, operation: .create, outcomes: [], skipped: []) { _ in nil } == nil)
    }

    @Test func outcomeReadsTheOutboxRequest() throws {
        let request = try JSON.parse(#"{"resourceId":"vehicle-1","channel":"solarnetwork-ocpp","applied":{"current":15.9,"power":10971}}"#)
        let outcome = try #require(ReportBuilder.Outcome(requestJSON: request, state: "done"))
        #expect(outcome == ReportBuilder.Outcome(identifierKey: "resourceId", identifier: "vehicle-1", succeeded: true,
                                                 current: Decimal(string: "15.9"), power: 10971))
    }
}
