import EnergyCoordination

/// A Delete that names only the event id must still clear what the event installed. The planner is
/// pure, so the targets come from the event's history: the latest earlier notification of the same event
/// (the inbox in `serve`, earlier files of the same run in `map`).
enum DeleteTargets {
    static func resolve(_ event: CoordinationEvent, previous: CoordinationEvent?) -> CoordinationEvent {
        guard event.operation == .delete, event.targets.isEmpty, let previous else { return event }
        var resolved = event
        resolved.targets = previous.targets
        if resolved.payloadType == "Unknown" { resolved.payloadType = previous.payloadType }
        resolved.notes.append("Delete without targets: targets taken from an earlier notification of this event")
        return resolved
    }
}
