import Essentials
import FoundationEssentials

/// How to reach and limit one OCPP charger (or connector / EVSE) through SolarNetwork instructions.
///
/// Why per target: chargers differ in protocol version, accepted rate unit, supply (voltage, phases) and
/// current range, and each of those changes the message ecbridge must send.
public struct OCPPTargetSettings: Sendable, Equatable {
    /// Default base `stackLevel` (documented in the README): above a CSMS baseline profile at 0, and low
    /// enough (base + 9 at most) for chargers whose `ChargeProfileMaxStackLevel` is 10.
    public static let defaultStackLevel = 1
    public static let defaultVoltage: Decimal = 230
    public static let defaultPhases = 3
    public static let defaultMinCurrent: Decimal = 6

    /// SolarNetwork node that manages the charger (instruction `nodeId`).
    public var nodeId: Int
    /// SolarNetwork charger entity id (instruction `chargePointId`), as text.
    public var chargePointId: String
    /// OCPP 1.6 `connectorId` or 2.0.1 `evseId`: 0 = the charger as a whole (ChargePoint/ChargingStation
    /// MaxProfile), > 0 = that connector / EVSE (TxDefaultProfile).
    public var connectorId: Int
    public var ocppVersion: OCPPVersion
    public var rateUnit: ChargingRateUnit
    public var electrical: ElectricalConversion
    /// Amps per phase.
    public var minCurrent: Decimal
    /// Amps per phase.
    public var maxCurrent: Decimal
    /// Total watts, optional extra limit.
    public var maxPower: Decimal?
    public var belowMinimum: BelowMinimumPolicy
    /// Base stack level; event priority adds 0…9 (see `Planner`).
    public var stackLevel: Int
    /// Optional ceiling for the computed stack level (the charger's `ChargeProfileMaxStackLevel`).
    public var maxStackLevel: Int?

    public var purpose: ChargingProfilePurpose { connectorId == 0 ? .chargerMaximum : .transactionDefault }

    public init(nodeId: Int, chargePointId: String, connectorId: Int, ocppVersion: OCPPVersion = .v16,
                rateUnit: ChargingRateUnit = .amps,
                electrical: ElectricalConversion = ElectricalConversion(voltage: defaultVoltage, phases: defaultPhases),
                minCurrent: Decimal = defaultMinCurrent, maxCurrent: Decimal, maxPower: Decimal? = nil,
                belowMinimum: BelowMinimumPolicy = .pause, stackLevel: Int = defaultStackLevel,
                maxStackLevel: Int? = nil) {
        self.nodeId = nodeId
        self.chargePointId = chargePointId
        self.connectorId = connectorId
        self.ocppVersion = ocppVersion
        self.rateUnit = rateUnit
        self.electrical = electrical
        self.minCurrent = minCurrent
        self.maxCurrent = maxCurrent
        self.maxPower = maxPower
        self.belowMinimum = belowMinimum
        self.stackLevel = stackLevel
        self.maxStackLevel = maxStackLevel
    }

    /// Reads the channel-specific keys of one `targets[i]` object.
    init(reading config: inout ConfigObject) throws(ConfigError) {
        guard let nodeId = try config.int("nodeId", range: 1...Int.max) else {
            throw ConfigError(path: config.childPath("nodeId"), message: "is required")
        }
        guard let chargePointId = try config.identifier("chargePointId") else {
            throw ConfigError(path: config.childPath("chargePointId"), message: "is required")
        }
        let version = OCPPVersion(rawValue: try config.choice("ocppVersion", OCPPVersion.allCases.map(\.rawValue)) ?? "1.6") ?? .v16
        let connector = try config.int("connectorId", range: 0...Int(Int32.max))
        let evse = try config.int("evseId", range: 0...Int(Int32.max))
        let unit: Int
        switch (version, connector, evse) {
        case (.v16, _, .some):
            throw ConfigError(path: config.childPath("evseId"), message: "is only used with ocppVersion 2.0.1; use connectorId")
        case (.v16, let c?, nil):
            unit = c
        case (.v16, nil, nil):
            throw ConfigError(path: config.childPath("connectorId"), message: "is required (0 = the whole charger)")
        case (.v201, .some, .some):
            throw ConfigError(path: config.childPath("evseId"), message: "give either evseId or connectorId, not both")
        case (.v201, let c?, nil):
            unit = c
        case (.v201, nil, let e?):
            unit = e
        case (.v201, nil, nil):
            throw ConfigError(path: config.childPath("evseId"), message: "is required (0 = the whole charging station)")
        }
        let rateUnit = ChargingRateUnit(rawValue: try config.choice("rateUnit", ChargingRateUnit.allCases.map(\.rawValue)) ?? "A") ?? .amps
        let electrical = try ElectricalConversion(reading: &config)
        let minCurrent = try config.decimal("minCurrent") ?? OCPPTargetSettings.defaultMinCurrent
        guard minCurrent >= 0 else {
            throw ConfigError(path: config.childPath("minCurrent"), message: "must be ≥ 0, found \(DecimalText.plain(minCurrent))")
        }
        guard let maxCurrent = try config.positiveDecimal("maxCurrent") else {
            throw ConfigError(path: config.childPath("maxCurrent"), message: "is required (amps per phase)")
        }
        guard minCurrent <= maxCurrent else {
            throw ConfigError(path: config.childPath("maxCurrent"),
                              message: "must be ≥ minCurrent (\(DecimalText.plain(minCurrent))), found \(DecimalText.plain(maxCurrent))")
        }
        let maxPower = try config.positiveDecimal("maxPower")
        let policy = BelowMinimumPolicy(rawValue: try config.choice("belowMinimum", BelowMinimumPolicy.allCases.map(\.rawValue)) ?? "pause") ?? .pause
        let stackLevel = try config.int("stackLevel", default: OCPPTargetSettings.defaultStackLevel, range: 0...1000)
        let maxStackLevel = try config.int("maxStackLevel", range: 0...1000)
        if let maxStackLevel, maxStackLevel < stackLevel {
            throw ConfigError(path: config.childPath("maxStackLevel"), message: "must be ≥ stackLevel (\(stackLevel)), found \(maxStackLevel)")
        }
        self.init(nodeId: nodeId, chargePointId: chargePointId, connectorId: unit, ocppVersion: version,
                  rateUnit: rateUnit, electrical: electrical, minCurrent: minCurrent, maxCurrent: maxCurrent,
                  maxPower: maxPower, belowMinimum: policy, stackLevel: stackLevel, maxStackLevel: maxStackLevel)
    }
}

extension ElectricalConversion {
    /// Reads `voltage` (> 0, default 230) and `phases` (1–3, default 3) from a target object.
    init(reading config: inout ConfigObject) throws(ConfigError) {
        let voltage = try config.positiveDecimal("voltage") ?? OCPPTargetSettings.defaultVoltage
        let phases = try config.int("phases", default: OCPPTargetSettings.defaultPhases, range: 1...3)
        self.init(voltage: voltage, phases: phases)
    }
}
