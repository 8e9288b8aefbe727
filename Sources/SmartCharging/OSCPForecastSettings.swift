import Essentials
import FoundationEssentials

/// The OSCP capacity-group settings shared by the SolarNetwork OSCP channel and direct OSCP.
///
/// Why shared: both channels send the same forecast message (only the transport differs), so group,
/// forecast type, phase indicator, unit and the restore capacity are read and applied the same way.
public struct OSCPForecastSettings: Sendable, Equatable {
    /// The capacity group `identifier` (OSCP `group_id`; SolarNetwork `cgIdentifier`).
    public var groupIdentifier: String
    public var forecastType: CapacityForecastType
    public var phase: PhaseIndicator
    public var unit: ForecastedBlockUnit
    /// Used to convert A ↔ W.
    public var electrical: ElectricalConversion
    /// The group's normal capacity in `unit`, written on Delete; `nil` = Delete is skipped with a reason.
    public var defaultCapacity: Decimal?

    public init(groupIdentifier: String, forecastType: CapacityForecastType = .consumption, phase: PhaseIndicator = .all,
                unit: ForecastedBlockUnit = .kilowatts,
                electrical: ElectricalConversion = ElectricalConversion(voltage: OCPPTargetSettings.defaultVoltage,
                                                                        phases: OCPPTargetSettings.defaultPhases),
                defaultCapacity: Decimal? = nil) {
        self.groupIdentifier = groupIdentifier
        self.forecastType = forecastType
        self.phase = phase
        self.unit = unit
        self.electrical = electrical
        self.defaultCapacity = defaultCapacity
    }

    init(reading config: inout ConfigObject) throws(ConfigError) {
        let group = try config.requiredString("groupIdentifier")
        let type = CapacityForecastType(rawValue: try config.choice("forecastType", CapacityForecastType.allCases.map(\.rawValue)) ?? "CONSUMPTION") ?? .consumption
        let phase = PhaseIndicator(rawValue: try config.choice("phase", PhaseIndicator.allCases.map(\.rawValue)) ?? "ALL") ?? .all
        let unitText = try config.choice("unit", ForecastedBlockUnit.allCases.map(\.rawValue)) ?? "KW"
        let unit = ForecastedBlockUnit(rawValue: unitText) ?? .kilowatts
        guard ForecastedBlockUnit.powerUnits.contains(unit) else {
            throw ConfigError(path: config.childPath("unit"), message: "energy units (WH, KWH) cannot express a power cap; use A, W or KW")
        }
        let electrical = try ElectricalConversion(reading: &config)
        let defaultCapacity = try config.decimal("defaultCapacity")
        if let defaultCapacity, defaultCapacity < 0 {
            throw ConfigError(path: config.childPath("defaultCapacity"), message: "must be ≥ 0, found \(DecimalText.plain(defaultCapacity))")
        }
        self.init(groupIdentifier: group, forecastType: type, phase: phase, unit: unit, electrical: electrical,
                  defaultCapacity: defaultCapacity)
    }
}

/// SolarNetwork `OSCP_v20` instruction target: SolarNetwork (the Flexibility Provider) forwards an
/// `AdjustGroupCapacityForecast` to the group's Capacity Provider.
public struct SolarNetworkOSCPSettings: Sendable, Equatable {
    public var nodeId: Int
    /// The Capacity Optimizer's `configId` (instruction `coId`), as text.
    public var capacityOptimizerId: String
    public var forecast: OSCPForecastSettings

    public init(nodeId: Int, capacityOptimizerId: String, forecast: OSCPForecastSettings) {
        self.nodeId = nodeId
        self.capacityOptimizerId = capacityOptimizerId
        self.forecast = forecast
    }

    init(reading config: inout ConfigObject) throws(ConfigError) {
        guard let nodeId = try config.int("nodeId", range: 1...Int.max) else {
            throw ConfigError(path: config.childPath("nodeId"), message: "is required")
        }
        guard let optimizer = try config.identifier("capacityOptimizerId") else {
            throw ConfigError(path: config.childPath("capacityOptimizerId"), message: "is required")
        }
        self.init(nodeId: nodeId, capacityOptimizerId: optimizer, forecast: try OSCPForecastSettings(reading: &config))
    }
}

/// Direct OSCP 2.0 target: ecbridge posts `UpdateGroupCapacityForecast` to a Flexibility Provider.
public struct DirectOSCPSettings: Sendable, Equatable {
    /// The peer's OSCP base URL (no trailing slash needed), e.g. `https://fp.example/oscp/fp/2.0`.
    public var baseUrl: String
    /// The token issued by the peer; added as `Authorization: Token …` at send time only.
    public var token: SecretReference
    public var forecast: OSCPForecastSettings

    public init(baseUrl: String, token: SecretReference, forecast: OSCPForecastSettings) {
        self.baseUrl = baseUrl
        self.token = token
        self.forecast = forecast
    }

    init(reading config: inout ConfigObject) throws(ConfigError) {
        let baseUrl = try readBaseURL(&config)
        guard let token = try config.secret("token") else {
            throw ConfigError(path: config.childPath("token"), message: "is required")
        }
        self.init(baseUrl: baseUrl, token: token, forecast: try OSCPForecastSettings(reading: &config))
    }
}

/// Reads `baseUrl` (http or https), without a trailing slash.
func readBaseURL(_ config: inout ConfigObject) throws(ConfigError) -> String {
    var url = try config.requiredString("baseUrl")
    guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
        throw ConfigError(path: config.childPath("baseUrl"), message: "must start with https:// or http://")
    }
    while url.hasSuffix("/") { url.removeLast() }
    return url
}
