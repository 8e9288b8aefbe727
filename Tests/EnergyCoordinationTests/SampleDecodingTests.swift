import Essentials
import Foundation
import Testing
@testable import EnergyCoordination

/// Every file in samples/events decodes to exactly the expected normalised event.
struct SampleDecodingTests {
    typealias T = TestSupport
    static let eveningCapId = "3f0c9a52-7a1e-4c1b-9e55-1d2a6b7c8e90"

    static func oneLevel(_ start: String, _ duration: Int?, _ cap: Cap, randomize: Int = 0) -> CapSchedule {
        CapSchedule(start: .at(T.date(start)), duration: duration, randomizeStart: randomize,
                    periods: [CapSchedule.Period(offset: 0, cap: cap)])
    }

    static func eveningCap(_ amps: Decimal) -> [EventTarget] {
        let schedule = oneLevel("2026-03-03T16:00:00Z", 7200, Cap(amps, .amps))
        return [EventTarget(resourceId: "vehicle-1", locationId: "loc-7", schedule: schedule),
                EventTarget(resourceId: "vehicle-2", schedule: schedule)]
    }

    /// File name → expected event and dedupe key.
    static let expected: [String: (CoordinationEvent, String)] = [
        "ec-v1-current-create.json": (CoordinationEvent(
            id: eveningCapId, notificationId: "7c0e5a2e-1d4b-4f8e-9a61-3f2b8c9d0e11", dialect: .ecV1,
            operation: .create, payloadType: "CurrentLevel", isMappable: true, name: "Evening cap",
            programId: "prog-1", priority: 0, createdAt: T.date("2026-03-03T12:00:00Z"),
            modifiedAt: T.date("2026-03-03T12:00:00Z"), targets: eveningCap(10)),
            "notification:7c0e5a2e-1d4b-4f8e-9a61-3f2b8c9d0e11"),
        "ec-v1-current-update.json": (CoordinationEvent(
            id: eveningCapId, notificationId: "a41d6f0b-92c7-4e3a-b8d5-6e7f8091a2b3", dialect: .ecV1,
            operation: .update, payloadType: "CurrentLevel", isMappable: true, name: "Evening cap",
            programId: "prog-1", priority: 0, createdAt: T.date("2026-03-03T12:00:00Z"),
            modifiedAt: T.date("2026-03-03T12:30:00Z"), targets: eveningCap(8)),
            "notification:a41d6f0b-92c7-4e3a-b8d5-6e7f8091a2b3"),
        "ec-v1-current-delete.json": (CoordinationEvent(
            id: eveningCapId, notificationId: "e2b7c9d1-5f3a-4c8e-9d0b-1a2b3c4d5e6f", dialect: .ecV1,
            operation: .delete, payloadType: "Unknown", isMappable: true,
            notes: ["Delete without payload: clears what was planned for the event"]),
            "notification:e2b7c9d1-5f3a-4c8e-9d0b-1a2b3c4d5e6f"),
        "ec-v1-power-create.json": (CoordinationEvent(
            id: "8d1e4f72-0b3c-4a5d-9e6f-7a8b9c0d1e2f", notificationId: "c5e8f1a3-6b2d-4d7f-a0c9-8e1f2a3b4c5d",
            dialect: .ecV1, operation: .create, payloadType: "PowerLevel", isMappable: true,
            name: "Afternoon power cap", programId: "prog-1", priority: 1,
            createdAt: T.date("2026-03-03T11:00:00Z"), modifiedAt: T.date("2026-03-03T11:00:00Z"),
            targets: [EventTarget(resourceId: "vehicle-1", locationId: "loc-7",
                                  schedule: oneLevel("2026-03-03T13:00:00Z", 3600, Cap(11000, .watts)))],
            notes: ["targetPower read as W (units.targetPower)"]),
            "notification:c5e8f1a3-6b2d-4d7f-a0c9-8e1f2a3b4c5d"),
        "ec-v1-bare-event.json": (CoordinationEvent(
            id: "41a7c3e9-2d5b-4f18-8c6a-9b0d1e2f3a4b", dialect: .ecV1, operation: nil,
            payloadType: "PowerLevel", isMappable: true, name: "Morning power cap", programId: "prog-2",
            priority: 2, createdAt: T.date("2026-03-03T20:00:00Z"), modifiedAt: T.date("2026-03-03T20:00:00Z"),
            targets: [EventTarget(resourceId: "vehicle-2",
                                  schedule: oneLevel("2026-03-04T06:00:00Z", 10800, Cap(7400, .watts), randomize: 300))],
            notes: ["targetPower read as W (units.targetPower)"]),
            "event:41a7c3e9-2d5b-4f18-8c6a-9b0d1e2f3a4b@2026-03-03T20:00:00Z"),
        "ec-2024-resource-lpc.json": (CoordinationEvent(
            id: "b8c9d0e1-f2a3-4b5c-8d6e-7f8091a2b3c4", notificationId: "0b6f3c1e-8a4d-4e2b-b5a7-9c1d2e3f4a5b",
            dialect: .ec2024, operation: .create, payloadType: "ResourceLPC", isMappable: true,
            createdAt: T.date("2026-03-03T12:00:00Z"), sentAt: T.date("2026-03-03T12:00:01.250Z"),
            targets: ["vehicle-1", "vehicle-9"].enumerated().map { index, resource in
                EventTarget(resourceId: resource, locationId: index == 0 ? "loc-7" : "loc-9",
                            meterPointId: index == 0 ? "707057500012345678" : "707057500087654321",
                            schedule: CapSchedule(start: .at(T.date("2026-03-03T17:00:00Z")), duration: 10800,
                                                  periods: [.init(offset: 0, cap: Cap(7400, .watts)),
                                                            .init(offset: 3600, cap: Cap(3700, .watts)),
                                                            .init(offset: 7200, cap: Cap(11000, .watts))]))
            }),
            "notification:0b6f3c1e-8a4d-4e2b-b5a7-9c1d2e3f4a5b"),
        "ec-2024-location-lpc.json": (CoordinationEvent(
            id: "d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70", notificationId: "5f2a8c4d-1e7b-4a9c-b3d6-0e1f2a3b4c5d",
            dialect: .ec2024, operation: .create, payloadType: "LocationLPC", isMappable: true,
            createdAt: T.date("2026-03-03T14:00:00Z"), sentAt: T.date("2026-03-03T14:00:00.487Z"),
            targets: [
                EventTarget(locationId: "loc-7", meterPointId: "707057500012345678",
                            schedule: CapSchedule(start: .at(T.date("2026-03-03T17:00:00Z")), duration: 7200,
                                                  periods: [.init(offset: 0, cap: Cap(22000, .watts)),
                                                            .init(offset: 3600, cap: Cap(15500, .watts))])),
                EventTarget(locationId: "loc-9", meterPointId: "707057500087654321",
                            schedule: CapSchedule(start: .at(T.date("2026-03-03T17:00:00Z")), duration: 3600,
                                                  periods: [.init(offset: 0, cap: Cap(40000, .watts)),
                                                            .init(offset: 1800, cap: Cap(32000, .watts))])),
            ]),
            "notification:5f2a8c4d-1e7b-4a9c-b3d6-0e1f2a3b4c5d"),
        "ec-2024-price-curve.json": (CoordinationEvent(
            id: "1cc9ea41-59a4-453e-8c3a-2385b900a0a9", notificationId: "18d91015-e25e-4078-b8a6-0bf0e9093f2f",
            dialect: .ec2024, operation: .create, payloadType: "PriceCurve", isMappable: false,
            createdAt: T.date("2000-01-01T00:00:00Z"), sentAt: T.date("2000-01-01T00:00:00Z")),
            "notification:18d91015-e25e-4078-b8a6-0bf0e9093f2f"),
        "ec-2024-user-eligibility.json": (CoordinationEvent(
            id: "ca05399b-c2d6-4dd6-b278-40a7e2061d42", notificationId: "b6a6bd4a-6d37-4c74-95d1-4eb7f27a9bdd",
            dialect: .ec2024, operation: .create, payloadType: "UserEligibility", isMappable: false,
            createdAt: T.date("2000-01-01T00:00:00Z"), sentAt: T.date("2000-01-01T00:00:00Z")),
            "notification:b6a6bd4a-6d37-4c74-95d1-4eb7f27a9bdd"),
    ]

    @Test(arguments: SampleBodies.all.map(\.file))
    func sampleDecodesToExpectedEvent(file: String) throws {
        let body = try #require(SampleBodies.all.first { $0.file == file }?.body)
        let (event, key) = try #require(Self.expected[file])
        // Decode the exact file bytes (with the trailing newline).
        let decoded = try T.decode(body + "\n")
        #expect(decoded.event == event)
        #expect(decoded.dedupeKey == key)
    }

    @Test func everySampleHasAnExpectation() {
        #expect(Set(SampleBodies.all.map(\.file)) == Set(Self.expected.keys))
    }

    @Test func officialUserEligibilityVectorDecodes() throws {
        let decoded = try T.decode(SampleBodies.sparkUserEligibilityVector + "\n")
        #expect(decoded.event == CoordinationEvent(
            id: "ca05399b-c2d6-4dd6-b278-40a7e2061d42", notificationId: "b6a6bd4a-6d37-4c74-95d1-4eb7f27a9bdd",
            dialect: .ec2024, operation: .create, payloadType: "UserEligibility", isMappable: false,
            createdAt: T.date("2000-01-01T00:00:00Z"), sentAt: T.date("2000-01-01T00:00:00Z")))
        #expect(decoded.dedupeKey == "notification:b6a6bd4a-6d37-4c74-95d1-4eb7f27a9bdd")
    }

    @Test func powerInKilowattsWhenConfigured() throws {
        let decoded = try T.decode(SampleBodies.ecV1PowerCreate, options: DecodeOptions(targetPowerUnit: .kilowatts))
        let cap = try #require(decoded.event.targets.first?.schedule?.periods.first?.cap)
        #expect(cap == Cap(11_000_000, .watts))
        #expect(decoded.event.notes == ["targetPower read as kW (units.targetPower), converted to W"])
    }

    @Test func dialectDetection() {
        #expect(NotificationDecoder.detectDialect((try? JSON.parse(SampleBodies.ecV1BareEvent)) ?? .null) == .ecV1)
        #expect(NotificationDecoder.detectDialect((try? JSON.parse(SampleBodies.ec2024ResourceLpc)) ?? .null) == .ec2024)
        #expect(NotificationDecoder.detectDialect(.array([])) == nil)
    }
}
