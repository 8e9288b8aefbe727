import Essentials
import Foundation

/// A minimal embedded copy of the OCPP 1.6 JSON Schema rules for the messages ecbridge sends
/// (source: mobilityhouse/ocpp `ocpp/v16/schemas/SetChargingProfile.json` and `ClearChargingProfile.json`,
/// OCA schema release 2019-12-05, as copied to the project's reference schemas). `multipleOf 0.1` is
/// checked on the exact decimal text (value × 10 is an integer), as the spec intends.
///
/// Why embedded: `swift test` alone must catch a message that would be rejected, without Python or files.
indirect enum SchemaRule: Sendable {
    case object(required: [String], properties: [String: SchemaRule])
    case integer
    case number(multipleOfTenth: Bool)
    case enumeration([String])
    case dateTime
    case array(SchemaRule, minItems: Int)

    /// Returns the violations (path: problem); empty when valid.
    func violations(_ value: JSON, path: String = "$") -> [String] {
        switch self {
        case let .object(required, properties):
            guard case let .object(members) = value else { return ["\(path): expected object"] }
            var problems = required.filter { value[$0] == nil }.map { "\(path): missing \($0)" }
            for (key, member) in members {
                guard let rule = properties[key] else { problems.append("\(path): additional property \(key)"); continue }
                problems += rule.violations(member, path: "\(path).\(key)")
            }
            return problems
        case .integer:
            guard case let .number(text) = value, Int(text) != nil else { return ["\(path): expected integer"] }
            return []
        case let .number(tenth):
            guard let d = value.decimalValue else { return ["\(path): expected number"] }
            if tenth {
                let tenfold = d * 10
                if tenfold != tenfold.rounded(scale: 0, mode: .down) { return ["\(path): not a multiple of 0.1"] }
            }
            return []
        case let .enumeration(allowed):
            guard let s = value.stringValue, allowed.contains(s) else { return ["\(path): not one of \(allowed)"] }
            return []
        case .dateTime:
            guard let s = value.stringValue, Timestamp.parse(s) != nil else { return ["\(path): expected date-time"] }
            return []
        case let .array(item, minItems):
            guard let items = value.arrayValue else { return ["\(path): expected array"] }
            var problems = items.count < minItems ? ["\(path): fewer than \(minItems) items"] : []
            for (i, element) in items.enumerated() { problems += item.violations(element, path: "\(path)[\(i)]") }
            return problems
        }
    }

    static let purposes = ["ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"]

    static let setChargingProfile16 = SchemaRule.object(required: ["connectorId", "csChargingProfiles"], properties: [
        "connectorId": .integer,
        "csChargingProfiles": .object(
            required: ["chargingProfileId", "stackLevel", "chargingProfilePurpose", "chargingProfileKind", "chargingSchedule"],
            properties: [
                "chargingProfileId": .integer, "transactionId": .integer, "stackLevel": .integer,
                "chargingProfilePurpose": .enumeration(purposes),
                "chargingProfileKind": .enumeration(["Absolute", "Recurring", "Relative"]),
                "recurrencyKind": .enumeration(["Daily", "Weekly"]),
                "validFrom": .dateTime, "validTo": .dateTime,
                "chargingSchedule": .object(required: ["chargingRateUnit", "chargingSchedulePeriod"], properties: [
                    "duration": .integer, "startSchedule": .dateTime, "chargingRateUnit": .enumeration(["A", "W"]),
                    "chargingSchedulePeriod": .array(.object(required: ["startPeriod", "limit"], properties: [
                        "startPeriod": .integer, "limit": .number(multipleOfTenth: true), "numberPhases": .integer,
                    ]), minItems: 0),
                    "minChargingRate": .number(multipleOfTenth: true),
                ]),
            ]),
    ])

    static let clearChargingProfile16 = SchemaRule.object(required: [], properties: [
        "id": .integer, "connectorId": .integer, "chargingProfilePurpose": .enumeration(purposes), "stackLevel": .integer,
    ])

    /// The rules for an instruction's action, or nil for actions not embedded.
    static func ocpp16(action: String) -> SchemaRule? {
        switch action {
        case "SetChargingProfile": return setChargingProfile16
        case "ClearChargingProfile": return clearChargingProfile16
        default: return nil
        }
    }
}
