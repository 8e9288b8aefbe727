import EnergyCoordination
import Foundation

/// Turns a canonical cap into the number each channel writes (design.md §2): converted with the target's
/// voltage and phases, rounded DOWN, clamped to the target's maximum, and — for OCPP — a positive cap
/// below the minimum current becomes 0 (pause) or the minimum, by policy.
///
/// Why here and not in the message builders: the reporter needs the same numbers (the current and power
/// actually applied), and the property tests exercise these functions directly.
public enum CapLimits {
    /// The result of limiting one cap for an OCPP target.
    public struct OCPPLimit: Sendable, Equatable {
        /// In `unit`: amps with one fraction digit, or whole watts.
        public var limit: Decimal
        public var unit: ChargingRateUnit
        /// What was applied, in both units (amps rounded down to 0.1, watts to whole W).
        public var applied: AppliedCap
    }

    /// Limits `cap` for an OCPP target. Amps are rounded down to 0.1 A; watts to whole W (OCPP's grid is
    /// 0.1 either way; whole watts are what chargers meter and what reference tables use).
    public static func ocpp(_ cap: CapValue, _ target: OCPPTargetSettings) -> OCPPLimit {
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
            ? AppliedCap(amps: limit, electrical: e)
            : AppliedCap(watts: limit, electrical: e)
        return OCPPLimit(limit: limit, unit: target.rateUnit, applied: applied)
    }

    /// The OSCP `capacity` for `cap` in `unit`: A rounded down to 0.1, W to whole watts, KW = whole watts
    /// ÷ 1000 (so at most three fraction digits). Never negative. Energy units are rejected by the config.
    public static func oscpCapacity(_ cap: CapValue, unit: ForecastedBlockUnit, _ e: ElectricalConversion) -> Decimal {
        switch unit {
        case .amps: return CapRounding.downToTenth(e.amps(cap))
        case .watts, .wattHours: return CapRounding.downToWhole(e.watts(cap))
        case .kilowatts, .kilowattHours: return CapRounding.downToWhole(e.watts(cap)) / 1000
        }
    }

    /// The GreenFlux scenario `capacity` in the group's unit (A to 0.1, W whole), never negative.
    public static func greenFluxCapacity(_ cap: CapValue, unit: ChargingRateUnit, _ e: ElectricalConversion) -> Decimal {
        switch unit {
        case .amps: return CapRounding.downToTenth(e.amps(cap))
        case .watts: return CapRounding.downToWhole(e.watts(cap))
        }
    }

    /// The summary the reporter uses for a cap written in another unit (OSCP/GreenFlux).
    public static func applied(capacity: Decimal, unit: ForecastedBlockUnit, _ e: ElectricalConversion) -> AppliedCap {
        switch unit {
        case .amps: return AppliedCap(amps: capacity, electrical: e)
        case .watts, .wattHours: return AppliedCap(watts: capacity, electrical: e)
        case .kilowatts, .kilowattHours: return AppliedCap(watts: capacity * 1000, electrical: e)
        }
    }
}

extension CapValue {
    /// The canonical event cap as a `CapValue`.
    public init(_ cap: Cap) {
        switch cap.unit {
        case .amps: self = .amps(cap.value)
        case .watts: self = .watts(cap.value)
        }
    }
}
