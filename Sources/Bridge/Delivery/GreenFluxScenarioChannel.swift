import Essentials
import FoundationEssentials

/// Writes a GreenFlux capacity group's datetime scenarios (greenflux-ocpi.md §4–§5).
///
/// Why GET, merge, PUT: the PUT replaces the group's whole list, so the channel reads the current list,
/// drops expired entries and those overlapping this delivery's window, adds the delivery's entries and
/// writes the full list back. Repeating the exchange gives the same list, so a retry after a lost answer
/// is harmless. Entries whose times cannot be read are kept untouched.
struct GreenFluxScenarioChannel: Sendable {
    let exchange: DirectHTTPExchange

    func send(_ request: StoredDeliveryRequest, token: String?, now: Date) -> ChannelAttempt {
        guard let token else {
            return ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: "no token configured for this GreenFlux target", result: nil))
        }
        guard let text = request.url, let url = URL(string: text) else {
            return ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: "stored request has no valid url", result: nil))
        }
        guard let entries = request.body.arrayValue else {
            return ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: "stored GreenFlux body is not a scenario list", result: nil))
        }
        let authorization = ("Authorization", "Token \(token)")
        let read = exchange.send(method: "GET", url: url, headers: [authorization, ("Accept", "application/json")],
                                 body: nil, now: now, accept: { (200...299).contains($0) })
        if let failure = read.failure {
            return ChannelAttempt(httpStatus: read.response?.status, latency: read.latency, result: Self.prefixed("reading scenarios", failure))
        }
        let current: [JSON]
        do {
            current = try Self.scenarioList(read.response?.body ?? [])
        } catch {
            return ChannelAttempt(httpStatus: read.response?.status, latency: read.latency,
                                  result: .permanent(reason: "reading scenarios: \(error.description)", result: nil))
        }
        let merged = Self.merge(current: current, adding: entries, windowStart: request.windowStart,
                                windowEnd: request.windowEnd, now: now)
        let body = JSON.array(merged).compactText
        let write = exchange.send(method: request.method, url: url,
                                  headers: [authorization, ("Content-Type", "application/json"), ("Accept", "application/json")],
                                  body: Array(body.utf8), now: now, accept: { (200...299).contains($0) })
        let latency = read.latency + write.latency
        if let failure = write.failure {
            return ChannelAttempt(httpStatus: write.response?.status, latency: latency, result: Self.prefixed("writing scenarios", failure))
        }
        return ChannelAttempt(httpStatus: write.response?.status, latency: latency, result: .done(result: body))
    }

    /// The GET answer: a JSON array (an empty body is an empty list; `{"data": […]}` is accepted too).
    static func scenarioList(_ body: [UInt8]) throws(DeliveryError) -> [JSON] {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [] }
        let json: JSON
        do {
            json = try JSON.parse(body)
        } catch {
            throw DeliveryError("answer is not JSON: \(error.description)")
        }
        if let items = json.arrayValue ?? json["data"]?.arrayValue { return items }
        if json.isNull || json["data"]?.isNull == true { return [] }
        throw DeliveryError("expected a JSON array of scenarios, found \(json.typeName)")
    }

    /// Keeps current entries that are neither expired nor overlapping the window, adds `adding`, sorts by start.
    static func merge(current: [JSON], adding: [JSON], windowStart: Date?, windowEnd: Date?, now: Date) -> [JSON] {
        let starts = adding.compactMap { start($0) }
        let ends = adding.compactMap { end($0) }
        let from = windowStart ?? starts.min()
        let until = windowEnd ?? ends.max()
        var kept: [JSON] = []
        for entry in current {
            guard let entryStart = start(entry), let entryEnd = end(entry) else {
                kept.append(entry)
                continue
            }
            if entryEnd <= now { continue }
            if let from, let until, entryStart < until, entryEnd > from { continue }
            if let from, until == nil, entryEnd > from { continue }
            kept.append(entry)
        }
        let all = kept + adding
        return all.enumerated().sorted { a, b in
            switch (start(a.element), start(b.element)) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    static func start(_ entry: JSON) -> Date? { entry["start_date_time"]?.stringValue.flatMap { Timestamp.parse($0) } }
    static func end(_ entry: JSON) -> Date? { entry["end_date_time"]?.stringValue.flatMap { Timestamp.parse($0) } }

    static func prefixed(_ step: String, _ result: ChannelAttempt.Result) -> ChannelAttempt.Result {
        switch result {
        case let .transient(reason, retryAfter): return .transient(reason: "\(step): \(reason)", retryAfter: retryAfter)
        case let .permanent(reason, stored): return .permanent(reason: "\(step): \(reason)", result: stored)
        default: return result
        }
    }
}
