import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import SmartCharging

/// Seeded property tests of the unit and rounding rules (design.md §2).
@Suite struct CapLimitPropertyTests {
    static let cases = 1000

    func randomTarget(_ rng: inout SeededGenerator, unit: ChargingRateUnit, policy: BelowMinimumPolicy) -> OCPPTargetSettings {
        let voltage = rng.decimal(max: 160, digits: 1) + 100 // 100.0…260.0 V
        let phases = Int.random(in: 1...3, using: &rng)
        let minCurrent = rng.decimal(max: 10, digits: 1)
        let maxCurrent = minCurrent + rng.decimal(max: 70, digits: 2) + Decimal(string: "0.01")!
        let maxPower: Decimal? = Bool.random(using: &rng) ? rng.decimal(max: 40_000, digits: 1) + 1 : nil
        return OCPPTargetSettings(nodeId: 1, chargePointId: "1", connectorId: 1, rateUnit: unit,
                                  electrical: ElectricalConversion(voltage: voltage, phases: phases),
                                  minCurrent: minCurrent, maxCurrent: maxCurrent, maxPower: maxPower, belowMinimum: policy)
    }

    func randomCap(_ rng: inout SeededGenerator) -> CapValue {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return .amps(0)
        case 1: return .amps(rng.decimal(max: 100, digits: 3))
        case 2: return .amps(rng.decimal(max: 12, digits: 2))
        case 3: return .watts(rng.decimal(max: 60_000, digits: 3))
        default: return .watts(rng.decimal(max: 5_000, digits: 1))
        }
    }

    @Test(arguments: [ChargingRateUnit.amps, .watts])
    func ocppLimitNeverExceedsCapOrMaximumAndHonoursPause(unit: ChargingRateUnit) {
        var rng = SeededGenerator(seed: unit == .amps ? 0xA11CE : 0xB0B)
        for _ in 0..<Self.cases {
            let target = randomTarget(&rng, unit: unit, policy: .pause)
            let cap = randomCap(&rng)
            let e = target.electrical
            let result = CapLimits.ocpp(cap, target)
            let limit = result.limit
            let context = "cap \(cap) target \(target) → \(limit)"
            #expect(CapRounding.isMultipleOfTenth(limit), "\(context)")
            #expect(limit >= 0, "\(context)")
            switch unit {
            case .amps:
                #expect(limit <= e.amps(cap), "\(context)")
                #expect(limit <= target.maxCurrent, "\(context)")
                if let maxPower = target.maxPower { #expect(e.watts(fromAmps: limit) <= maxPower, "\(context)") }
                #expect(limit == 0 || limit >= target.minCurrent, "\(context)")
            case .watts:
                #expect(limit <= e.watts(cap), "\(context)")
                #expect(limit <= e.watts(fromAmps: target.maxCurrent), "\(context)")
                if let maxPower = target.maxPower { #expect(limit <= maxPower, "\(context)") }
                #expect(limit == 0 || limit >= e.watts(fromAmps: target.minCurrent), "\(context)")
            }
            // The written text has exactly one fraction digit and reads back as the same value.
            let text = OCPPLimitText.text(limit)
            #expect(text.split(separator: ".").last?.count == 1 && Decimal(string: text) == limit, "\(context) text \(text)")
            #expect(result.applied.isStop == (limit == 0))
        }
    }

    @Test func minimumPolicyRaisesInsteadOfPausing() {
        var rng = SeededGenerator(seed: 0x5EED)
        for _ in 0..<Self.cases {
            let unit: ChargingRateUnit = Bool.random(using: &rng) ? .amps : .watts
            let target = randomTarget(&rng, unit: unit, policy: .minimum)
            let cap = randomCap(&rng)
            let limit = CapLimits.ocpp(cap, target).limit
            let e = target.electrical
            let minimum = unit == .amps ? target.minCurrent : e.watts(fromAmps: target.minCurrent)
            #expect(limit == 0 || limit >= minimum, "cap \(cap) target \(target) → \(limit)")
            var hardMaxAmps = target.maxCurrent
            if let maxPower = target.maxPower { hardMaxAmps = min(hardMaxAmps, e.amps(fromWatts: maxPower)) }
            // Zero only for a zero cap, or when the minimum itself would break a hard maximum.
            if limit == 0 && e.amps(cap) > 0 {
                #expect(CapRounding.upToTenth(target.minCurrent) > CapRounding.downToTenth(hardMaxAmps) || unit == .watts,
                        "cap \(cap) target \(target) paused")
            }
            #expect(CapRounding.isMultipleOfTenth(limit))
        }
    }

    @Test func ampsToWattsToAmpsRoundTripsWithinATenth() {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<Self.cases {
            let amps = rng.decimal(max: 80, digits: 1)
            let e = ElectricalConversion(voltage: rng.decimal(max: 160, digits: 1) + 100, phases: Int.random(in: 1...3, using: &rng))
            let watts = CapRounding.downToWhole(e.watts(fromAmps: amps))
            let back = CapRounding.downToTenth(e.amps(fromWatts: watts))
            #expect(back <= amps && amps - back <= Decimal(string: "0.1")!, "\(amps) A → \(watts) W → \(back) A at \(e)")
        }
    }

    /// Reference table, ocpp-oscp.md §5.
    @Test(arguments: [(6, 1, 1380), (6, 3, 4140), (10, 3, 6900), (16, 1, 3680), (16, 3, 11040), (32, 3, 22080)])
    func referenceTable(amps: Int, phases: Int, watts: Int) {
        let e = ElectricalConversion(voltage: 230, phases: phases)
        #expect(e.watts(fromAmps: Decimal(amps)) == Decimal(watts))
        #expect(e.amps(fromWatts: Decimal(watts)) == Decimal(amps))
    }

    @Test func oscpCapacityUnits() {
        let e = ElectricalConversion(voltage: 230, phases: 3)
        #expect(CapLimits.oscpCapacity(.amps(10), unit: .kilowatts, e) == Decimal(string: "6.9"))
        #expect(CapLimits.oscpCapacity(.amps(10), unit: .watts, e) == 6900)
        #expect(CapLimits.oscpCapacity(.watts(Decimal(string: "4140.9")!), unit: .kilowatts, e) == Decimal(string: "4.14"))
        #expect(CapLimits.oscpCapacity(.watts(11000), unit: .amps, e) == Decimal(string: "15.9"))
        #expect(JSON.decimal(CapLimits.oscpCapacity(.amps(Decimal(string: "0.3")!), unit: .amps, e)).compactText == "0.3")
    }
}
