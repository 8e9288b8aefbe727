import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import SmartCharging

/// The integer fast path of the cap rules against the original `Decimal` code (`DecimalReference`), on
/// seeded random inputs: every result must have the same value, the same JSON text and the same
/// description, whether the fast path took it or fell back.
@Suite struct FastCapArithmeticOracleTests {
    static let cases = 5000

    /// Decimal text of many shapes: zero, whole, few and many fraction digits, tiny, huge, beyond 64 bits,
    /// more than 18 fraction digits, trailing zeros, and (when allowed) negative.
    static func text(_ rng: inout SeededGenerator, negative: Bool = true) -> String {
        func digits(_ count: Int) -> String {
            String((0 ..< count).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
        }
        let sign = negative && Int.random(in: 0..<12, using: &rng) == 0 ? "-" : ""
        switch Int.random(in: 0..<16, using: &rng) {
        case 0: return sign + "0"
        case 1: return sign + ["0.0", "0.00", "0.000000000000000000000"].randomElement(using: &rng)!
        case 2: return sign + String(Int.random(in: 1...100, using: &rng))
        case 3: return sign + "\(Int.random(in: 0...60, using: &rng)).\(digits(1))"
        case 4: return sign + "\(Int.random(in: 0...60, using: &rng)).\(digits(Int.random(in: 2...4, using: &rng)))"
        case 5: return sign + "\(Int.random(in: 0...60_000, using: &rng)).\(digits(Int.random(in: 0...3, using: &rng)))"
        case 6: return sign + "0.\(digits(Int.random(in: 10...18, using: &rng)))"
        case 7: return sign + "0.\(String(repeating: "0", count: Int.random(in: 5...17, using: &rng)))\(Int.random(in: 1...9, using: &rng))"
        case 8: return sign + "\(Int.random(in: 1...9, using: &rng))\(digits(Int.random(in: 12...17, using: &rng)))"
        case 9: return sign + "\(Int.random(in: 1...9, using: &rng))\(digits(Int.random(in: 19...30, using: &rng)))"
        case 10: return sign + "\(Int.random(in: 0...99, using: &rng)).\(digits(Int.random(in: 19...30, using: &rng)))"
        case 11: return sign + "\(Int.random(in: 0...99, using: &rng)).\(digits(2))\(String(repeating: "0", count: Int.random(in: 1...25, using: &rng)))"
        case 12: return sign + "\(Int.random(in: 1...9, using: &rng))\(String(repeating: "0", count: Int.random(in: 1...22, using: &rng)))"
        case 13: return sign + "\(Int.random(in: 0...99_999, using: &rng)).\(digits(Int.random(in: 5...14, using: &rng)))"
        case 14: return sign + "9223372036854775807"
        default: return sign + "\(Int.random(in: 0...40, using: &rng))"
        }
    }

    static func decimal(_ rng: inout SeededGenerator, negative: Bool = true) -> Decimal {
        if Int.random(in: 0..<400, using: &rng) == 0 { return .nan }
        let text = Self.text(&rng, negative: negative)
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? 0
    }

    static func electrical(_ rng: inout SeededGenerator) -> ElectricalConversion {
        let voltages = ["230", "120", "400", "277.1", "0.5", "0.000001", "1000000000000000", "100000000000000000000",
                        "0", "-230", "229.99"]
        let voltage = Int.random(in: 0..<3, using: &rng) == 0 ? decimal(&rng)
            : Decimal(string: voltages.randomElement(using: &rng) ?? "230", locale: Locale(identifier: "en_US_POSIX")) ?? 230
        let phases = Int.random(in: 0..<20, using: &rng) == 0 ? Int.random(in: -1...4, using: &rng) : Int.random(in: 1...3, using: &rng)
        return ElectricalConversion(voltage: voltage, phases: phases)
    }

    static func cap(_ rng: inout SeededGenerator, near target: OCPPTargetSettings? = nil) -> CapValue {
        var value = decimal(&rng)
        if let target, Bool.random(using: &rng) {
            // On and around the clamps: the minimum, the maximum and the maximum power.
            let offsets = ["0", "0.01", "-0.01", "0.1", "-0.1", "0.05", "-0.001", "1", "-1"]
            let offset = Decimal(string: offsets.randomElement(using: &rng) ?? "0", locale: Locale(identifier: "en_US_POSIX")) ?? 0
            let e = target.electrical
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: return .amps(target.minCurrent + offset)
            case 1: return .amps(target.maxCurrent + offset)
            case 2: return .watts(e.watts(fromAmps: target.minCurrent) + offset)
            case 3: return .watts(e.watts(fromAmps: target.maxCurrent) + offset)
            default: value = (target.maxPower ?? value) + offset
            }
        }
        return Bool.random(using: &rng) ? .amps(value) : .watts(value)
    }

    static func ocppTarget(_ rng: inout SeededGenerator, unit: ChargingRateUnit, policy: BelowMinimumPolicy) -> OCPPTargetSettings {
        let plausible = Int.random(in: 0..<4, using: &rng) != 0
        let minCurrent = plausible ? rng.decimal(max: 10, digits: Int.random(in: 0...2, using: &rng)) : decimal(&rng)
        let maxCurrent = plausible ? minCurrent + rng.decimal(max: 70, digits: Int.random(in: 0...2, using: &rng)) : decimal(&rng)
        let maxPower: Decimal? = Bool.random(using: &rng) ? nil
            : plausible ? rng.decimal(max: 40_000, digits: Int.random(in: 0...2, using: &rng)) : decimal(&rng)
        return OCPPTargetSettings(nodeId: 1, chargePointId: "1", connectorId: 1, rateUnit: unit,
                                  electrical: plausible ? ElectricalConversion(voltage: [230, 120, 400].randomElement(using: &rng) ?? 230,
                                                                               phases: Int.random(in: 1...3, using: &rng))
                                                        : electrical(&rng),
                                  minCurrent: minCurrent, maxCurrent: maxCurrent, maxPower: maxPower, belowMinimum: policy)
    }

    /// Same value, same JSON text, same description.
    static func same(_ a: Decimal, _ b: Decimal) -> Bool {
        (a == b || (a.isNaN && b.isNaN)) && DecimalText.plain(a) == DecimalText.plain(b) && a.description == b.description
    }

    static func same(_ a: AppliedCap, _ b: AppliedCap) -> Bool {
        same(a.current, b.current) && same(a.power, b.power) && same(a.voltage, b.voltage) && a.phases == b.phases
    }

    @Test(arguments: [(ChargingRateUnit.amps, BelowMinimumPolicy.pause), (.amps, .minimum), (.watts, .pause), (.watts, .minimum)])
    func ocppLimitsMatchTheDecimalCode(unit: ChargingRateUnit, policy: BelowMinimumPolicy) {
        var rng = SeededGenerator(seed: 0xFA57_0C99 &+ (unit == .amps ? 0 : 2) &+ (policy == .pause ? 0 : 1))
        var fast = 0, raised = 0
        for _ in 0 ..< Self.cases {
            let target = Self.ocppTarget(&rng, unit: unit, policy: policy)
            let cap = Self.cap(&rng, near: target)
            let expected = DecimalReference.ocpp(cap, target)
            let actual = CapLimits.ocpp(cap, target)
            if FastCapArithmetic.ocpp(cap, target) != nil { fast += 1 }
            if expected.limit > 0 && expected.applied.current <= target.minCurrent { raised += 1 }
            #expect(Self.same(actual.limit, expected.limit) && actual.unit == expected.unit
                    && Self.same(actual.applied, expected.applied),
                    "cap \(cap) target \(target): \(actual) ≠ \(expected)")
            #expect(OCPPLimitText.text(actual.limit) == DecimalReference.ocppLimitText(expected.limit))
        }
        // The fast path must carry the common cases, or this test would prove nothing about it.
        #expect(fast > Self.cases / 2, "fast path taken \(fast) of \(Self.cases) times")
        #expect(raised > 0)
    }

    @Test func capacitiesAndAppliedCapsMatchTheDecimalCode() {
        var rng = SeededGenerator(seed: 0x05C9_CA9A)
        var fast = 0
        for _ in 0 ..< Self.cases * 2 {
            let e = Self.electrical(&rng)
            let cap = Self.cap(&rng)
            for unit in ForecastedBlockUnit.allCases {
                let expected = DecimalReference.oscpCapacity(cap, unit: unit, e)
                let actual = CapLimits.oscpCapacity(cap, unit: unit, e)
                if FastCapArithmetic.oscpCapacity(cap, unit: unit, e) != nil { fast += 1 }
                #expect(Self.same(actual, expected), "oscp \(cap) \(unit) \(e): \(actual) ≠ \(expected)")
                let capacity = Self.decimal(&rng)
                #expect(Self.same(CapLimits.applied(capacity: capacity, unit: unit, e),
                                  DecimalReference.applied(capacity: capacity, unit: unit, e)),
                        "applied \(capacity) \(unit) \(e)")
            }
            for unit in ChargingRateUnit.allCases {
                let expected = DecimalReference.greenFluxCapacity(cap, unit: unit, e)
                let actual = CapLimits.greenFluxCapacity(cap, unit: unit, e)
                #expect(Self.same(actual, expected), "greenflux \(cap) \(unit) \(e): \(actual) ≠ \(expected)")
            }
            let value = Self.decimal(&rng)
            #expect(Self.same(AppliedCap(amps: value, electrical: e), DecimalReference.appliedCap(amps: value, electrical: e)),
                    "applied amps \(value) \(e)")
            #expect(Self.same(AppliedCap(watts: value, electrical: e), DecimalReference.appliedCap(watts: value, electrical: e)),
                    "applied watts \(value) \(e)")
        }
        #expect(fast > Self.cases * 2 * ForecastedBlockUnit.allCases.count / 2, "fast path taken \(fast) times")
    }

    @Test func textsMatchTheDecimalCode() {
        var rng = SeededGenerator(seed: 0x7E47)
        var fast = 0
        for _ in 0 ..< Self.cases * 4 {
            let value = Self.decimal(&rng)
            if ScaledDecimal(value) != nil { fast += 1 }
            #expect(OCPPLimitText.text(value) == DecimalReference.ocppLimitText(value), "limit text \(value)")
            #expect(DecimalJSON.number(value).compactText == JSON.decimal(value).compactText, "JSON text \(value)")
        }
        #expect(fast > Self.cases * 2)
    }

    @Test func edgeValuesMatchTheDecimalCode() {
        let texts = ["0", "-0", "0.05", "0.1", "0.15", "6", "5.99", "6.01", "16.1", "16.19", "32", "32.05", "31.99",
                     "0.000000000000000001", "0.0000000000000000001", "9223372036854775807", "9223372036854775808",
                     "18446744073709551615", "18446744073709551616", "123456789012345678901234567890",
                     "1.000000000000000000000000000000", "100000000000000000000", "-16.1", "-0.05", "22080", "7400",
                     "22080.5", "6899.99", "6900", "11000", "0.001"]
        let values = texts.compactMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) } + [.nan]
        let electricals = [ElectricalConversion(voltage: 230, phases: 3), ElectricalConversion(voltage: 230, phases: 1),
                           ElectricalConversion(voltage: 120, phases: 2), ElectricalConversion(voltage: 0, phases: 3),
                           ElectricalConversion(voltage: Decimal(string: "0.000001") ?? 1, phases: 1)]
        for e in electricals {
            for value in values {
                for cap in [CapValue.amps(value), .watts(value)] {
                    for unit in ForecastedBlockUnit.allCases {
                        #expect(Self.same(CapLimits.oscpCapacity(cap, unit: unit, e), DecimalReference.oscpCapacity(cap, unit: unit, e)))
                        #expect(Self.same(CapLimits.applied(capacity: value, unit: unit, e),
                                          DecimalReference.applied(capacity: value, unit: unit, e)))
                    }
                    for (unit, policy) in [(ChargingRateUnit.amps, BelowMinimumPolicy.pause), (.amps, .minimum), (.watts, .pause), (.watts, .minimum)] {
                        for maxPower in [nil, Decimal(7400), Decimal(1000)] {
                            let target = OCPPTargetSettings(nodeId: 1, chargePointId: "1", connectorId: 1, rateUnit: unit, electrical: e,
                                                            minCurrent: Decimal(string: "6.05") ?? 6, maxCurrent: 32,
                                                            maxPower: maxPower, belowMinimum: policy)
                            let expected = DecimalReference.ocpp(cap, target), actual = CapLimits.ocpp(cap, target)
                            #expect(Self.same(actual.limit, expected.limit) && Self.same(actual.applied, expected.applied),
                                    "cap \(cap) target \(target)")
                        }
                    }
                }
                #expect(OCPPLimitText.text(value) == DecimalReference.ocppLimitText(value))
                #expect(DecimalJSON.number(value).compactText == JSON.decimal(value).compactText)
            }
        }
    }

    @Test func decimalPartsReadsTheLayoutItWasVerifiedOn() {
        #expect(DecimalParts.layoutVerified)
        #expect(DecimalParts.read(Decimal(string: "-16.1") ?? 0) == DecimalParts.Parts(magnitude: 161, exponent: -1, negative: true))
        #expect(DecimalParts.read(.nan) == nil)
        #expect(DecimalParts.read(Decimal(UInt64.max) * 10 + 1) == nil)
        #expect(ScaledDecimal(Decimal(string: "6900") ?? 0) == ScaledDecimal(units: 6900, scale: 0))
        #expect(ScaledDecimal(Decimal(string: "1e-19") ?? 0) == nil)
    }
}
