import Essentials
import FoundationEssentials

/// A GreenFlux smart-charging capacity group whose datetime scenarios ecbridge writes.
///
/// Why its own unit setting: GreenFlux groups run in amps (CAPACITYMANAGEMENTDEFAULT) or in watts
/// (CAPACITYMANAGEMENTDC) and the scenario `capacity` number carries no unit of its own.
public struct GreenFluxTargetSettings: Sendable, Equatable {
    public static let defaultAPIVersion = "1.0"

    public var baseUrl: String
    /// Sent as `Authorization: Token …` at send time only.
    public var token: SecretReference
    public var capacityGroupId: String
    /// Path version segment (`/api/{apiVersion}/smartcharging/…`).
    public var apiVersion: String
    public var electrical: ElectricalConversion
    /// `A` (amps per phase, the default algorithm) or `W` (DC groups).
    public var capacityUnit: ChargingRateUnit
    /// The group's normal capacity in `capacityUnit`, written on Delete; `nil` = Delete is skipped.
    public var defaultCapacity: Decimal?

    public init(baseUrl: String, token: SecretReference, capacityGroupId: String,
                apiVersion: String = defaultAPIVersion,
                electrical: ElectricalConversion = ElectricalConversion(voltage: OCPPTargetSettings.defaultVoltage,
                                                                        phases: OCPPTargetSettings.defaultPhases),
                capacityUnit: ChargingRateUnit = .amps, defaultCapacity: Decimal? = nil) {
        self.baseUrl = baseUrl
        self.token = token
        self.capacityGroupId = capacityGroupId
        self.apiVersion = apiVersion
        self.electrical = electrical
        self.capacityUnit = capacityUnit
        self.defaultCapacity = defaultCapacity
    }

    init(reading config: inout ConfigObject) throws(ConfigError) {
        let baseUrl = try readBaseURL(&config)
        guard let token = try config.secret("token") else {
            throw ConfigError(path: config.childPath("token"), message: "is required")
        }
        guard let group = try config.identifier("capacityGroupId") else {
            throw ConfigError(path: config.childPath("capacityGroupId"), message: "is required")
        }
        let version = try config.string("apiVersion") ?? GreenFluxTargetSettings.defaultAPIVersion
        guard !version.isEmpty, version.allSatisfy({ $0.isNumber || $0 == "." }) else {
            throw ConfigError(path: config.childPath("apiVersion"), message: "must look like 1.0")
        }
        let electrical = try ElectricalConversion(reading: &config)
        let unit = ChargingRateUnit(rawValue: try config.choice("capacityUnit", ChargingRateUnit.allCases.map(\.rawValue)) ?? "A") ?? .amps
        let defaultCapacity = try config.decimal("defaultCapacity")
        if let defaultCapacity, defaultCapacity < 0 {
            throw ConfigError(path: config.childPath("defaultCapacity"), message: "must be ≥ 0, found \(DecimalText.plain(defaultCapacity))")
        }
        self.init(baseUrl: baseUrl, token: token, capacityGroupId: group, apiVersion: version,
                  electrical: electrical, capacityUnit: unit, defaultCapacity: defaultCapacity)
    }
}
