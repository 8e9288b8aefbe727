import EnergyCoordination
import FoundationEssentials

/// Turns a canonical cap into the number each channel writes (design.md §2): converted with the target's
/// voltage and phases, rounded DOWN, clamped to the target's maximum, and — for OCPP — a positive cap
/// below the minimum current becomes 0 (pause) or the minimum, by policy.
///
/// Why here and not in the message builders: the reporter needs the same numbers (the current and power
/// actually applied), and the property tests exercise these functions directly. Each rule runs on exact
/// integers (`FastCapArithmetic`) and falls back to the `Decimal` code (`DecimalReference`) for values
/// that do not fit; both give the same results.
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
        FastCapArithmetic.ocpp(cap, target) ?? DecimalReference.ocpp(cap, target)
    }

    /// The OSCP `capacity` for `cap` in `unit`: A rounded down to 0.1, W to whole watts, KW = whole watts
    /// ÷ 1000 (so at most three fraction digits). Never negative. Energy units are rejected by the config.
    public static func oscpCapacity(_ cap: CapValue, unit: ForecastedBlockUnit, _ e: ElectricalConversion) -> Decimal {
        FastCapArithmetic.oscpCapacity(cap, unit: unit, e) ?? DecimalReference.oscpCapacity(cap, unit: unit, e)
    }

    /// The GreenFlux scenario `capacity` in the group's unit (A to 0.1, W whole), never negative.
    public static func greenFluxCapacity(_ cap: CapValue, unit: ChargingRateUnit, _ e: ElectricalConversion) -> Decimal {
        FastCapArithmetic.greenFluxCapacity(cap, unit: unit, e) ?? DecimalReference.greenFluxCapacity(cap, unit: unit, e)
    }

    /// The summary the reporter uses for a cap written in another unit (OSCP/GreenFlux).
    public static func applied(capacity: Decimal, unit: ForecastedBlockUnit, _ e: ElectricalConversion) -> AppliedCap {
        FastCapArithmetic.applied(capacity: capacity, unit: unit, e) ?? DecimalReference.applied(capacity: capacity, unit: unit, e)
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
