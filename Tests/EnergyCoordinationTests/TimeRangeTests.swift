import EnergyCoordination
import Foundation
import Testing

/// Found by the bounded fuzz run: an instant in the last millisecond of year 9999 was accepted, but its
/// stored (millisecond) form rounds into year 10000, which cannot be read back. It is refused now.
@Suite struct TimeRangeTests {
    static func event(start: String) -> String {
        #"{"operationType":"Create","event":{"id":"ev-range","targetResources":[{"resourceId":"vehicle-1"}],"# +
        #""intervalPeriod":{"start":"\#(start)","duration":"PT1H"},"payload":{"payloadType":"CurrentLevel","targetCurrent":10}}}"#
    }

    @Test func theLastStorableMillisecondIsAccepted() throws {
        let decoded = try NotificationDecoder.decode(body: Array(Self.event(start: "9999-12-31T22:59:59.999Z").utf8),
                                                     bodySHA256Hex: "00", options: DecodeOptions())
        #expect(try CoordinationEvent(json: decoded.event.json) == decoded.event)
    }

    @Test func aTimeThatRoundsIntoYear10000IsRefused() {
        #expect(throws: DecodeError.self) {
            _ = try NotificationDecoder.decode(body: Array(Self.event(start: "9999-12-31T23:59:59.9999Z").utf8),
                                               bodySHA256Hex: "00", options: DecodeOptions())
        }
    }
}
