import Essentials

/// Events and reports.
extension EnergyCoordinationClient {
    /// One page of events: v1 `GET /events` (a plain array, one page); 2024 `GET /events?page=&pageSize=`.
    public func events(page: Int = 1) throws -> EventPage {
        switch apiVersion {
        case .v1:
            return try EventPage(json: sendJSON("GET", "/events"))
        case .v2024:
            return try EventPage(json: sendJSON("GET", "/events", query: [("page", String(page)),
                                                                          ("pageSize", String(configuration.eventsPageSize))]))
        }
    }

    /// Every event, following `pagination.nextPage` (at most `maxEventPages` pages).
    public func allEvents() throws -> [JSON] {
        var page = 1
        var items: [JSON] = []
        var seenPages: Set<Int> = []
        while seenPages.insert(page).inserted && seenPages.count <= configuration.maxEventPages {
            let answer = try events(page: page)
            items += answer.events
            guard let next = answer.nextPage, next > page, !answer.events.isEmpty else { break }
            page = next
        }
        return items
    }

    /// One event as the API returns it (bare v1 event or 2024 `{id, createdAt, payload}`).
    public func event(id: String) throws -> JSON {
        try sendJSON("GET", "/events/" + Self.segment(id))
    }

    /// `POST /reports` with a report the caller built (v1 `VehicleChargeAction` payloads, 2024
    /// acknowledgements); returns the answer (`{id, eventId, …}`).
    @discardableResult
    public func postReport(_ report: JSON) throws -> JSON {
        try sendJSON("POST", "/reports", body: report)
    }
}
