import Essentials
import FoundationEssentials

/// Queue-time checks of `OCPP_v16` / `OCPP_v201` instructions as SolarNetwork makes them
/// (solarnetwork.md §4): a failure does not refuse the request, it creates the instruction already
/// `Declined` with `resultParameters.error` set to one of SolarNetwork's texts.
enum OCPPInstructionCheck {
    static let actions16: Set<String> = [
        "Authorize", "CancelReservation", "ChangeAvailability", "ChangeConfiguration", "ClearCache", "ClearChargingProfile",
        "DataTransfer", "GetCompositeSchedule", "GetConfiguration", "GetDiagnostics", "GetLocalListVersion",
        "RemoteStartTransaction", "RemoteStopTransaction", "ReserveNow", "Reset", "SendLocalList", "SetChargingProfile",
        "TriggerMessage", "UnlockConnector", "UpdateFirmware",
    ]
    static let actions201: Set<String> = [
        "CancelReservation", "ChangeAvailability", "ClearCache", "ClearChargingProfile", "DataTransfer",
        "GetChargingProfiles", "GetCompositeSchedule", "GetVariables", "RequestStartTransaction",
        "RequestStopTransaction", "ReserveNow", "Reset", "SetChargingProfile", "SetVariables", "TriggerMessage",
        "UnlockConnector",
    ]

    /// The charger the instruction is for (when found) and the decline reason (nil = accepted).
    static func check(topic: String, nodeId: Int64, parameters: [(name: String, value: String)],
                      chargers: [SolarNetworkSimulatorSettings.Charger]) -> (charger: SolarNetworkSimulatorSettings.Charger?, error: String?) {
        func parameter(_ name: String) -> String? {
            let values = parameters.filter { $0.name == name }.map(\.value)
            return values.isEmpty ? nil : values.joined()
        }
        guard let action = parameter("action"), !action.isEmpty else { return (nil, "OCPP action parameter missing.") }
        let known = topic == "OCPP_v201" ? actions201 : actions16
        guard known.contains(action) else { return (nil, "Unsupported OCPP action.") }
        let charger: SolarNetworkSimulatorSettings.Charger?
        if let text = parameter("chargePointId"), let id = Int64(text) {
            charger = chargers.first { $0.id == id && $0.nodeId == nodeId }
        } else if let identity = parameter("chargerIdentifier") {
            charger = chargers.first { $0.identifier == identity && $0.nodeId == nodeId }
        } else {
            charger = nil
        }
        guard let charger else { return (nil, "ChargePoint not specified or not available.") }
        guard let msg = parameter("msg") else { return (charger, nil) }
        let message: JSON
        do {
            message = try JSON.parse(Array(msg.utf8))
        } catch {
            return (charger, "Error decoding OCPP action message: \(error.description)")
        }
        guard case .object = message else { return (charger, "Error decoding OCPP action message: $: must be an object") }
        let problem: String?
        switch (topic, action) {
        case ("OCPP_v201", "SetChargingProfile"): problem = setChargingProfile201(message)
        case (_, "SetChargingProfile"): problem = setChargingProfile16(message)
        case (_, "ClearChargingProfile"): problem = optionalInteger(message, "id") ?? optionalInteger(message, "chargingProfileId")
        default: problem = nil
        }
        return (charger, problem.map { "Error decoding OCPP action message: " + $0 })
    }

    // MARK: - Schemas (the parts a bad limit or a missing key would break)

    static func setChargingProfile16(_ m: JSON) -> String? {
        if let p = integer(m, "connectorId", path: "$", minimum: 0) { return p }
        guard let profile = m["csChargingProfiles"], case .object = profile else { return "$.csChargingProfiles: required object" }
        let path = "$.csChargingProfiles"
        if let p = integer(profile, "chargingProfileId", path: path) { return p }
        if let p = integer(profile, "stackLevel", path: path, minimum: 0) { return p }
        if let p = choice(profile, "chargingProfilePurpose", ["ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"], path: path) { return p }
        if let p = choice(profile, "chargingProfileKind", ["Absolute", "Recurring", "Relative"], path: path) { return p }
        guard let schedule = profile["chargingSchedule"], case .object = schedule else { return "\(path).chargingSchedule: required object" }
        return chargingSchedule(schedule, path: "\(path).chargingSchedule")
    }

    static func setChargingProfile201(_ m: JSON) -> String? {
        if let p = integer(m, "evseId", path: "$", minimum: 0) { return p }
        guard let profile = m["chargingProfile"], case .object = profile else { return "$.chargingProfile: required object" }
        let path = "$.chargingProfile"
        if let p = integer(profile, "id", path: path) { return p }
        if let p = integer(profile, "stackLevel", path: path, minimum: 0) { return p }
        if let p = choice(profile, "chargingProfilePurpose",
                          ["ChargingStationExternalConstraints", "ChargingStationMaxProfile", "TxDefaultProfile", "TxProfile"], path: path) { return p }
        if let p = choice(profile, "chargingProfileKind", ["Absolute", "Recurring", "Relative"], path: path) { return p }
        guard let schedules = profile["chargingSchedule"]?.arrayValue, (1 ... 3).contains(schedules.count) else {
            return "\(path).chargingSchedule: required array of 1 to 3 items"
        }
        for (index, schedule) in schedules.enumerated() {
            let itemPath = "\(path).chargingSchedule[\(index)]"
            guard case .object = schedule else { return "\(itemPath): must be an object" }
            if let p = integer(schedule, "id", path: itemPath) { return p }
            if let p = chargingSchedule(schedule, path: itemPath) { return p }
        }
        return nil
    }

    static func chargingSchedule(_ schedule: JSON, path: String) -> String? {
        if let p = choice(schedule, "chargingRateUnit", ["A", "W"], path: path) { return p }
        guard let periods = schedule["chargingSchedulePeriod"]?.arrayValue, !periods.isEmpty else {
            return "\(path).chargingSchedulePeriod: required non-empty array"
        }
        for (index, period) in periods.enumerated() {
            let itemPath = "\(path).chargingSchedulePeriod[\(index)]"
            guard case .object = period else { return "\(itemPath): must be an object" }
            if let p = integer(period, "startPeriod", path: itemPath, minimum: 0) { return p }
            guard let limit = period["limit"] else { return "\(itemPath).limit: required number" }
            if let p = oneFractionDigit(limit, path: "\(itemPath).limit") { return p }
        }
        if let minimum = schedule["minChargingRate"] { return oneFractionDigit(minimum, path: "\(path).minChargingRate") }
        return nil
    }

    /// OCPP's `multipleOf 0.1`, checked on the decimal text (value × 10 is an integer).
    static func oneFractionDigit(_ value: JSON, path: String) -> String? {
        guard let decimal = value.decimalValue else { return "\(path): must be a number" }
        let tenfold = decimal * 10
        guard tenfold == tenfold.rounded(scale: 0, mode: .down) else { return "\(path): must be a multiple of 0.1" }
        return nil
    }

    static func integer(_ object: JSON, _ key: String, path: String, minimum: Int? = nil) -> String? {
        guard let value = object[key] else { return "\(path).\(key): required integer" }
        guard let number = value.intValue else { return "\(path).\(key): must be an integer" }
        if let minimum, number < minimum { return "\(path).\(key): must be >= \(minimum)" }
        return nil
    }

    static func optionalInteger(_ object: JSON, _ key: String) -> String? {
        guard let value = object[key] else { return nil }
        return value.intValue == nil ? "$.\(key): must be an integer" : nil
    }

    static func choice(_ object: JSON, _ key: String, _ allowed: [String], path: String) -> String? {
        guard let value = object[key]?.stringValue else { return "\(path).\(key): required string" }
        return allowed.contains(value) ? nil : "\(path).\(key): must be one of \(allowed.joined(separator: ", "))"
    }
}
