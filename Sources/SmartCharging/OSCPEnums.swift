/// OSCP 2.0 `CapacityForecastType` (upper case on the wire).
public enum CapacityForecastType: String, Sendable, CaseIterable, Equatable {
    case consumption = "CONSUMPTION"
    case generation = "GENERATION"
    case fallbackConsumption = "FALLBACK_CONSUMPTION"
    case fallbackGeneration = "FALLBACK_GENERATION"
    case optimum = "OPTIMUM"
}

/// OSCP 2.0 `PhaseIndicator`.
public enum PhaseIndicator: String, Sendable, CaseIterable, Equatable {
    case unknown = "UNKNOWN"
    case one = "ONE"
    case two = "TWO"
    case three = "THREE"
    case all = "ALL"
}

/// OSCP 2.0 `ForecastedBlockUnit`. ecbridge writes power caps, so targets may use `A`, `W` or `KW`;
/// the energy units `WH`/`KWH` are part of the enum but rejected in target configuration.
public enum ForecastedBlockUnit: String, Sendable, CaseIterable, Equatable {
    case amps = "A"
    case watts = "W"
    case kilowatts = "KW"
    case wattHours = "WH"
    case kilowattHours = "KWH"

    /// Units that can express a power cap.
    public static let powerUnits: [ForecastedBlockUnit] = [.amps, .watts, .kilowatts]
}
