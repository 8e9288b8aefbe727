import Essentials
import Foundation
import Testing
@testable import EnergyCoordination

/// Dialect rules beyond the samples: spellings, tolerances, dedupe keys, OpenADR 3.
struct DialectRulesTests {
    typealias T = TestSupport

    // MARK: ec-v1

    @Test func v1SpellingsAndTypedTargets() throws {
        let decoded = try T.decode(#"{"ID":"e1","programID":"p","createdAt":"2026-01-01T00:00:00Z","modifiedAt":"2026-01-02T00:00:00+01:00","targets":[{"targetType":"location","values":["loc-7"]},{"targetType":"RESOURCE_NAME","values":["vehicle-1","vehicle-1"]},{"targetType":"group","values":["g"]},{"targetType":"meterPointId","values":["7070"]}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"1.00:00:00"},"payload":{"payloadType":"CurrentLevel","targetCurrent":16.5},"unknownField":{"x":1}}"#)
        let event = decoded.event
        #expect(event.id == "e1" && event.programId == "p" && event.operation == nil)
        #expect(event.modifiedAt == T.date("2026-01-01T23:00:00Z"))
        #expect(event.targets.map(\.label) == ["location loc-7", "resource vehicle-1", "meter point 7070"])
        #expect(event.targets.first?.schedule?.duration == 86_400)
        #expect(event.targets.first?.schedule?.periods == [.init(offset: 0, cap: Cap(Decimal(string: "16.5") ?? 0, .amps))])
        #expect(event.notes == [#"targets[2]: target type "group" is not a resource, location or meter point; skipped"#])
        #expect(decoded.dedupeKey == "event:e1@2026-01-01T23:00:00Z")
    }

    @Test func v1MissingDurationIsOpenEndedWithNote() throws {
        let event = try T.decode(#"{"operationType":"update","event":{"id":"e1","targetResources":[{"locationId":"loc-7"}],"intervalPeriod":{"start":"0001-01-01T00:00:00"},"payload":{"payloadType":"PowerLevel","targetPower":3680}}}"#).event
        #expect(event.operation == .update)
        #expect(event.targets == [EventTarget(locationId: "loc-7", schedule: CapSchedule(
            start: .now, duration: nil, periods: [.init(offset: 0, cap: Cap(3680, .watts))]))])
        #expect(event.notes == ["targetPower read as W (units.targetPower)",
                                "event.intervalPeriod.duration missing: window read as open-ended"])
    }

    @Test func v1UnknownPayloadIsStoredNotMapped() throws {
        let decoded = try T.decode(#"{"operationType":"Create","event":{"id":"e1","targetResources":[{"resourceId":"v"}],"payload":{"payloadType":"Unknown","targetCurrent":0}}}"#)
        #expect(decoded.event.isMappable == false)
        #expect(decoded.event.targets.isEmpty)
        #expect(decoded.dedupeKey == "body:\(T.fakeHash)")
    }

    @Test func v1TargetsNamedTwiceAreKeptOnceInFirstOrder() throws {
        let body = #"{"operationType":"Create","event":{"id":"e1","targetResources":[{"resourceId":"v1"},{"resourceId":"v2","locationId":"l"},{"resourceId":"v1"},{"resourceId":"v2"},{"resourceId":"v2","locationId":"l"}],"targets":[{"targetType":"vehicle","values":["v1","v3"]}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"PT1H"},"payload":{"payloadType":"CurrentLevel","targetCurrent":10}}}"#
        let event = try T.decode(body).event
        #expect(event.targets.map(\.resourceId) == ["v1", "v2", "v2", "v3"])
        #expect(event.targets.map(\.locationId) == [nil, "l", nil, nil])
        #expect(event.targets.allSatisfy { $0.schedule != nil })
    }

    @Test func theBodyHashIsAskedForOnlyWhenTheDedupeKeyNeedsIt() throws {
        var hashed = 0
        func digest() -> String {
            hashed += 1
            return T.fakeHash.uppercased()
        }
        let withId = try NotificationDecoder.decode(body: Array(SampleBodies.ecV1CurrentCreate.utf8), options: DecodeOptions(),
                                                    bodySHA256Hex: digest)
        #expect(withId.dedupeKey == "notification:7c0e5a2e-1d4b-4f8e-9a61-3f2b8c9d0e11")
        #expect(hashed == 0)
        let body = #"{"operationType":"Create","event":{"id":"e1","targetResources":[{"resourceId":"v"}],"payload":{"payloadType":"Unknown","targetCurrent":0}}}"#
        let withoutId = try NotificationDecoder.decode(body: Array(body.utf8), options: DecodeOptions(), bodySHA256Hex: digest)
        #expect(withoutId.dedupeKey == "body:\(T.fakeHash)")
        #expect(hashed == 1)
    }

    @Test func v1DeleteWithFullEventKeepsScheduleAndDistinctKey() throws {
        let body = SampleBodies.ecV1CurrentUpdate.replacingOccurrences(of: #""notificationId":"a41d6f0b-92c7-4e3a-b8d5-6e7f8091a2b3","#, with: "")
        let update = try T.decode(body)
        let delete = try T.decode(body.replacingOccurrences(of: #""operationType":"Update""#, with: #""operationType":"Delete""#))
        #expect(update.dedupeKey == "event:3f0c9a52-7a1e-4c1b-9e55-1d2a6b7c8e90@2026-03-03T12:30:00Z")
        #expect(delete.dedupeKey == "event:3f0c9a52-7a1e-4c1b-9e55-1d2a6b7c8e90@2026-03-03T12:30:00Z/Delete")
        #expect(delete.event.targets.count == 2)
    }

    // MARK: ec-2024

    @Test func lpcPointsAreSortedAndGapsHeldWithNote() throws {
        let event = try T.decode(#"{"notificationId":"n","eventId":"e","notificationType":"LPCReservationCreated","payload":{"targets":[{"locationId":"loc-7","meterPointId":707057500012345678,"resolution":"PT15M","points":[{"maxPowerInKiloWatts":5,"timestamp":"2026-03-03T18:00:00Z"},{"maxPowerInKiloWatts":1.25,"timestamp":"2026-03-03T17:00:00.0000004+00:00"},{"maxPowerInKiloWatts":2,"timestamp":"2026-03-03T19:15:00+01:00"}]}]}}"#).event
        #expect(event.payloadType == "LPCReservation" && event.isMappable)
        #expect(event.targets == [EventTarget(locationId: "loc-7", meterPointId: "707057500012345678", schedule: CapSchedule(
            start: .at(T.date("2026-03-03T17:00:00Z")), duration: 5400,
            periods: [.init(offset: 0, cap: Cap(1250, .watts)), .init(offset: 3600, cap: Cap(5000, .watts)),
                      .init(offset: 4500, cap: Cap(2000, .watts))]))])
        #expect(event.notes == ["payload.targets[0]: no point from 2026-03-03T17:15:00Z to 2026-03-03T18:00:00Z; the previous cap is held until the next point"])
    }

    @Test func eventResourceFromTheEventsAPI() throws {
        let decoded = try T.decode(#"{"id":"e9","createdAt":"2026-03-03T12:00:00Z","payload":{"payloadType":"ResourceLPC","targets":[{"resourceId":"vehicle-1","locationId":"loc-7","meterPointId":"1","resolution":"01:00:00","points":[{"maxPowerInKiloWatts":7,"timestamp":"2026-03-03T17:00:00Z"}]}]}}"#)
        #expect(decoded.event.dialect == .ec2024 && decoded.event.notificationId == nil)
        #expect(decoded.dedupeKey == "event:e9@2026-03-03T12:00:00Z")
        #expect(decoded.event.targets.first?.schedule?.duration == 3600)
    }

    @Test func unknownPayloadTypesAreAccepted() throws {
        let event = try T.decode(#"{"notificationId":"n","eventId":"e","notificationType":"SomethingNew","payload":{"payloadType":"FlexOffer","targets":"whatever"}}"#).event
        #expect(event.payloadType == "FlexOffer" && !event.isMappable && event.targets.isEmpty)
        let implied = try T.decode(#"{"notificationId":"n","eventId":"e","notificationType":"PriceCurveCreated","payload":{}}"#).event
        #expect(implied.payloadType == "PriceCurve")
    }

    // MARK: openadr3

    @Test func openADR3CapacityLimit() throws {
        let decoded = try T.decode(#"{"objectType":"EVENT","operation":"POST","object":{"objectType":"EVENT","id":"42","programID":"7","eventName":"dso-cap","priority":0,"modificationDateTime":"2024-01-01T12:00:00Z","targets":["vehicle-1",{"type":"POWER_SERVICE_LOCATION","values":["loc-7"]}],"payloadDescriptors":[{"objectType":"EVENT_PAYLOAD_DESCRIPTOR","payloadType":"IMPORT_CAPACITY_LIMIT","units":"KW"}],"intervalPeriod":{"start":"2024-01-01T16:00:00Z","duration":"PT1H","randomizeStart":"PT5M"},"intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[10.0]}]},{"id":1,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[8.5]}]},{"id":2,"intervalPeriod":{"start":"2024-01-01T19:00:00Z","duration":"PT30M"},"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[0]}]}]}}"#)
        let schedule = CapSchedule(start: .at(T.date("2024-01-01T16:00:00Z")), duration: 12_600, randomizeStart: 300,
                                   periods: [.init(offset: 0, cap: Cap(10_000, .watts)), .init(offset: 3600, cap: Cap(8500, .watts)),
                                             .init(offset: 10_800, cap: Cap(0, .watts))])
        #expect(decoded.event == CoordinationEvent(
            id: "42", dialect: .openADR3, operation: .create, payloadType: "IMPORT_CAPACITY_LIMIT", isMappable: true,
            name: "dso-cap", programId: "7", priority: 0, modifiedAt: T.date("2024-01-01T12:00:00Z"),
            targets: [EventTarget(resourceId: "vehicle-1", schedule: schedule), EventTarget(locationId: "loc-7", schedule: schedule)],
            notes: ["object.intervals[2]: gap before this interval; the previous cap is held"]))
        #expect(decoded.dedupeKey == "event:42@2024-01-01T12:00:00Z")
    }

    @Test func openADR3OtherObjectsAndCancellation() throws {
        let program = try T.decode(#"{"objectType":"PROGRAM","operation":"UPDATE","object":{"objectType":"PROGRAM","id":"7","programName":"p"}}"#).event
        #expect(program.payloadType == "PROGRAM" && !program.isMappable && program.operation == .update)
        let simple = try T.decode(#"{"objectType":"EVENT","operation":"CREATE","object":{"id":"43","intervals":[{"id":0,"payloads":[{"type":"SIMPLE","values":[1]}]}]}}"#).event
        #expect(simple.payloadType == "SIMPLE" && !simple.isMappable)
        let cancel = try T.decode(#"{"objectType":"EVENT","operation":"PUT","object":{"id":"44","targets":["vehicle-1"],"payloadDescriptors":[{"payloadType":"IMPORT_CAPACITY_LIMIT","units":"AMPS"}],"intervalPeriod":{"start":"0001-01-01","duration":"PT0S"},"intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[16]}]}]}}"#).event
        #expect(cancel.operation == .delete && cancel.targets == [EventTarget(resourceId: "vehicle-1")])
        let amps = try T.decode(#"{"objectType":"EVENT","operation":"DELETE","object":{"id":"45","targets":["vehicle-1"],"payloadDescriptors":[{"payloadType":"IMPORT_CAPACITY_LIMIT","units":"AMPS"}],"intervalPeriod":{"start":"0001-01-01T00:00:00Z","duration":"P9999Y"},"intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[16]}]}]}}"#).event
        #expect(amps.operation == .delete)
        #expect(amps.targets.first?.schedule == CapSchedule(start: .now, duration: nil, periods: [.init(offset: 0, cap: Cap(16, .amps))]))
    }
}
