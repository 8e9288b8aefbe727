import EnergyCoordination
import Essentials

/// Units the Energy Coordination API never states (energy-coordination.md §6 #1): operators set them.
public struct UnitsSettings: Sendable, Equatable {
    /// Always amps per phase.
    public var targetCurrent = "A"
    /// `W` (default, matching Spark's report unit) or `kW`.
    public var targetPower = "W"

    public init() {}

    /// The decoder's view of these units (every decode path — intake, sync, `map`, `events` — uses this).
    public var decodeOptions: DecodeOptions {
        DecodeOptions(targetPowerUnit: targetPower == "kW" ? .kilowatts : .watts)
    }

    init(_ source: ConfigObject) throws(ConfigError) {
        var o = source
        targetCurrent = try o.choice("targetCurrent", ["A"]) ?? targetCurrent
        targetPower = try o.choice("targetPower", ["W", "kW"]) ?? targetPower
        try o.finish()
    }
}
