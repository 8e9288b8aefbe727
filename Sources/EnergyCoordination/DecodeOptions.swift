/// The unit a sender's bare power numbers are read in.
///
/// Spark's ec-v1 `targetPower` has no stated unit (energy-coordination.md §6 #1), so the operator says.
public enum PowerUnit: String, Sendable, CaseIterable {
    case watts = "W"
    case kilowatts = "kW"

    /// Watts per unit: 1 or 1000.
    public var wattsPerUnit: Int { self == .watts ? 1 : 1000 }
}

/// Settings for reading notifications (the `units` section of the configuration).
///
/// Why: the ec-v1 API never states the unit of `targetPower`; the choice must be explicit and visible.
public struct DecodeOptions: Sendable, Equatable {
    /// Unit assumed for ec-v1 `targetPower` (the API never states it): "W" (default) or "kW".
    /// `targetCurrent` is always amps per phase ("A").
    public var targetPowerUnit: PowerUnit = .watts

    public init(targetPowerUnit: PowerUnit = .watts) {
        self.targetPowerUnit = targetPowerUnit
    }
}
