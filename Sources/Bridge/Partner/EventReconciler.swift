import BridgeStore
import EnergyCoordination
import Essentials
import FoundationEssentials
import WebhookAuth

/// Reconciliation: reads every event from `GET /events` and admits those the inbox has not seen through
/// the same path as webhooks (`NotificationDecoder` → `BridgeStore.admit`), so an event whose webhook
/// was lost (Spark gives up after 3 retries) is still planned.
///
/// Why "seen" is judged by event id and not only by dedupe key: a webhook row is keyed by its
/// notification id, a synced row by event id and version, so the same event would otherwise be admitted
/// twice. An event counts as known when the inbox has a row for its id whose modification time is the
/// same or newer (2024 events never change). The store's dedupe key still makes repeated syncs harmless.
public struct EventReconciler: Sendable {
    /// What one sync did.
    public struct Outcome: Sendable, Equatable {
        /// Events the API listed.
        public var fetched = 0
        /// Event ids admitted now (new to the inbox), in API order.
        public var admitted: [String] = []
        /// Event ids the inbox already had.
        public var known: [String] = []
        /// Events that could not be decoded or stored: `(event id or "#index", reason)`.
        public var failed: [(String, String)] = []

        public init() {}

        public static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            lhs.fetched == rhs.fetched && lhs.admitted == rhs.admitted && lhs.known == rhs.known
                && lhs.failed.map(\.0) == rhs.failed.map(\.0) && lhs.failed.map(\.1) == rhs.failed.map(\.1)
        }

        public var json: JSON {
            .members([("fetched", .int(fetched)), ("admitted", .array(admitted.map(JSON.string))),
                      ("known", .array(known.map(JSON.string))),
                      ("failed", .array(failed.map { .members([("event", .string($0.0)), ("reason", .string($0.1))]) }))])
        }
    }

    /// What the inbox row's `headers_json` says about a synced row.
    public static let headersJSON = #"{"source":"sync"}"#

    public let client: EnergyCoordinationClient
    public let store: BridgeStore
    public let decodeOptions: DecodeOptions

    public init(client: EnergyCoordinationClient, store: BridgeStore, decodeOptions: DecodeOptions) {
        self.client = client
        self.store = store
        self.decodeOptions = decodeOptions
    }

    /// Fetches all pages and admits what is new. Throws only when the API could not be read.
    public func sync(now: Date = Date()) throws -> Outcome {
        let items = try client.allEvents()
        var outcome = Outcome()
        outcome.fetched = items.count
        for (index, item) in items.enumerated() {
            let label = EventPage.eventId(of: item) ?? "#\(index)"
            let body = Array(item.compactText.utf8)
            let decoded: DecodedNotification
            do {
                decoded = try NotificationDecoder.decode(json: item, bodySHA256Hex: Hex.encode(SHA256.hash(body)),
                                                         options: decodeOptions)
            } catch {
                outcome.failed.append((label, error.reason))
                continue
            }
            let event = decoded.event
            do {
                if try isKnown(event) {
                    outcome.known.append(event.id)
                    continue
                }
                let record = InboxRecord(
                    dedupeKey: decoded.dedupeKey, eventId: event.id, notificationId: event.notificationId,
                    dialect: event.dialect.rawValue, operation: event.operation?.rawValue, payloadType: event.payloadType,
                    state: event.isMappable ? InboxState.received : InboxState.ignored, rawBody: body,
                    headersJSON: Self.headersJSON, webhookPath: nil, receivedAt: now)
                switch try store.admitNow(record) {
                case .stored: outcome.admitted.append(event.id)
                case .duplicate: outcome.known.append(event.id)
                }
            } catch {
                outcome.failed.append((label, String(describing: error)))
            }
        }
        return outcome
    }

    /// Whether the inbox already has this event at this version or a newer one.
    func isKnown(_ event: CoordinationEvent) throws(StoreError) -> Bool {
        let rows = try store.inboxRows(eventId: event.id)
        guard !rows.isEmpty else { return false }
        guard let version = event.modifiedAt else { return true }
        for row in rows {
            guard let stored = try? StoredEvent.of(row, options: decodeOptions) else { continue }
            guard let storedVersion = stored.modifiedAt ?? stored.createdAt else { return true }
            if storedVersion >= version { return true }
        }
        return false
    }
}
