/// OCPP protocol versions ecbridge can address through SolarNetwork; the raw value is the config spelling.
public enum OCPPVersion: String, Sendable, CaseIterable, Equatable {
    case v16 = "1.6"
    case v201 = "2.0.1"

    /// The SolarNetwork instruction topic for this version.
    public var instructionTopic: String {
        switch self {
        case .v16: return "OCPP_v16"
        case .v201: return "OCPP_v201"
        }
    }
}

/// OCPP `chargingRateUnit`: amps per phase or total watts (OCPP 1.6 §7.12).
public enum ChargingRateUnit: String, Sendable, CaseIterable, Equatable {
    case amps = "A"
    case watts = "W"
}

/// OCPP `chargingProfilePurpose` values ecbridge sends (never TxProfile: it needs a running transaction;
/// never ChargingStationExternalConstraints: a CSMS must not send it, K01.FR.22).
public enum ChargingProfilePurpose: Sendable, Equatable {
    /// A cap for the charger as a whole (connector / EVSE 0).
    case chargerMaximum
    /// The default cap of one connector / EVSE.
    case transactionDefault

    public func wireName(_ version: OCPPVersion) -> String {
        switch (self, version) {
        case (.chargerMaximum, .v16): return "ChargePointMaxProfile"
        case (.chargerMaximum, .v201): return "ChargingStationMaxProfile"
        case (.transactionDefault, _): return "TxDefaultProfile"
        }
    }
}

/// What to do with a positive cap below the EV's minimum charging current (IEC 61851: 6 A).
public enum BelowMinimumPolicy: String, Sendable, CaseIterable, Equatable {
    /// Send 0: charging pauses (the cap is never exceeded). The default.
    case pause
    /// Raise to the minimum current: charging continues slowly, exceeding the cap a little.
    case minimum
}
