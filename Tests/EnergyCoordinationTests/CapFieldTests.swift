import FoundationEssentials
import Testing
@testable import EnergyCoordination

/// The cap of every ec-v1 webhook (`FieldReader.cap`): its sign, range and unit factor, at the edges the
/// fast paths (no `Decimal` arithmetic for a factor of 1) must keep exactly as before.
struct CapFieldTests {
    static func current(_ number: String, power: Bool = false, options: DecodeOptions = DecodeOptions()) throws(DecodeError) -> Cap? {
        let payload = power ? #"{"payloadType":"PowerLevel","targetPower":\#(number)}"#
                            : #"{"payloadType":"CurrentLevel","targetCurrent":\#(number)}"#
        let decoded = try TestSupport.decode(MalformedBodyTests.v1(payload), options: options)
        return decoded.event.targets.first?.schedule?.periods.first?.cap
    }

    @Test(arguments: ["0", "-0", "0.0", "-0.0", "0e5"])
    func zeroInAnySpellingIsAZeroCap(text: String) throws {
        #expect(try Self.current(text) == Cap(0, .amps))
    }

    @Test func valuesAreKeptExactly() throws {
        #expect(try Self.current("16.1") == Cap(Decimal(string: "16.1")!, .amps))
        #expect(try Self.current("1.5e2") == Cap(150, .amps))
        #expect(try Self.current("999999999999999999999999999999e-1") == Cap(Decimal(string: "99999999999999999999999999999.9")!, .amps))
        #expect(try Self.current("7.4", power: true, options: DecodeOptions(targetPowerUnit: .kilowatts)) == Cap(7_400, .watts))
        #expect(try Self.current("7.4", power: true) == Cap(Decimal(string: "7.4")!, .watts))
    }

    @Test(arguments: [("-1", "must not be negative"), ("-0.001", "must not be negative"), ("-1e-40", "must not be negative"),
                      ("1e30", "number out of range"), ("1000000000000000000000000000000", "number out of range"),
                      ("1e999", "number out of range")])
    func refused(text: String, reason: String) {
        #expect(TestSupport.failure(MalformedBodyTests.v1(#"{"payloadType":"CurrentLevel","targetCurrent":\#(text)}"#))
                == "event.payload.targetCurrent: \(reason)")
    }

    /// A key that Swift's `==` calls equal to a field name but whose bytes differ is not that field: other
    /// JSON readers would not see it there either.
    @Test func aLookAlikeKeyIsNotTheField() {
        let point = #"{"maxPowerIn\u212AiloWatts":7.4,"timestamp":"2026-03-03T17:00:00+00:00"}"#
        let body = MalformedBodyTests.lpc(#"{"resourceId":"v1","resolution":"01:00:00","points":[\#(point)]}"#)
        #expect(TestSupport.failure(body) == "payload.targets[0].points[0].maxPowerInKiloWatts: missing")
    }

    @Test func theUnitFactorCountsTowardsTheRange() {
        let kilowatts = DecodeOptions(targetPowerUnit: .kilowatts)
        let body = MalformedBodyTests.v1(#"{"payloadType":"PowerLevel","targetPower":1e27}"#)
        #expect(TestSupport.failure(body, options: kilowatts) == "event.payload.targetPower: number out of range")
        #expect(TestSupport.failure(body) == nil)
    }
}
