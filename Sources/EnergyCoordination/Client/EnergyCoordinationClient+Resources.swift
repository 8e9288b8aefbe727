import Essentials

/// Resources (vehicles): `GET/POST /resources`, `GET /resources/{id}`; updates and deletes by query
/// parameter in v1 (`/resources?resourceId=`) and by path in 2024 (`/resources/{resourceId}`).
extension EnergyCoordinationClient {
    public func listResources() throws -> [PartnerResource] {
        let json = try sendJSON("GET", "/resources")
        guard let items = json.arrayValue ?? json.first(["resources", "items"])?.arrayValue else {
            throw EnergyCoordinationError(kind: .decoding, operation: "GET /resources", message: "expected a list, got \(json.typeName)")
        }
        var resources: [PartnerResource] = []
        for item in items { resources.append(try PartnerResource(json: item)) }
        return resources
    }

    public func resource(id: String) throws -> PartnerResource {
        try PartnerResource(json: sendJSON("GET", "/resources/" + Self.segment(id)))
    }

    public func createResource(_ draft: ResourceDraft) throws -> PartnerResource {
        let answer = try sendJSON("POST", "/resources", body: draft.body)
        return answer.isNull ? try resource(id: draft.resourceId) : try PartnerResource(json: answer)
    }

    /// Replaces the resource; fields not set in `draft` are kept from the current one.
    public func updateResource(_ draft: ResourceDraft) throws -> PartnerResource {
        let full = draft.filled(from: try resource(id: draft.resourceId))
        let answer: JSON
        switch apiVersion {
        case .v1: answer = try sendJSON("PUT", "/resources", query: [("resourceId", draft.resourceId)], body: full.body)
        case .v2024: answer = try sendJSON("PUT", "/resources/" + Self.segment(draft.resourceId), body: full.body)
        }
        return answer.isNull ? try resource(id: draft.resourceId) : try PartnerResource(json: answer)
    }

    public func deleteResource(id: String) throws {
        switch apiVersion {
        case .v1: _ = try send("DELETE", "/resources", query: [("resourceId", id)])
        case .v2024: _ = try send("DELETE", "/resources/" + Self.segment(id))
        }
    }
}
