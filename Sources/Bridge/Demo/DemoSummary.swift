import BridgeStore
import EnergyCoordination
import Essentials
import FoundationEssentials

/// The readable end-of-demo account: per event, what was planned, how each delivery ended and what was
/// reported; plus the list of problems that make the demo fail.
struct DemoSummary {
    var lines: [String] = []
    var problems: [String] = []
    var deliveriesDone = 0
    var reportsPosted = 0

    init(store: BridgeStore, decodeOptions: DecodeOptions) throws {
        let rows = try store.inbox(limit: 1_000, offset: 0, state: nil).reversed()
        let reports = try store.reports(limit: 1_000)
        for row in rows {
            let event = (try? StoredEvent.of(row, options: decodeOptions))?.json ?? .null
            let name = event["name"]?.stringValue.map { " \"\($0)\"" } ?? ""
            lines.append("● \(row.dialect ?? "?") \(row.operation ?? "?") \(row.payloadType ?? "?") — event \(row.eventId ?? "?")\(name) [inbox \(row.id): \(row.state)]")
            if row.state == "ignored" {
                lines.append("    stored, not mapped (payload type \(row.payloadType ?? "?"))")
                continue
            }
            if row.state != "planned" { problems.append("inbox \(row.id) is \(row.state)") }
            for delivery in try store.deliveries(inboxId: row.id) {
                let request = (try? JSON.parse(delivery.requestJSON)) ?? .null
                let result = delivery.resultJSON.flatMap { try? JSON.parse($0) }
                var detail = delivery.state
                if let instruction = delivery.externalId {
                    detail += " (instruction \(instruction)"
                    if let status = result?["resultParameters"]?["status"]?.stringValue ?? result?["status"]?.stringValue {
                        detail += ", charger answered \(status)"
                    }
                    detail += ")"
                }
                if let error = delivery.lastError, delivery.state != "done" { detail += " — \(error)" }
                let target = delivery.targetKey.padded(toLength: 20)
                let channel = delivery.channel.padded(toLength: 18)
                let action = (request["action"]?.stringValue ?? "?").padded(toLength: 28)
                lines.append("    \(target)\(channel)\(action)\(detail)")
                switch delivery.state {
                case "done": deliveriesDone += 1
                case "superseded": break
                default: problems.append("delivery \(delivery.id) (\(delivery.targetKey)) ended \(delivery.state)")
                }
            }
            for skipped in Self.skipped(row.planJSON) { lines.append("    skipped \(skipped)") }
            guard let report = reports.first(where: { $0.inboxId == row.id }) else {
                problems.append("inbox \(row.id) has no report decision")
                continue
            }
            switch report.state {
            case "done":
                reportsPosted += 1
                lines.append("    report posted: \(Self.describe(report.requestJSON))")
            case "not-needed":
                lines.append("    no report: \(report.lastError ?? "nothing to report")")
            default:
                problems.append("report \(report.id) is \(report.state)\(report.lastError.map { ": \($0)" } ?? "")")
            }
        }
    }

    static func skipped(_ planJSON: String?) -> [String] {
        guard let text = planJSON, let plan = try? JSON.parse(text), let items = plan["skipped"]?.arrayValue else { return [] }
        return items.map { item in
            let id = item["resourceId"]?.stringValue ?? item["locationId"]?.stringValue ?? item["meterPointId"]?.stringValue ?? "-"
            return "\(id): \(item["reason"]?.stringValue ?? "")"
        }
    }

    /// One line per report: the vehicle actions or the acknowledged/declined counts.
    static func describe(_ requestJSON: String) -> String {
        guard let report = try? JSON.parse(requestJSON), let payloads = report["payloads"]?.arrayValue else { return "?" }
        return payloads.map { payload -> String in
            let type = payload["payloadType"]?.stringValue ?? "?"
            if type == "VehicleChargeAction" {
                var text = "\(payload["resourceId"]?.stringValue ?? "?") \(payload["actionType"]?.stringValue ?? "?")"
                if let current = payload["current"]?.decimalValue { text += " \(DecimalText.plain(current)) A" }
                if let power = payload["power"]?.decimalValue { text += " / \(DecimalText.plain(power)) W" }
                return text
            }
            let acknowledged = payload["acknowledgedTargets"]?.arrayValue?.count ?? 0
            let declined = payload["declinedTargets"]?.arrayValue?.count ?? 0
            return "\(type): \(acknowledged) acknowledged, \(declined) declined"
        }.joined(separator: "; ")
    }
}
