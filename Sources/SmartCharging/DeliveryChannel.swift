/// The downstream channel a target is reached through; the raw value is the config's `channel` string
/// and the `channel` member of `map` output (design.md §4.2, §4.3).
public enum DeliveryChannel: String, Sendable, CaseIterable, Equatable {
    /// OCPP 1.6 / 2.0.1 charging profiles, queued as SolarNetwork `OCPP_v16` / `OCPP_v201` instructions.
    case solarNetworkOCPP = "solarnetwork-ocpp"
    /// OSCP 2.0 `AdjustGroupCapacityForecast`, queued as a SolarNetwork `OSCP_v20` instruction.
    case solarNetworkOSCP = "solarnetwork-oscp"
    /// OSCP 2.0 `UpdateGroupCapacityForecast`, posted directly to a Flexibility Provider.
    case oscp
    /// GreenFlux smart-charging capacity-group datetime scenarios.
    case greenFlux = "greenflux"
}
