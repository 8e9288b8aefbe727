import Essentials
import FoundationEssentials

/// Turns a webhook body (or an already-parsed value) into the normalised event and its dedupe key.
///
/// Why one entry point: the listener does not know which dialect a sender speaks; detection is by shape,
/// so one endpoint can serve Spark 2023, Spark 2024+ and OpenADR 3 senders. Runs on the hot path before
/// the 200, so it uses the strict `Essentials.JSON` parser and no Foundation JSON.
public enum NotificationDecoder {
    /// Detects the dialect (ec-2024 EventNotification, ec-v1 envelope or bare event, OpenADR 3
    /// notification) and normalises. `bodySHA256Hex` is computed by the caller (fallback dedupe key).
    public static func decode(body: [UInt8], bodySHA256Hex: String,
                              options: DecodeOptions) throws(DecodeError) -> DecodedNotification {
        try decode(body: body, options: options, bodySHA256Hex: { bodySHA256Hex })
    }

    /// The same, asking for the body's SHA-256 (hex) only when the dedupe key falls back to it: most
    /// notifications carry an id, and hashing every body costs the listener as much as decoding it.
    public static func decode(body: [UInt8], options: DecodeOptions,
                              bodySHA256Hex: () -> String) throws(DecodeError) -> DecodedNotification {
        let json: JSON
        do {
            json = try JSON.parse(body)
        } catch {
            throw DecodeError("body is not valid JSON (\(error.reason) at byte \(error.offset))")
        }
        let event = try decodeEvent(json: json, options: options)
        return DecodedNotification(event: event, dedupeKey: dedupeKey(for: event, bodySHA256Hex: bodySHA256Hex))
    }

    /// The same from an already-parsed value (reconciliation reads events from the API).
    public static func decode(json: JSON, bodySHA256Hex: String,
                              options: DecodeOptions) throws(DecodeError) -> DecodedNotification {
        let event = try decodeEvent(json: json, options: options)
        return DecodedNotification(event: event, dedupeKey: dedupeKey(for: event, bodySHA256Hex: { bodySHA256Hex }))
    }

    /// Which dialect a value looks like, without decoding it fully (`nil`: not recognised).
    public static func detectDialect(_ json: JSON) -> Dialect? {
        shape(of: FieldReader(json)).map(\.dialect)
    }

    /// Detection by shape, most specific first.
    private enum Shape {
        case openADR3Notification
        case sparkNotification
        case sparkEventResource
        case v1Envelope
        case v1BareEvent

        var dialect: Dialect {
            switch self {
            case .openADR3Notification: return .openADR3
            case .sparkNotification, .sparkEventResource: return .ec2024
            case .v1Envelope, .v1BareEvent: return .ecV1
            }
        }
    }

    private static func shape(of root: FieldReader) -> Shape? {
        guard root.isObject else { return nil }
        if root.has("objectType") && root.has("object") { return .openADR3Notification }
        if root.has("notificationType") || (root.has("eventId") && (root.has("payload") || root.has("notificationId"))) {
            return .sparkNotification
        }
        if root.has("operationType") || root.has("event") { return .v1Envelope }
        let payloadType = root.value["payload"]?["payloadType"]?.stringValue
        if root.has("id"), let payloadType, SparkNotificationDecoder.payloadTypes.contains(payloadType) {
            return .sparkEventResource
        }
        if root.has("id") || root.has("ID"),
           ["payload", "intervalPeriod", "targetResources", "targets"].contains(where: { root.has($0) }) {
            return .v1BareEvent
        }
        return nil
    }

    static func decodeEvent(json: JSON, options: DecodeOptions) throws(DecodeError) -> CoordinationEvent {
        let root = FieldReader(json)
        guard let shape = shape(of: root) else {
            throw DecodeError(root.isObject
                ? "not a recognised Energy Coordination notification"
                : "not a recognised Energy Coordination notification (expected a JSON object, got \(json.typeName))")
        }
        switch shape {
        case .openADR3Notification: return try OpenADR3Decoder.decode(root)
        case .sparkNotification: return try SparkNotificationDecoder.decodeNotification(root)
        case .sparkEventResource: return try SparkNotificationDecoder.decodeEventResource(root)
        case .v1Envelope: return try SparkV1Decoder.decodeEnvelope(root, options: options)
        case .v1BareEvent: return try SparkV1Decoder.decodeEvent(root, operation: nil, options: options)
        }
    }

    /// design.md §1.4: `notification:<id>`; else `event:<id>@<modified RFC 3339>` (ec-2024 events, which
    /// never change, use their creation time; a Delete gets `/Delete` appended so it is not mistaken for
    /// the Create/Update with the same modification time); else `body:<sha256 hex>`.
    public static func dedupeKey(for event: CoordinationEvent, bodySHA256Hex: String) -> String {
        dedupeKey(for: event, bodySHA256Hex: { bodySHA256Hex })
    }

    static func dedupeKey(for event: CoordinationEvent, bodySHA256Hex: () -> String) -> String {
        if let notificationId = event.notificationId, !notificationId.isEmpty {
            return "notification:\(notificationId)"
        }
        let version = event.modifiedAt ?? (event.dialect == .ec2024 ? event.createdAt : nil)
        if !event.id.isEmpty, let version {
            let suffix = event.operation == .delete ? "/Delete" : ""
            return "event:\(event.id)@\(EventTime.text(version))\(suffix)"
        }
        return "body:\(bodySHA256Hex().lowercased())"
    }
}
