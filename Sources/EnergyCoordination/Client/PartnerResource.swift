import Essentials

/// A resource (a vehicle) registered with Spark: `{id, userId, resourceId, metadata}` where `metadata`
/// is `VehicleResourceMetadata {resourceType, brand, model, year, vin}` (energy-coordination.md §3.5).
///
/// Why: Spark only sends events for resources it knows; ecbridge's own target registry does the mapping.
public struct PartnerResource: Sendable, Equatable {
    /// Spark's own id (absent before creation).
    public var id: String?
    public var userId: String?
    public var resourceId: String
    public var metadata: JSON
    public var raw: JSON

    public init(json: JSON) throws(EnergyCoordinationError) {
        guard case .object = json, let resourceId = json.text(["resourceId", "resourceID"]) ?? json.text(["id", "ID"]) else {
            throw EnergyCoordinationError(kind: .decoding, operation: "resource", message: "expected an object with a resourceId")
        }
        self.resourceId = resourceId
        id = json.text(["id", "ID"])
        userId = json.text(["userId", "userID"])
        metadata = json["metadata"] ?? .null
        raw = json
    }

    public var resourceType: String? { metadata.text(["resourceType"]) }
    public var vin: String? { metadata.text(["vin", "VIN"]) }
    public var brand: String? { metadata.text(["brand"]) }
    public var model: String? { metadata.text(["model"]) }
    public var year: String? { metadata.text(["year"]) }
}

/// A vehicle to register or change. `nil` fields are taken from the current resource on update.
public struct ResourceDraft: Sendable, Equatable {
    public var resourceId: String
    public var userId: String?
    public var vin: String?
    public var brand: String?
    public var model: String?
    public var year: Int?

    public init(resourceId: String, userId: String? = nil, vin: String? = nil, brand: String? = nil,
                model: String? = nil, year: Int? = nil) {
        self.resourceId = resourceId
        self.userId = userId
        self.vin = vin
        self.brand = brand
        self.model = model
        self.year = year
    }

    /// `{userId, resourceId, metadata: {resourceType: "Vehicle", brand, model, year, vin}}`.
    var body: JSON {
        .members([
            ("userId", userId.map(JSON.string)), ("resourceId", .string(resourceId)),
            ("metadata", .members([("resourceType", .string("Vehicle")), ("brand", brand.map(JSON.string)),
                                   ("model", model.map(JSON.string)), ("year", year.map { JSON.int($0) }),
                                   ("vin", vin.map(JSON.string))])),
        ])
    }

    /// This draft with unset fields taken from `current`.
    func filled(from current: PartnerResource) -> ResourceDraft {
        var draft = self
        if draft.userId == nil { draft.userId = current.userId }
        if draft.vin == nil { draft.vin = current.vin }
        if draft.brand == nil { draft.brand = current.brand }
        if draft.model == nil { draft.model = current.model }
        if draft.year == nil { draft.year = current.year.flatMap { Int($0) } }
        return draft
    }
}
