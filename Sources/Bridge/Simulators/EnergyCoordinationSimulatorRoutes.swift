import EnergyCoordination
import Essentials
import FoundationEssentials
import HTTPServer
import WebhookAuth

/// The HTTP routes of `EnergyCoordinationSimulator`.
extension EnergyCoordinationSimulator {
    typealias V = EnergyCoordinationSimulatorValidation

    /// First path segments the stand-in serves; anything else is 404 before authentication.
    static let servedRoots: Set<String> = ["events", "reports", "resources", "subscriptions", "webhooks", "simulation"]
    static let eventPayloadTypes = ["Unknown", "CurrentLevel", "PowerLevel"]
    static let operationTypes = ["Create", "Update", "Delete"]
    static let notificationTypeNames = ["Unknown", "PriceCurveCreated", "UserEligibilityUpdated", "LocationLPCRequested",
                                        "ResourceLPCRequested", "LPCReservationCreated"]

    func respond(_ request: HTTPRequest) -> SimulatorReply {
        let head = request.head
        var path = head.path
        if path.hasPrefix(Self.apiPrefix) { path = String(path.dropFirst(Self.apiPrefix.count)) }
        if path == "/connect/token" {
            guard head.method == "POST" else { return V.problem(405, "Method Not Allowed", "Use POST") }
            return token(request.body)
        }
        let segments = path.split(separator: "/").map { PercentEncoding.decode(String($0)) ?? String($0) }
        guard let first = segments.first, Self.servedRoots.contains(first) else { return V.notFound(path) }
        if faults.rejectSignature { return V.unauthorized("rejecting every token (fault)") }
        guard let value = head.headers["Authorization"], value.hasPrefix("Bearer ") else {
            return V.unauthorized("missing bearer token")
        }
        let presented = String(value.dropFirst(7))
        let valid = state.withLock { state in state.tokens[presented].map { $0 > now() } ?? false }
        guard valid else { return V.unauthorized("unknown or expired token") }

        let method = head.method
        let query = SimulatorQuery(head.query)
        switch first {
        case "events": return events(method, Array(segments.dropFirst()), query)
        case "reports" where segments.count == 1:
            return method == "POST" ? report(request.body) : V.problem(405, "Method Not Allowed", "Use POST")
        case "resources": return resources(method, Array(segments.dropFirst()), query, request.body)
        case "subscriptions": return registrations(.subscription, method, Array(segments.dropFirst()), query, request.body)
        case "webhooks": return registrations(.webhook, method, Array(segments.dropFirst()), query, request.body)
        case "simulation": return simulation(method, Array(segments.dropFirst()), request.body)
        default: return V.notFound(path)
        }
    }

    // MARK: - Token

    private func token(_ body: [UInt8]) -> SimulatorReply {
        let form = SimulatorQuery(String(decoding: body, as: UTF8.self))
        func oauthError(_ code: String, _ description: String) -> SimulatorReply {
            let json = JSON.members([("error", .string(code)), ("error_description", .string(description))])
            return SimulatorReply(.json(status: 400, json.compactText), message: description)
        }
        guard form.value("grant_type") == "client_credentials" else {
            return oauthError("unsupported_grant_type", "only client_credentials is allowed")
        }
        let id = form.value("client_id") ?? ""
        let secret = form.value("client_secret") ?? ""
        guard ConstantTime.equals(Array(id.utf8), Array(settings.clientId.utf8)),
              ConstantTime.equals(Array(secret.utf8), Array(settings.clientSecret.utf8)) else {
            return oauthError("invalid_client", "unknown client or wrong secret")
        }
        let token = "sim-" + UUID().uuidString.lowercased()
        let lifetime = settings.tokenLifetime
        state.withLock { state in
            state.tokens[token] = now().addingTimeInterval(Double(lifetime))
            state.tokenRequests += 1
        }
        let json = JSON.members([("access_token", .string(token)), ("token_type", .string("Bearer")),
                                 ("expires_in", .int(lifetime))])
        return SimulatorReply(.json(json.compactText))
    }

    // MARK: - Events and reports

    private func events(_ method: String, _ rest: [String], _ query: SimulatorQuery) -> SimulatorReply {
        guard method == "GET" else { return V.problem(405, "Method Not Allowed", "Use GET") }
        let all = state.withLock { $0.events }
        if rest.count == 1 {
            guard let event = all.first(where: { $0.id == rest[0] }) else { return V.notFound("event \(rest[0])") }
            return SimulatorReply(.json(event.body.compactText))
        }
        guard rest.isEmpty else { return V.notFound("route") }
        if settings.apiVersion == .v1 && query.value("page") == nil {
            return SimulatorReply(.json(JSON.array(all.map(\.body)).compactText))
        }
        var validation = V()
        let page = query.value("page").map { Int($0) ?? -1 } ?? 1
        let pageSize = query.value("pageSize").map { Int($0) ?? -1 } ?? settings.defaultPageSize
        if page < 1 { validation.add("page", "The page must be a whole number of at least 1.") }
        if pageSize < 1 || pageSize > 500 { validation.add("pageSize", "The pageSize must be from 1 to 500.") }
        if let reply = validation.reply { return reply }
        let totalPages = max(1, (all.count + pageSize - 1) / pageSize)
        let slice = all.dropFirst((page - 1) * pageSize).prefix(pageSize)
        let json = JSON.members([
            ("events", .array(slice.map(\.body))),
            ("pagination", .members([("totalRecords", .int(all.count)), ("pageSize", .int(pageSize)), ("currentPage", .int(page)),
                                     ("totalPages", .int(totalPages)), ("nextPage", page < totalPages ? .int(page + 1) : .null),
                                     ("previousPage", page > 1 ? .int(page - 1) : .null)])),
        ])
        return SimulatorReply(.json(json.compactText))
    }

    private func report(_ body: [UInt8]) -> SimulatorReply {
        let json: JSON
        switch V.object(body) {
        case let .success(value): json = value
        case let .failure(failure): return failure.reply
        }
        let known = Set(state.withLock { $0.events.map(\.id) })
        var validation = V()
        validation.report(json) { known.contains($0) }
        if let reply = validation.reply { return reply }
        let stamp = Timestamp.format(now(), fractional: true)
        let (number, programId) = state.withLock { state -> (Int, JSON?) in
            state.reports.append(json)
            state.nextReport += 1
            let event = state.events.first { $0.id == json["eventId"]?.stringValue }
            return (state.nextReport - 1, event?.body["programId"])
        }
        let isV1 = json["payloads"]?.arrayValue?.first?["payloadType"]?.stringValue == "VehicleChargeAction"
        let answer: JSON = isV1
            ? .members([("id", .string("report-\(number)")), ("eventId", json["eventId"]), ("programId", programId),
                        ("name", json["name"]), ("createdDateTime", .string(stamp)), ("modificationDateTime", .string(stamp))])
            : .members([("id", .string("report-\(number)")), ("eventId", json["eventId"]), ("createdAt", .string(stamp))])
        return SimulatorReply(.json(answer.compactText))
    }

    // MARK: - Resources

    private func resources(_ method: String, _ rest: [String], _ query: SimulatorQuery, _ body: [UInt8]) -> SimulatorReply {
        if rest.isEmpty {
            switch method {
            case "GET":
                return SimulatorReply(.json(JSON.array(state.withLock { $0.resources.map(\.body) }).compactText))
            case "POST":
                return saveResource(nil, body)
            case "PUT", "DELETE":
                guard let id = query.value("resourceId"), !id.isEmpty else {
                    return V.single("resourceId", "The resourceId query parameter is required.")
                }
                return method == "PUT" ? saveResource(id, body) : deleteResource(id)
            default:
                return V.problem(405, "Method Not Allowed", "Use GET, POST, PUT or DELETE")
            }
        }
        guard rest.count == 1 else { return V.notFound("route") }
        let id = rest[0]
        switch method {
        case "GET":
            guard let found = state.withLock({ $0.resources.first { $0.resourceId == id } }) else { return V.notFound("resource \(id)") }
            return SimulatorReply(.json(found.body.compactText))
        case "PUT": return saveResource(id, body)
        case "DELETE": return deleteResource(id)
        default: return V.problem(405, "Method Not Allowed", "Use GET, PUT or DELETE")
        }
    }

    /// Creates (`existing == nil`) or replaces a resource.
    private func saveResource(_ existing: String?, _ body: [UInt8]) -> SimulatorReply {
        let json: JSON
        switch V.object(body) {
        case let .success(value): json = value
        case let .failure(failure): return failure.reply
        }
        var validation = V()
        let resourceId = json["resourceId"]?.stringValue ?? existing ?? ""
        if resourceId.isEmpty { validation.add("resourceId", "The resourceId field is required.") }
        if let existing, !resourceId.isEmpty, resourceId != existing {
            validation.add("resourceId", "The resourceId in the body must match the one in the request.")
        }
        validation.optionalString(json, "userId")
        if let metadata = json["metadata"], !metadata.isNull {
            if case .object = metadata {
                let type = metadata["resourceType"]?.stringValue ?? "Vehicle"
                if !["Vehicle", "Unknown", "HotWaterTank"].contains(type) {
                    validation.add("metadata.resourceType", "Unsupported resourceType '\(type)'.")
                }
                for key in ["brand", "model", "vin"] { validation.optionalString(metadata, key, path: "metadata.\(key)") }
                if let year = metadata["year"], !year.isNull, year.intValue == nil {
                    validation.add("metadata.year", "The year field must be a whole number.")
                }
            } else {
                validation.add("metadata", "The metadata field must be an object.")
            }
        }
        if let reply = validation.reply { return reply }
        return state.withLock { state -> SimulatorReply in
            let index = state.resources.firstIndex { $0.resourceId == resourceId }
            if let existing {
                guard let index else { return V.notFound("resource \(existing)") }
                let sparkId = state.resources[index].body["id"] ?? .string(UUID().uuidString.lowercased())
                let stored = JSON.members([("userId", json["userId"]), ("resourceId", .string(resourceId)),
                                           ("metadata", json["metadata"]), ("id", sparkId)])
                state.resources[index].body = stored
                return SimulatorReply(.json(stored.compactText))
            }
            if index != nil { return V.problem(409, "Conflict", "A resource with resourceId \(resourceId) exists.") }
            let stored = JSON.members([("userId", json["userId"]), ("resourceId", .string(resourceId)),
                                       ("metadata", json["metadata"]), ("id", .string(UUID().uuidString.lowercased()))])
            state.resources.append((resourceId, stored))
            return SimulatorReply(.json(stored.compactText))
        }
    }

    private func deleteResource(_ id: String) -> SimulatorReply {
        let removed = state.withLock { state -> Bool in
            guard let index = state.resources.firstIndex(where: { $0.resourceId == id }) else { return false }
            state.resources.remove(at: index)
            return true
        }
        return removed ? SimulatorReply(HTTPResponse(status: 204)) : V.notFound("resource \(id)")
    }

    // MARK: - Subscriptions (v1) and webhooks (2024)

    private func registrations(_ family: Registration.Family, _ method: String, _ rest: [String], _ query: SimulatorQuery,
                               _ body: [UInt8]) -> SimulatorReply {
        if rest.isEmpty {
            switch method {
            case "GET":
                let list = state.withLock { $0.registrations.filter { $0.family == family } }.map(Self.json)
                return SimulatorReply(.json((family == .subscription ? JSON.array(list) : .members([("webhooks", .array(list))])).compactText))
            case "POST":
                return saveRegistration(family, nil, body, patch: false)
            default:
                return V.problem(405, "Method Not Allowed", "Use GET or POST")
            }
        }
        let id = rest[0]
        if rest.count == 2 && rest[1] == "test" && method == "POST" { return testRegistration(id) }
        if rest.count == 2 && rest[1] == "enabled" && method == "PUT" && family == .webhook {
            guard let flag = query.value("enabled").flatMap(Bool.init) else {
                return V.single("enabled", "The enabled query parameter must be true or false.")
            }
            let found = state.withLock { state -> Bool in
                guard let index = state.registrations.firstIndex(where: { $0.id == id && $0.family == family }) else { return false }
                state.registrations[index].enabled = flag
                return true
            }
            return found ? SimulatorReply(HTTPResponse(status: 204)) : V.notFound("webhook \(id)")
        }
        guard rest.count == 1 else { return V.notFound("route") }
        switch method {
        case "GET":
            guard let found = state.withLock({ $0.registrations.first { $0.id == id && $0.family == family } }) else {
                return V.notFound("registration \(id)")
            }
            return SimulatorReply(.json(Self.json(found).compactText))
        case "PUT": return saveRegistration(family, id, body, patch: false)
        case "PATCH" where family == .webhook: return saveRegistration(family, id, body, patch: true)
        case "DELETE":
            let removed = state.withLock { state -> Bool in
                guard let index = state.registrations.firstIndex(where: { $0.id == id && $0.family == family }) else { return false }
                state.registrations.remove(at: index)
                return true
            }
            return removed ? SimulatorReply(HTTPResponse(status: 204)) : V.notFound("registration \(id)")
        default:
            return V.problem(405, "Method Not Allowed", "Use GET, PUT, PATCH or DELETE")
        }
    }

    private func saveRegistration(_ family: Registration.Family, _ existing: String?, _ body: [UInt8], patch: Bool) -> SimulatorReply {
        let json: JSON
        switch V.object(body) {
        case let .success(value): json = value
        case let .failure(failure): return failure.reply
        }
        var validation = V()
        if !patch || json["webhookUrl"] != nil { validation.requireURL(json, "webhookUrl") }
        validation.optionalString(json, "webhookSecret")
        validation.optionalString(json, "name")
        if family == .subscription {
            validation.enumArray(json, "eventPayloadTypes", allowed: Self.eventPayloadTypes)
            validation.enumArray(json, "operationTypes", allowed: Self.operationTypes)
        } else {
            validation.enumArray(json, "notificationTypes", allowed: Self.notificationTypeNames)
        }
        if let existing, let bodyId = json["id"]?.stringValue, bodyId != existing {
            validation.add("id", "The id in the body must match the one in the path.")
        }
        if let reply = validation.reply { return reply }
        let stamp = now()
        return state.withLock { state -> SimulatorReply in
            var registration: Registration
            var index: Int?
            if let existing {
                index = state.registrations.firstIndex { $0.id == existing && $0.family == family }
                guard let index else { return V.notFound("registration \(existing)") }
                registration = state.registrations[index]
                registration.modifiedAt = stamp
            } else {
                registration = Registration(id: UUID().uuidString.lowercased(), family: family, url: "", secret: nil, name: nil,
                                            eventPayloadTypes: [], operationTypes: [], notificationTypes: [],
                                            createdAt: stamp, modifiedAt: stamp)
            }
            func strings(_ key: String) -> [String]? { json[key].map { $0.arrayValue?.compactMap(\.stringValue) ?? [] } }
            if !patch || json["webhookUrl"] != nil { registration.url = json["webhookUrl"]?.stringValue ?? "" }
            if !patch || json["webhookSecret"] != nil { registration.secret = json["webhookSecret"]?.stringValue }
            if !patch || json["name"] != nil { registration.name = json["name"]?.stringValue }
            if family == .subscription {
                registration.eventPayloadTypes = strings("eventPayloadTypes") ?? []
                registration.operationTypes = strings("operationTypes") ?? []
            } else if !patch || json["notificationTypes"] != nil {
                registration.notificationTypes = strings("notificationTypes") ?? []
            }
            if let index {
                state.registrations[index] = registration
            } else {
                state.registrations.append(registration)
            }
            let status = family == .webhook && existing == nil ? 201 : 200
            return SimulatorReply(.json(status: status, Self.json(registration).compactText))
        }
    }

    private func testRegistration(_ id: String) -> SimulatorReply {
        guard let registration = state.withLock({ $0.registrations.first { $0.id == id } }) else {
            return V.notFound("registration \(id)")
        }
        let notificationId = UUID().uuidString.lowercased()
        let eventId = "test-" + UUID().uuidString.lowercased()
        let stamp = Timestamp.format(now(), fractional: true)
        let body: JSON = registration.family == .subscription
            ? .members([("operationType", .string("Create")), ("subscriptionId", .string(id)), ("notificationId", .string(notificationId)),
                        ("event", .members([("id", .string(eventId)), ("name", .string("Test notification")),
                                            ("payload", .members([("payloadType", .string("Unknown"))]))]))])
            : .members([("notificationId", .string(notificationId)), ("eventId", .string(eventId)),
                        ("eventCreatedAtUtc", .string(stamp)), ("notificationSentUtc", .string(stamp)),
                        ("notificationType", .string("Unknown")), ("payload", .members([("payloadType", .string("Unknown"))]))])
        webhooks.send(body: body, notificationId: notificationId, subscriptionId: id, eventId: eventId, url: registration.url,
                      secret: registration.secret)
        return SimulatorReply(.json(JSON.members([("notificationId", .string(notificationId))]).compactText))
    }

    /// v1 subscriptions show their secret (as the 2023 API did); 2024 webhooks never do.
    static func json(_ registration: Registration) -> JSON {
        switch registration.family {
        case .subscription:
            return .members([("id", .string(registration.id)), ("webhookSecret", registration.secret.map(JSON.string)),
                             ("webhookUrl", .string(registration.url)),
                             ("eventPayloadTypes", .array(registration.eventPayloadTypes.map(JSON.string))),
                             ("operationTypes", .array(registration.operationTypes.map(JSON.string)))])
        case .webhook:
            return .members([("webhookId", .string(registration.id)), ("webhookUrl", .string(registration.url)),
                             ("name", registration.name.map(JSON.string)),
                             ("notificationTypes", .array(registration.notificationTypes.map(JSON.string))),
                             ("enabled", .bool(registration.enabled)), ("status", .string("New")),
                             ("modifiedDate", .string(Timestamp.format(registration.modifiedAt, fractional: true))),
                             ("createdDate", .string(Timestamp.format(registration.createdAt, fractional: true)))])
        }
    }

    // MARK: - Simulation triggers

    /// `POST /simulation/events` with any event or notification body; `POST /simulation/events/lpc/resources`,
    /// `…/lpc/locations`, `…/pricecurve`, `…/usereligibility` with a 2024 payload (or `{payload}`).
    private func simulation(_ method: String, _ rest: [String], _ body: [UInt8]) -> SimulatorReply {
        guard method == "POST" else { return V.problem(405, "Method Not Allowed", "Use POST") }
        guard rest.first == "events" else { return V.notFound("route") }
        let json: JSON
        switch V.object(body) {
        case let .success(value): json = value
        case let .failure(failure): return failure.reply
        }
        let kinds = ["lpc/resources": "ResourceLPC", "lpc/locations": "LocationLPC", "pricecurve": "PriceCurve",
                     "usereligibility": "UserEligibility"]
        var input = json
        if rest.count > 1 {
            guard let payloadType = kinds[rest.dropFirst().joined(separator: "/")] else { return V.notFound("route") }
            guard case let .object(members) = json["payload"] ?? json else { return V.single("payload", "The payload must be an object.") }
            let payload = JSON.object([("payloadType", .string(payloadType))] + members.filter { $0.0 != "payloadType" })
            input = .members([("payload", payload)])
        }
        do {
            let id = try publish(input)
            return SimulatorReply(.json(status: 201, JSON.members([("id", .string(id))]).compactText))
        } catch {
            return V.single("$", "The body is not an event.")
        }
    }
}
