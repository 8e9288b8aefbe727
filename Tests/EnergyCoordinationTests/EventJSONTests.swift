import Essentials
import Foundation
import Testing
@testable import EnergyCoordination

/// The normalised event's JSON form: stable layout, exact round trip.
struct EventJSONTests {
    @Test(arguments: SampleBodies.all.map(\.file))
    func roundTripIsExact(file: String) throws {
        let body = try #require(SampleBodies.all.first { $0.file == file }?.body)
        let event = try TestSupport.decode(body).event
        #expect(try CoordinationEvent(json: event.json) == event)
        // The intake's direct writer produces exactly the same text.
        #expect(event.compactJSONText == event.json.compactText)
        // Also through text, as the inbox stores it.
        let reparsed = try JSON.parse(event.json.compactText)
        #expect(try CoordinationEvent(json: reparsed) == event)
    }

    @Test func roundTripOfOtherShapes() throws {
        let now = CoordinationEvent(
            id: "x", dialect: .openADR3, operation: nil, payloadType: "IMPORT_CAPACITY_LIMIT", isMappable: true,
            targets: [EventTarget(meterPointId: "871685900000000001",
                                  schedule: CapSchedule(start: .now, duration: nil, randomizeStart: 60,
                                                        periods: [.init(offset: 0, cap: Cap(Decimal(string: "16.1") ?? 0, .amps))])),
                      EventTarget(resourceId: "r")],
            notes: ["a \"quoted\" note"])
        #expect(try CoordinationEvent(json: now.json) == now)
        #expect(now.compactJSONText == now.json.compactText)
    }

    @Test func theDirectWriterMatchesTheTreeForEveryOptionalShape() throws {
        let t = Date(timeIntervalSince1970: 1_772_553_600.125)
        let schedule = CapSchedule(start: .at(t), duration: 5400, randomizeStart: 30, periods: [
            .init(offset: 0, cap: Cap(Decimal(string: "16.10") ?? 0, .amps)),
            .init(offset: 900, cap: Cap(Decimal(string: "-0.5") ?? 0, .watts)),
        ])
        let events = [
            CoordinationEvent(id: "a\"b", notificationId: "n", dialect: .ec2024, operation: .update, payloadType: "P",
                              isMappable: false, name: "naïve \u{2028}", programId: "p", priority: 3,
                              createdAt: t, modifiedAt: t.addingTimeInterval(1), sentAt: t.addingTimeInterval(0.5),
                              targets: [EventTarget(resourceId: "r", locationId: "l", meterPointId: "m", schedule: schedule),
                                        EventTarget(locationId: "only"),
                                        EventTarget(meterPointId: "now", schedule: CapSchedule(
                                            start: .now, duration: 60, periods: [.init(offset: 0, cap: Cap(7, .watts))])),
                                        EventTarget(resourceId: "open", schedule: CapSchedule(
                                            start: .at(t), duration: nil, periods: []))],
                              notes: ["one", "two \"quoted\""]),
            CoordinationEvent(id: "", dialect: .ecV1, operation: nil, payloadType: "Unknown", isMappable: true,
                              targets: [], notes: []),
        ]
        for event in events {
            #expect(event.compactJSONText == event.json.compactText)
        }
    }

    @Test func layoutOfCurrentCreate() throws {
        let event = try TestSupport.decode(SampleBodies.ecV1CurrentCreate).event
        let schedule = #"{"start":"2026-03-03T16:00:00Z","duration":7200,"end":"2026-03-03T18:00:00Z","randomizeStart":0,"periods":[{"offset":0,"value":10,"unit":"A"}]}"#
        #expect(event.json.compactText == #"{"id":"3f0c9a52-7a1e-4c1b-9e55-1d2a6b7c8e90","notificationId":"7c0e5a2e-1d4b-4f8e-9a61-3f2b8c9d0e11","dialect":"ec-v1","operation":"Create","payloadType":"CurrentLevel","isMappable":true,"name":"Evening cap","programId":"prog-1","priority":0,"createdAt":"2026-03-03T12:00:00Z","modifiedAt":"2026-03-03T12:00:00Z","start":"2026-03-03T16:00:00Z","end":"2026-03-03T18:00:00Z","targets":[{"resourceId":"vehicle-1","locationId":"loc-7","schedule":\#(schedule)},{"resourceId":"vehicle-2","schedule":\#(schedule)}],"notes":[]}"#)
    }

    @Test func layoutOfDeleteAndLPC() throws {
        let delete = try TestSupport.decode(SampleBodies.ecV1CurrentDelete).event
        #expect(delete.json.compactText == #"{"id":"3f0c9a52-7a1e-4c1b-9e55-1d2a6b7c8e90","notificationId":"e2b7c9d1-5f3a-4c8e-9d0b-1a2b3c4d5e6f","dialect":"ec-v1","operation":"Delete","payloadType":"Unknown","isMappable":true,"start":null,"end":null,"targets":[],"notes":["Delete without payload: clears what was planned for the event"]}"#)
        let lpc = try TestSupport.decode(SampleBodies.ec2024LocationLpc).event.json
        #expect(lpc["sentAt"] == .string("2026-03-03T14:00:00.487Z"))
        #expect(lpc["start"] == .string("2026-03-03T17:00:00Z"))
        #expect(lpc["end"] == .string("2026-03-03T19:00:00Z"))
        #expect(lpc["targets"]?.arrayValue?.first?["schedule"]?["periods"]?.arrayValue?.last
                == .object([("offset", .number("3600")), ("value", .number("15500")), ("unit", .string("W"))]))
    }

    @Test func openEndedAndNowWindows() throws {
        let event = try TestSupport.decode(#"{"id":"e","targetResources":[{"resourceId":"v"}],"intervalPeriod":{"start":"0001-01-01T00:00:00Z","duration":"P9999Y"},"payload":{"payloadType":"CurrentLevel","targetCurrent":6}}"#).event
        #expect(event.json["start"] == .string("now"))
        #expect(event.json["end"] == .null)
        #expect(event.json["targets"]?.arrayValue?.first?["schedule"]?["duration"] == .null)
        #expect(try CoordinationEvent(json: event.json) == event)
        #expect(event.compactJSONText == event.json.compactText)
    }

    @Test func badEventJSONIsRefused() {
        func reason(_ text: String) -> String? {
            do {
                _ = try CoordinationEvent(json: try JSON.parse(text))
                return nil
            } catch let error as DecodeError {
                return error.reason
            } catch {
                return "parse"
            }
        }
        #expect(reason(#"{"id":"x","dialect":"ec-v9","payloadType":"A","isMappable":true}"#)
                == #"event.dialect: unknown dialect "ec-v9""#)
        #expect(reason(#"{"id":"x","dialect":"ec-v1","payloadType":"A"}"#) == "event.isMappable: missing")
        #expect(reason(#"{"id":"x","dialect":"ec-v1","payloadType":"A","isMappable":true,"targets":[{"schedule":{"start":"now","periods":[{"offset":0,"value":1,"unit":"kW"}]}}]}"#)
                == #"event.targets[0].schedule.periods[0].unit: unknown unit "kW""#)
    }
}
