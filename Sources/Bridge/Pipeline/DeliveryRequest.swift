import Essentials
import SmartCharging

/// What the outbox stores for one delivery (`deliveries.request_json`): exactly what will be sent, plus
/// what the tracker and reporter need to know about it.
///
/// Public so `ecbridge-bench plan-events` measures exactly the rows the planning worker writes.
public enum DeliveryRequest {
    public static func json(_ delivery: PlannedDelivery) -> JSON {
        var members = delivery.json.objectValue ?? []
        members.reserveCapacity(members.count + 5)
        members.append(("action", .string(delivery.action)))
        if let id = delivery.chargingProfileId { members.append(("chargingProfileId", .int(id))) }
        if let start = delivery.windowStart { members.append(("windowStart", .string(Timestamp.format(start)))) }
        if let end = delivery.windowEnd { members.append(("windowEnd", .string(Timestamp.format(end)))) }
        if let applied = delivery.applied {
            members.append(("applied", .object([
                ("current", DecimalJSON.number(applied.current)), ("power", DecimalJSON.number(applied.power)),
                ("voltage", DecimalJSON.number(applied.voltage)), ("phases", .int(applied.phases)),
            ])))
        }
        return .object(members)
    }
}
