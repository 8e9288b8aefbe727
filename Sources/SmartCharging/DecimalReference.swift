import EnergyCoordination
import Essentials
import FoundationEssentials

/// The cap arithmetic written with Foundation `Decimal` (as it was before the integer fast path).
///
/// Why kept: it is the fallback for values the fast path cannot hold exactly (huge or very precise
/// numbers, NaN), and the oracle the property tests compare `FastCapArithmetic` against, so the two can
/// never drift apart unnoticed.
enum DecimalReference {
    static func ocpp(_ cap: CapValue, _ target: OCPPTargetSettings) -> CapLimits.OCPPLimit {
        let e = target.electrical
        var maxAmps = target.maxCurrent
        if let maxPower = target.maxPower { maxAmps = min(maxAmps, e.amps(fromWatts: maxPower)) }
        let positive = e.amps(cap) > 0
        let limit: Decimal
        switch target.rateUnit {
        case .amps:
            let capped = CapRounding.downToTenth(min(e.amps(cap), maxAmps))
            if positive && capped < target.minCurrent {
                let raised = CapRounding.upToTenth(target.minCurrent)
                limit = target.belowMinimum == .minimum && raised <= maxAmps ? raised : 0
            } else {
                limit = capped
            }
        case .watts:
            var maxWatts = e.watts(fromAmps: target.maxCurrent)
            if let maxPower = target.maxPower { maxWatts = min(maxWatts, maxPower) }
            let capped = CapRounding.downToWhole(min(e.watts(cap), maxWatts))
            let minWatts = e.watts(fromAmps: target.minCurrent)
            if positive && capped < minWatts {
                let raised = CapRounding.upToWhole(minWatts)
                limit = target.belowMinimum == .minimum && raised <= maxWatts ? raised : 0
            } else {
                limit = capped
            }
        }
        let applied = target.rateUnit == .amps
            ? appliedCap(amps: limit, electrical: e)
            : appliedCap(watts: limit, electrical: e)
        return CapLimits.OCPPLimit(limit: limit, unit: target.rateUnit, applied: applied)
    }

    static func oscpCapacity(_ cap: CapValue, unit: ForecastedBlockUnit, _ e: ElectricalConversion) -> Decimal {
        switch unit {
        case .amps: return CapRounding.downToTenth(e.amps(cap))
        case .watts, .wattHours: return CapRounding.downToWhole(e.watts(cap))
        case .kilowatts, .kilowattHours: return CapRounding.downToWhole(e.watts(cap)) / 1000
        }
    }

    static func greenFluxCapacity(_ cap: CapValue, unit: ChargingRateUnit, _ e: ElectricalConversion) -> Decimal {
        switch unit {
        case .amps: return CapRounding.downToTenth(e.amps(cap))
        case .watts: return CapRounding.downToWhole(e.watts(cap))
        }
    }

    static func applied(capacity: Decimal, unit: ForecastedBlockUnit, _ e: ElectricalConversion) -> AppliedCap {
        switch unit {
        case .amps: return appliedCap(amps: capacity, electrical: e)
        case .watts, .wattHours: return appliedCap(watts: capacity, electrical: e)
        case .kilowatts, .kilowattHours: return appliedCap(watts: capacity * 1000, electrical: e)
        }
    }

    static func appliedCap(amps: Decimal, electrical e: ElectricalConversion) -> AppliedCap {
        AppliedCap(current: CapRounding.downToTenth(amps), power: CapRounding.downToWhole(e.watts(fromAmps: amps)),
                   voltage: e.voltage, phases: e.phases)
    }

    static func appliedCap(watts: Decimal, electrical e: ElectricalConversion) -> AppliedCap {
        AppliedCap(current: CapRounding.downToTenth(e.amps(fromWatts: watts)), power: CapRounding.downToWhole(watts),
                   voltage: e.voltage, phases: e.phases)
    }

    static func ocppLimitText(_ limit: Decimal) -> String {
        DecimalText.fixed(CapRounding.downToTenth(limit), fractionDigits: 1)
    }
}
