import Essentials
import FoundationEssentials

/// A delivery's `request_json` read back for sending (the shape `DeliveryRequest.json` writes).
///
/// Why re-read instead of re-planning: the outbox row is the durable promise of exactly what goes on the
/// wire; the sender only adds authentication.
struct StoredDeliveryRequest: Sendable {
    var method: String
    /// SolarNetwork path (`/solaruser/api/v1/sec/instr/add/OCPP_v16`), for SolarNetwork channels.
    var path: String?
    /// Absolute URL, for direct OSCP and GreenFlux.
    var url: String?
    /// Planned headers (e.g. OSCP `X-Request-ID`).
    var headers: [(String, String)]
    var body: JSON
    var action: String?
    var windowStart: Date?
    var windowEnd: Date?

    init(text: String) throws(DeliveryError) {
        let json: JSON
        do {
            json = try JSON.parse(text)
        } catch {
            throw DeliveryError("stored request is not JSON: \(error.description)")
        }
        guard let method = json["method"]?.stringValue else { throw DeliveryError("stored request has no method") }
        guard let body = json["body"] else { throw DeliveryError("stored request has no body") }
        self.method = method
        self.path = json["path"]?.stringValue
        self.url = json["url"]?.stringValue
        self.headers = (json["headers"]?.objectValue ?? []).compactMap { name, value in
            value.stringValue.map { (name, $0) }
        }
        self.body = body
        self.action = json["action"]?.stringValue
        self.windowStart = json["windowStart"]?.stringValue.flatMap { Timestamp.parse($0) }
        self.windowEnd = json["windowEnd"]?.stringValue.flatMap { Timestamp.parse($0) }
        if path == nil && url == nil { throw DeliveryError("stored request has neither path nor url") }
    }

    /// The body bytes exactly as sent.
    var bodyBytes: [UInt8] { Array(body.compactText.utf8) }

    /// The instruction's node (SolarNetwork bodies).
    var nodeId: Int64? {
        switch body["nodeId"] {
        case let .number(text)?: return Int64(text)
        case let .string(text)?: return Int64(text)
        default: return nil
        }
    }

    /// The instruction topic: the last segment of `…/instr/add/{topic}`.
    var topic: String? {
        guard let path, let range = path.utf8.firstRange(of: "/instr/add/".utf8) else { return nil }
        let topic = path[range.upperBound...]
        return topic.isEmpty || topic.contains("/") ? nil : String(topic)
    }

    /// The instruction's string parameters (`params`), in order.
    var parameters: [(String, String)] {
        (body["params"]?.objectValue ?? body["parameters"]?.objectValue ?? []).compactMap { name, value in
            value.stringValue.map { (name, $0) }
        }
    }
}

/// Something about a delivery that stops it from being sent (unreadable stored request, missing
/// credentials). Never contains secrets.
struct DeliveryError: Error, CustomStringConvertible, Sendable {
    var description: String
    init(_ description: String) { self.description = description }
}
