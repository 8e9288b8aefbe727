import FoundationEssentials

/// What a delivery actually asks the charger or group to do, in both units, for reports
/// (`VehicleChargeActionPayload`: Start with `current`/`power`, Stop for a zero limit).
///
/// Why both units: Spark reports `current` and `power`, while the target may be driven in either.
public struct AppliedCap: Sendable, Equatable {
    /// Amps per phase, rounded down to 0.1.
    public var current: Decimal
    /// Total watts, rounded down to whole W.
    public var power: Decimal
    public var voltage: Decimal
    public var phases: Int

    /// True when the applied limit is 0: charging stops / pauses.
    public var isStop: Bool { current == 0 && power == 0 }

    public init(current: Decimal, power: Decimal, voltage: Decimal, phases: Int) {
        self.current = current
        self.power = power
        self.voltage = voltage
        self.phases = phases
    }

    /// From an amps limit.
    public init(amps: Decimal, electrical e: ElectricalConversion) {
        self = FastCapArithmetic.appliedCap(amps: amps, electrical: e) ?? DecimalReference.appliedCap(amps: amps, electrical: e)
    }

    /// From a watts limit.
    public init(watts: Decimal, electrical e: ElectricalConversion) {
        self = FastCapArithmetic.appliedCap(watts: watts, electrical: e) ?? DecimalReference.appliedCap(watts: watts, electrical: e)
    }
}
