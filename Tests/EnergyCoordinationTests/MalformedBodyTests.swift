import Testing
@testable import EnergyCoordination

/// Bodies that must be refused with a reason naming the field (the 400 problem+json detail).
struct MalformedBodyTests {
    static let v1Event = #""id":"e1","targetResources":[{"resourceId":"vehicle-1"}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"02:00:00"}"#
    static func v1(_ payload: String, window: String? = nil) -> String {
        let event = window.map { #""id":"e1","targetResources":[{"resourceId":"vehicle-1"}],"intervalPeriod":\#($0)"# } ?? v1Event
        return #"{"operationType":"Create","event":{\#(event),"payload":\#(payload)}}"#
    }
    static func lpc(_ target: String, type: String = "ResourceLPC") -> String {
        #"{"notificationId":"n1","eventId":"e1","notificationType":"ResourceLPCRequested","payload":{"payloadType":"\#(type)","targets":[\#(target)]}}"#
    }
    static let goodPoints = #""points":[{"maxPowerInKiloWatts":7.4,"timestamp":"2026-03-03T17:00:00+00:00"}]"#

    /// (body, expected reason)
    static let table: [(String, String)] = [
        ("", "body is not valid JSON (unexpected end of input at byte 0)"),
        ("[]", "not a recognised Energy Coordination notification (expected a JSON object, got array)"),
        ("42", "not a recognised Energy Coordination notification (expected a JSON object, got number)"),
        ("{}", "not a recognised Energy Coordination notification"),
        (#"{"hello":"world"}"#, "not a recognised Energy Coordination notification"),
        // ec-v1
        (#"{"operationType":"Create"}"#, "event: missing"),
        (#"{"operationType":"Create","event":[]}"#, "event: expected an object, got array"),
        (#"{"operationType":"Upsert","event":{"id":"e1"}}"#, #"operationType: expected Create, Update or Delete, got "Upsert""#),
        (#"{"operationType":"Create","event":{"payload":{}}}"#, "event.id: missing"),
        (#"{"operationType":"Create","event":{"id":""}}"#, "event.id: must not be empty"),
        (#"{"operationType":"Create","event":{"id":7}}"#, "event.id: expected a string, got number"),
        (#"{"operationType":"Create","event":{"id":"e1"}}"#, "event.payload: missing"),
        (v1(#"{"targetCurrent":10}"#), "event.payload.payloadType: missing"),
        (v1(#"{"payloadType":"CurrentLevel"}"#), "event.payload.targetCurrent: missing"),
        (v1(#"{"payloadType":"CurrentLevel","targetCurrent":"10"}"#), "event.payload.targetCurrent: expected a number, got string"),
        (v1(#"{"payloadType":"CurrentLevel","targetCurrent":-1}"#), "event.payload.targetCurrent: must not be negative"),
        (v1(#"{"payloadType":"PowerLevel","targetPower":1e999}"#), "event.payload.targetPower: number out of range"),
        (v1(#"{"payloadType":"CurrentLevel","targetCurrent":10}"#, window: #"{"start":"2026-03-03T16:00:00Z","duration":"2h"}"#),
         #"event.intervalPeriod.duration: not a duration ("2h")"#),
        (v1(#"{"payloadType":"CurrentLevel","targetCurrent":10}"#, window: #"{"start":"2026-03-03T16:00:00Z","duration":"-01:00:00"}"#),
         #"event.intervalPeriod.duration: not a duration ("-01:00:00")"#),
        (v1(#"{"payloadType":"CurrentLevel","targetCurrent":10}"#, window: #"{"start":"2026-03-03T16:00:00","duration":"PT1H"}"#),
         #"event.intervalPeriod.start: not an RFC 3339 timestamp with a zone ("2026-03-03T16:00:00")"#),
        (v1(#"{"payloadType":"CurrentLevel","targetCurrent":10}"#, window: #"{"duration":"PT1H"}"#),
         "event.intervalPeriod.start: missing"),
        (v1(#"{"payloadType":"CurrentLevel","targetCurrent":10}"#, window: #"{"start":"2026-03-03T16:00:00Z","randomizeStart":"P9999Y"}"#),
         "event.intervalPeriod.randomizeStart: must not be open-ended"),
        (v1(#"{"payloadType":"CurrentLevel","targetCurrent":10}"#, window: #""soon""#),
         "event.intervalPeriod: expected an object, got string"),
        (#"{"operationType":"Create","event":{"id":"e1","payload":{"payloadType":"CurrentLevel","targetCurrent":10}}}"#,
         "event.intervalPeriod: missing"),
        (#"{"operationType":"Create","event":{"id":"e1","priority":"high","payload":{"payloadType":"Unknown"}}}"#,
         "event.priority: expected an integer, got string"),
        (#"{"operationType":"Create","event":{"id":"e1","priority":1.5,"payload":{"payloadType":"Unknown"}}}"#,
         "event.priority: expected an integer"),
        (#"{"id":"e1","targetResources":[{}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z"},"payload":{"payloadType":"CurrentLevel","targetCurrent":6}}"#,
         "targetResources[0]: no resourceId or locationId"),
        (#"{"id":"e1","targets":[{"values":["v"]}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z"},"payload":{"payloadType":"CurrentLevel","targetCurrent":6}}"#,
         "targets[0].targetType: missing"),
        (#"{"id":"e1","targets":[{"targetType":"vehicle","values":[1]}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z"},"payload":{"payloadType":"CurrentLevel","targetCurrent":6}}"#,
         "targets[0].values[0]: expected a string, got number"),
        (#"{"id":"e1","createdDateTime":"yesterday","payload":{"payloadType":"Unknown"}}"#,
         #"createdDateTime: not an RFC 3339 timestamp with a zone ("yesterday")"#),
        // ec-2024
        (#"{"eventId":"e1","notificationType":"ResourceLPCRequested","payload":{}}"#, "notificationId: missing"),
        (#"{"notificationId":"n1","eventId":"e1","notificationType":"ResourceLPCRequested"}"#, "payload: missing"),
        (#"{"notificationId":"n1","eventId":"e1","notificationType":"ResourceLPCRequested","payload":{}}"#, "payload.targets: missing"),
        (#"{"notificationId":"n1","eventId":"e1","notificationType":"X","payload":{"payloadType":5}}"#,
         "payload.payloadType: expected a string, got number"),
        (#"{"notificationId":"n1","eventId":"e1","notificationType":"X","notificationSentUtc":"now","payload":{}}"#,
         #"notificationSentUtc: not an RFC 3339 timestamp with a zone ("now")"#),
        (lpc(#"{"locationId":"loc-7","resolution":"01:00:00",\#(goodPoints)}"#),
         "payload.targets[0].resourceId: missing (required for ResourceLPC)"),
        (lpc(#"{"resolution":"01:00:00",\#(goodPoints)}"#, type: "LocationLPC"),
         "payload.targets[0]: no resourceId, locationId or meterPointId"),
        (lpc(#"{"resourceId":"v1",\#(goodPoints)}"#), "payload.targets[0].resolution: missing"),
        (lpc(#"{"resourceId":"v1","resolution":"hourly",\#(goodPoints)}"#),
         #"payload.targets[0].resolution: not a duration ("hourly")"#),
        (lpc(#"{"resourceId":"v1","resolution":"00:00:00",\#(goodPoints)}"#),
         "payload.targets[0].resolution: must be longer than zero"),
        (lpc(#"{"resourceId":"v1","resolution":"P9999Y",\#(goodPoints)}"#),
         "payload.targets[0].resolution: must not be open-ended"),
        (lpc(#"{"resourceId":"v1","resolution":"01:00:00","points":[]}"#), "payload.targets[0].points: must not be empty"),
        (lpc(#"{"resourceId":"v1","resolution":"01:00:00"}"#), "payload.targets[0].points: missing"),
        (lpc(#"{"resourceId":"v1","resolution":"01:00:00","points":[{"maxPowerInKiloWatts":1e200,"timestamp":"2026-03-03T17:00:00Z"}]}"#),
         "payload.targets[0].points[0].maxPowerInKiloWatts: number out of range"),
        (lpc(#"{"resourceId":"v1","resolution":"01:00:00","points":[{"maxPowerInKiloWatts":-7.4,"timestamp":"2026-03-03T17:00:00Z"}]}"#),
         "payload.targets[0].points[0].maxPowerInKiloWatts: must not be negative"),
        (lpc(#"{"resourceId":"v1","resolution":"01:00:00","points":[{"maxPowerInKiloWatts":7.4}]}"#),
         "payload.targets[0].points[0].timestamp: missing"),
        (lpc(#"{"resourceId":"v1","resolution":"01:00:00","points":[{"maxPowerInKiloWatts":7.4,"timestamp":"2026-03-03T17:00:00Z"},{"maxPowerInKiloWatts":3,"timestamp":"2026-03-03T17:30:00Z"}]}"#),
         "payload.targets[0].points[1]: starts 1800 s after the previous point, less than the resolution (3600 s): points overlap"),
        (lpc(#"{"resourceId":"v1","resolution":"01:00:00","points":[{"maxPowerInKiloWatts":7.4,"timestamp":"2026-03-03T17:00:00Z"},{"maxPowerInKiloWatts":3,"timestamp":"2026-03-03T17:00:00Z"}]}"#),
         "payload.targets[0].points[1]: starts 0 s after the previous point, less than the resolution (3600 s): points overlap"),
        // openadr3
        (#"{"objectType":"EVENT","operation":"GET","object":{}}"#,
         #"operation: expected POST, PUT, DELETE, CREATE or UPDATE, got "GET""#),
        (#"{"objectType":"EVENT","operation":"POST","object":{"programID":"7"}}"#, "object.id: missing"),
        (#"{"objectType":"EVENT","operation":"POST","object":{"id":"42","targets":[7]}}"#,
         "object.targets[0]: expected an object, got number"),
        (#"{"objectType":"EVENT","operation":"POST","object":{"id":"42","targets":[{"type":"RESOURCE_NAME","values":[""]}]}}"#,
         "object.targets[0].values[0]: must not be empty"),
        (#"{"objectType":"EVENT","operation":"POST","object":{"id":"42","intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[10]}]}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"PT1H"}}}"#,
         "object.payloadDescriptors: no IMPORT_CAPACITY_LIMIT descriptor with units (KW, W or AMPS)"),
        (#"{"objectType":"EVENT","operation":"POST","object":{"id":"42","payloadDescriptors":[{"payloadType":"IMPORT_CAPACITY_LIMIT","units":"KWH"}],"intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[10]}]}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"PT1H"}}}"#,
         #"object.payloadDescriptors[0].units: unsupported unit "KWH" for IMPORT_CAPACITY_LIMIT (KW, W or AMPS)"#),
        (#"{"objectType":"EVENT","operation":"POST","object":{"id":"42","payloadDescriptors":[{"payloadType":"IMPORT_CAPACITY_LIMIT","units":"KW"}],"intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[10,8]}]}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"PT1H"}}}"#,
         "object.intervals[0].payloads[0].values: expected exactly one value (split intervals are not supported)"),
        (#"{"objectType":"EVENT","operation":"POST","object":{"id":"42","payloadDescriptors":[{"payloadType":"IMPORT_CAPACITY_LIMIT","units":"KW"}],"intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[10]}]}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z"}}}"#,
         "object.intervals[0]: no duration (neither the interval nor the event has one)"),
        (#"{"objectType":"EVENT","operation":"POST","object":{"id":"42","payloadDescriptors":[{"payloadType":"IMPORT_CAPACITY_LIMIT","units":"KW"}],"intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[10]}]}]}}"#,
         "object.intervalPeriod: missing (no start for the first interval)"),
        (#"{"objectType":"EVENT","operation":"POST","object":{"id":"42","payloadDescriptors":[{"payloadType":"IMPORT_CAPACITY_LIMIT","units":"KW"}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"P9999Y"},"intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[10]}]},{"id":1,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[8]}]}]}}"#,
         "object.intervals[0]: only the last interval may be open-ended"),
        (#"{"objectType":"EVENT","operation":"POST","object":{"id":"42","payloadDescriptors":[{"payloadType":"IMPORT_CAPACITY_LIMIT","units":"KW"}],"intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"PT1H"},"intervals":[{"id":0,"payloads":[{"type":"IMPORT_CAPACITY_LIMIT","values":[10]}]},{"id":1,"payloads":[{"type":"SIMPLE","values":[1]}]}]}}"#,
         "object.intervals[1]: no IMPORT_CAPACITY_LIMIT payload"),
    ]

    @Test(arguments: table.indices)
    func refusedWithReason(index: Int) {
        let (body, reason) = Self.table[index]
        #expect(TestSupport.failure(body) == reason, "\(body)")
    }

    @Test func longInputIsNotEchoed() {
        let huge = String(repeating: "x", count: 10_000)
        let reason = TestSupport.failure(MalformedBodyTests.v1(#"{"payloadType":"CurrentLevel","targetCurrent":10}"#,
                                                               window: #"{"start":"2026-03-03T16:00:00Z","duration":"\#(huge)"}"#))
        #expect((reason?.count ?? 0) < 120)
    }
}
