import Essentials

/// Queue-time checks of `OSCP_v20` instructions, in SolarNetwork's order and with its texts
/// (solarnetwork.md §5). A failure creates the instruction already `Declined`.
enum OSCPInstructionCheck {
    /// Actions SolarNetwork's sender knows; `UpdateGroupCapacityForecast` passes the queue checks but ends
    /// `Declined` when sent.
    static let sendable: Set<String> = [
        "AdjustGroupCapacityForecast", "GroupCapacityComplianceError", "Handshake", "UpdateAssetMeasurement",
        "UpdateGroupMeasurements",
    ]

    static func check(parameters: [(name: String, value: String)], settings: SolarNetworkSimulatorSettings) -> String? {
        func parameter(_ name: String) -> String? {
            let values = parameters.filter { $0.name == name }.map(\.value)
            return values.isEmpty ? nil : values.joined()
        }
        guard !parameters.isEmpty else { return "Missing OSCP parameters" }
        guard let action = parameter("action"), !action.isEmpty else { return "Missing OSCP action" }
        guard let coText = parameter("coId"), !coText.isEmpty else { return "Missing capacity optimizer ID" }
        guard let coId = Int64(coText) else { return "Invalid capacity optimizer ID" }
        guard let group = parameter("cgIdentifier"), !group.isEmpty else { return "Missing group identifier" }
        guard settings.capacityOptimizers.contains(where: { $0.configId == coId && $0.enabled }) else {
            return "Unknown capacity optimizer"
        }
        guard settings.capacityGroups.contains(where: { $0.identifier == group && $0.enabled && $0.capacityOptimizerId == coId }) else {
            return "Unknown group identifier"
        }
        let message: JSON
        do {
            message = try JSON.parse(Array((parameter("msg") ?? "").utf8))
        } catch {
            return "Invalid JSON for [\(action)] OSCP action: \(error.description)"
        }
        guard case .object = message else { return "JSON schema validation error on [\(action)] OSCP action: $: must be an object" }
        if action == "AdjustGroupCapacityForecast" || action == "UpdateGroupCapacityForecast" {
            if let problem = OSCPForecastValidation.problem(in: message) {
                return "JSON schema validation error on [\(action)] OSCP action: \(problem)"
            }
        }
        if action == "AdjustGroupCapacityForecast", message["group_id"]?.stringValue != group {
            return "The AdjustGroupCapacityForecast message group_identifier must match the instruction cgIdentifier parameter"
        }
        return nil
    }
}
