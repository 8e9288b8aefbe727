import BridgeStore
import EnergyCoordination
import Essentials
import WebhookAuth

/// The normalised event of an inbox row, for every reader (planner, reporter, `inbox show`, the partner
/// sync, the demo).
///
/// Why not a stored column: the intake keeps what arrived (the raw body, already decoded once before the
/// 200) and derives the event again when it is needed. Rendering the event as JSON and writing it next to
/// the body was a tenth of the listener's work per webhook and doubled the bytes each row adds to the
/// inbox, for a text the planner normally never reads (it gets the decoded event from the intake through
/// `DecodedEventCache`). Rows written before this change, and rows whose body is not a notification, keep
/// their `event_json` text and are read from it.
///
/// The decode options are the configuration's (`units.targetPower`), so a row decoded again after a
/// restart reads its body the way the current configuration says.
enum StoredEvent {
    /// The event from the stored JSON text when there is one, else from the raw body.
    static func decode(eventJSON: String?, rawBody: [UInt8], options: DecodeOptions) throws -> CoordinationEvent {
        if let eventJSON { return try CoordinationEvent(json: JSON.parse(eventJSON)) }
        return try NotificationDecoder.decode(body: rawBody, options: options,
                                              bodySHA256Hex: { Hex.encode(SHA256.hash(rawBody)) }).event
    }

    static func of(_ row: InboxRow, options: DecodeOptions) throws -> CoordinationEvent {
        try decode(eventJSON: row.eventJSON, rawBody: row.rawBody, options: options)
    }
}
