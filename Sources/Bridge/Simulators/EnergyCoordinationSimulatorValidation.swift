import Essentials
import FoundationEssentials
import HTTPServer

/// Validation in the stand-in, answered as ASP.NET does: `application/problem+json`
/// `HttpValidationProblemDetails` (`{type, title, status, errors: {field: [message]}, traceId}`) for 400,
/// an empty body for 404, and `WWW-Authenticate: Bearer` with an empty body for 401.
struct EnergyCoordinationSimulatorValidation {
    private(set) var errors: [(String, [String])] = []

    var isEmpty: Bool { errors.isEmpty }

    mutating func add(_ field: String, _ message: String) {
        if let index = errors.firstIndex(where: { $0.0 == field }) {
            errors[index].1.append(message)
        } else {
            errors.append((field, [message]))
        }
    }

    /// The 400 answer, or nil when nothing was wrong.
    var reply: SimulatorReply? {
        guard !errors.isEmpty else { return nil }
        let body = JSON.members([
            ("type", .string("https://tools.ietf.org/html/rfc9110#section-15.5.1")),
            ("title", .string("One or more validation errors occurred.")), ("status", .int(400)),
            ("errors", .object(errors.map { ($0.0, .array($0.1.map(JSON.string))) })),
            ("traceId", .string("00-" + UUID().uuidString.replacingLiteral("-", with: "").lowercased() + "-01")),
        ])
        let summary = errors.map { "\($0.0): \($0.1.joined(separator: ", "))" }.joined(separator: "; ")
        return SimulatorReply(.json(status: 400, body.compactText, headers: ["Content-Type": "application/problem+json"]),
                              message: summary)
    }

    static func single(_ field: String, _ message: String) -> SimulatorReply {
        var validation = EnergyCoordinationSimulatorValidation()
        validation.add(field, message)
        return validation.reply ?? problem(400, "Bad Request", message)
    }

    /// A plain problem document (`{type, title, status, detail}`).
    static func problem(_ status: Int, _ title: String, _ detail: String) -> SimulatorReply {
        SimulatorReply(.problem(status: status, title: title, detail: detail), message: detail)
    }

    static func notFound(_ what: String) -> SimulatorReply {
        SimulatorReply(HTTPResponse(status: 404), message: "\(what) not found")
    }

    static func unauthorized(_ reason: String) -> SimulatorReply {
        SimulatorReply(HTTPResponse(status: 401, headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""]), message: reason)
    }

    /// Parses a JSON object body or answers 400.
    static func object(_ body: [UInt8]) -> Result<JSON, SimulatorErrorReply> {
        guard let json = try? JSON.parse(body), case .object = json else {
            return .failure(SimulatorErrorReply(reply: single("$", "The request body must be a JSON object.")))
        }
        return .success(json)
    }

    // MARK: - Field rules

    mutating func requireURL(_ json: JSON, _ key: String) {
        guard let text = json[key]?.stringValue, !text.isEmpty else {
            add(key, "The \(key) field is required.")
            return
        }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil else {
            add(key, "The \(key) field must be an absolute http or https URL.")
            return
        }
    }

    mutating func enumArray(_ json: JSON, _ key: String, allowed: [String]) {
        guard let value = json[key], !value.isNull else { return }
        guard let items = value.arrayValue else {
            add(key, "The \(key) field must be an array.")
            return
        }
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue, allowed.contains(text) else {
                add("\(key)[\(index)]", "The value is not valid; expected one of \(allowed.joined(separator: ", ")).")
                continue
            }
        }
    }

    mutating func optionalString(_ json: JSON, _ key: String, path: String? = nil) {
        guard let value = json[key], !value.isNull else { return }
        if value.stringValue == nil { add(path ?? key, "The \(key) field must be a string.") }
    }

    // MARK: - Reports

    static let v1ReportPayloadTypes = ["VehicleChargeAction"]
    static let acknowledgementPayloadTypes = ["ResourceLPCAcknowledgement", "LocationLPCAcknowledgement"]

    /// v1 `{eventId, name, payloads: [VehicleChargeAction…]}` or 2024 `{eventId, payloads: [acknowledgement…]}`.
    mutating func report(_ json: JSON, knownEvent: (String) -> Bool) {
        if let eventId = json["eventId"]?.stringValue, !eventId.isEmpty {
            if !knownEvent(eventId) { add("eventId", "No event with id \(eventId).") }
        } else {
            add("eventId", "The eventId field is required.")
        }
        optionalString(json, "name")
        guard let payloads = json["payloads"]?.arrayValue, !payloads.isEmpty else {
            add("payloads", "The payloads field is required and must not be empty.")
            return
        }
        for (index, payload) in payloads.enumerated() {
            let path = "payloads[\(index)]"
            let type = payload["payloadType"]?.stringValue ?? ""
            if Self.v1ReportPayloadTypes.contains(type) {
                vehicleChargeAction(payload, path: path)
            } else if Self.acknowledgementPayloadTypes.contains(type) {
                acknowledgement(payload, path: path, withResource: type == "ResourceLPCAcknowledgement")
            } else {
                add("\(path).payloadType", "Unsupported payloadType '\(type)'.")
            }
        }
    }

    private mutating func vehicleChargeAction(_ payload: JSON, path: String) {
        if (payload["resourceId"]?.stringValue ?? "").isEmpty { add("\(path).resourceId", "The resourceId field is required.") }
        if let location = payload["location"], case .object = location {
            coordinate(location, "latitude", limit: 90, path: "\(path).location")
            coordinate(location, "longitude", limit: 180, path: "\(path).location")
        } else {
            add("\(path).location", "The location field is required.")
        }
        let action = payload["actionType"]?.stringValue
        if action != "Start" && action != "Stop" { add("\(path).actionType", "The actionType must be Start or Stop.") }
        for key in ["current", "power", "stateOfCharge", "batteryCapacity"] {
            guard let value = payload[key], !value.isNull else { continue }
            guard let number = value.decimalValue else {
                add("\(path).\(key)", "The \(key) field must be a number.")
                continue
            }
            if number < 0 { add("\(path).\(key)", "The \(key) field must not be negative.") }
        }
        if action == "Start" && payload["current"] == nil && payload["power"] == nil {
            add("\(path)", "A Start action needs current or power.")
        }
    }

    private mutating func coordinate(_ location: JSON, _ key: String, limit: Decimal, path: String) {
        guard let value = location[key]?.decimalValue else {
            add("\(path).\(key)", "The \(key) field is required and must be a number.")
            return
        }
        if value < -limit || value > limit { add("\(path).\(key)", "The \(key) must be between -\(limit) and \(limit).") }
    }

    private mutating func acknowledgement(_ payload: JSON, path: String, withResource: Bool) {
        for key in ["acknowledgedTargets", "declinedTargets"] {
            guard let targets = payload[key]?.arrayValue else {
                add("\(path).\(key)", "The \(key) field is required and must be an array.")
                continue
            }
            for (index, target) in targets.enumerated() {
                var required = ["locationId", "meterPointId"]
                if withResource { required.append("resourceId") }
                for field in required where (target[field]?.stringValue ?? "").isEmpty {
                    add("\(path).\(key)[\(index)].\(field)", "The \(field) field is required.")
                }
            }
        }
    }
}

/// A validation failure carried through `Result`.
struct SimulatorErrorReply: Error {
    var reply: SimulatorReply
}
