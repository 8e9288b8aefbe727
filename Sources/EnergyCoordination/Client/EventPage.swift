import Essentials

/// One page of `GET /events`: the items as the API sent them (a bare v1 event, or a 2024
/// `{id, createdAt, payload}`) and where the next page is.
///
/// Why raw JSON items: reconciliation feeds them to `NotificationDecoder` exactly like webhook bodies,
/// so there is one decoding path.
public struct EventPage: Sendable, Equatable {
    public var events: [JSON]
    public var currentPage: Int?
    public var totalPages: Int?
    public var totalRecords: Int?
    /// `nil` when this is the last page (always for the v1 plain array).
    public var nextPage: Int?

    public init(events: [JSON], currentPage: Int? = nil, totalPages: Int? = nil, totalRecords: Int? = nil, nextPage: Int? = nil) {
        self.events = events
        self.currentPage = currentPage
        self.totalPages = totalPages
        self.totalRecords = totalRecords
        self.nextPage = nextPage
    }

    /// Reads a plain array (v1) or `{events, pagination}` (2024).
    init(json: JSON) throws(EnergyCoordinationError) {
        if let items = json.arrayValue {
            self.init(events: items)
            return
        }
        guard let items = json.first(["events", "items", "data"])?.arrayValue else {
            throw EnergyCoordinationError(kind: .decoding, operation: "GET /events",
                                          message: "expected an array or {events, pagination}, got \(json.typeName)")
        }
        let pagination = json["pagination"] ?? .null
        self.init(events: items, currentPage: pagination["currentPage"]?.intValue, totalPages: pagination["totalPages"]?.intValue,
                  totalRecords: pagination["totalRecords"]?.intValue, nextPage: pagination["nextPage"]?.intValue)
    }

    /// The id of an event item (`id`, `ID` or `eventId`).
    public static func eventId(of item: JSON) -> String? {
        item.text(["id", "ID", "eventId"])
    }
}
