import Essentials
import FoundationEssentials
import SmartCharging

/// The checks of OSCP 2.0's Update/AdjustGroupCapacityForecast schema (ocpp-oscp.md §4.4) plus the
/// partner expectation `start_time < end_time`, shared by the OSCP stand-in (400 on failure) and the
/// SolarNetwork stand-in's `OSCP_v20` instructions (Declined on failure). Returns the first problem, as
/// `<json path>: <what is wrong>`, or nil.
enum OSCPForecastValidation {
    static func problem(in message: JSON) -> String? {
        guard case .object = message else { return "$: must be an object" }
        guard message["group_id"]?.stringValue?.isEmpty == false else { return "$.group_id: required non-empty string" }
        guard let type = message["type"]?.stringValue else { return "$.type: required string" }
        guard CapacityForecastType(rawValue: type) != nil else {
            return "$.type: must be one of " + CapacityForecastType.allCases.map(\.rawValue).joined(separator: ", ")
        }
        guard let blocks = message["forecasted_blocks"]?.arrayValue else { return "$.forecasted_blocks: required array" }
        guard !blocks.isEmpty else { return "$.forecasted_blocks: must have at least 1 item" }
        for (index, block) in blocks.enumerated() {
            let path = "$.forecasted_blocks[\(index)]"
            guard case .object = block else { return "\(path): must be an object" }
            guard let capacity = block["capacity"]?.decimalValue else { return "\(path).capacity: required number" }
            guard capacity >= 0 else { return "\(path).capacity: must be >= 0" }
            guard let phase = block["phase"]?.stringValue else { return "\(path).phase: required string" }
            guard PhaseIndicator(rawValue: phase) != nil else {
                return "\(path).phase: must be one of " + PhaseIndicator.allCases.map(\.rawValue).joined(separator: ", ")
            }
            guard let unit = block["unit"]?.stringValue else { return "\(path).unit: required string" }
            guard ForecastedBlockUnit(rawValue: unit) != nil else {
                return "\(path).unit: must be one of " + ForecastedBlockUnit.allCases.map(\.rawValue).joined(separator: ", ")
            }
            guard let startText = block["start_time"]?.stringValue else { return "\(path).start_time: required string" }
            guard let start = rfc3339(startText) else { return "\(path).start_time: not an RFC 3339 date-time" }
            guard let endText = block["end_time"]?.stringValue else { return "\(path).end_time: required string" }
            guard let end = rfc3339(endText) else { return "\(path).end_time: not an RFC 3339 date-time" }
            guard start < end else { return "\(path): start_time must be before end_time" }
        }
        return nil
    }

    /// RFC 3339 `date-time`: a `T` (or `t`) separator and a zone are required.
    static func rfc3339(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count > 10, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else { return nil }
        return Timestamp.parse(text)
    }
}
