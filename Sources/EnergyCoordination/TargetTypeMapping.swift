/// Which target identifier a `targetType` (ec-v1 June draft) or OpenADR 3.0 `valuesMap.type` names.
///
/// Why one table: both dialects use free-text type names for the same three identifiers the target
/// registry matches on (`resourceId`, `locationId`, `meterPointId`). Matching ignores case, `_` and `-`.
enum TargetKind: Sendable, Equatable {
    case resource
    case location
    case meterPoint

    /// Accepted spellings after lower-casing and removing `_`/`-`.
    static let spellings: [String: TargetKind] = [
        "vehicle": .resource, "resource": .resource, "resourcename": .resource, "resourceid": .resource,
        "location": .location, "locationid": .location, "powerservicelocation": .location,
        "meterpoint": .meterPoint, "meterpointid": .meterPoint, "meteringpoint": .meterPoint,
        "ean": .meterPoint, "ean18": .meterPoint,
    ]

    init?(targetType: String) {
        var key = ""
        for character in targetType.lowercased() where character != "_" && character != "-" {
            key.append(character)
        }
        guard let kind = TargetKind.spellings[key] else { return nil }
        self = kind
    }

    func target(_ value: String) -> EventTarget {
        switch self {
        case .resource: return EventTarget(resourceId: value)
        case .location: return EventTarget(locationId: value)
        case .meterPoint: return EventTarget(meterPointId: value)
        }
    }
}

extension FieldReader {
    /// `[{targetType|type, values: [string]}]`: one target per value; unknown types are skipped with a note.
    func typedTargetList(typeKeys: [String]) throws(DecodeError) -> (targets: [EventTarget], notes: [String]) {
        try FieldReader.typedTargets(try array(), typeKeys: typeKeys)
    }

    /// The same for items already taken from an array (OpenADR 3.0 `valuesMap` entries).
    static func typedTargets(_ items: [FieldReader],
                             typeKeys: [String]) throws(DecodeError) -> (targets: [EventTarget], notes: [String]) {
        var targets: [EventTarget] = []
        var notes: [String] = []
        for item in items {
            _ = try item.object()
            let typeField = try item.required(anyOf: typeKeys)
            let type = try typeField.string()
            let values = try item.optional("values")?.array() ?? []
            guard let kind = TargetKind(targetType: type) else {
                notes.append("\(item.path): target type \(DecodeError.snippet(type)) is not a resource, location "
                    + "or meter point; skipped")
                continue
            }
            for value in values {
                targets.append(kind.target(try value.identifier()))
            }
        }
        return (targets, notes)
    }
}
