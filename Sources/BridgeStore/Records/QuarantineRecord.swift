import FoundationEssentials

/// A body whose signature was valid but which could not be decoded: kept for an operator to inspect
/// (`quarantine list|show`) instead of being lost, while the sender gets 400.
public struct QuarantineRecord: Sendable, Equatable {
    public var receivedAt: Date
    public var webhookPath: String?
    /// Why decoding failed (no body contents).
    public var reason: String
    public var rawBody: [UInt8]
    /// Selected request headers as a JSON object — never secrets.
    public var headersJSON: String?
    /// Whatever identity could be recovered (e.g. a notification id), to correlate with the sender.
    public var dedupeHint: String?

    public init(receivedAt: Date = Date(), webhookPath: String? = nil, reason: String, rawBody: [UInt8],
                headersJSON: String? = nil, dedupeHint: String? = nil) {
        self.receivedAt = receivedAt
        self.webhookPath = webhookPath
        self.reason = reason
        self.rawBody = rawBody
        self.headersJSON = headersJSON
        self.dedupeHint = dedupeHint
    }
}

/// A stored quarantine row.
public struct QuarantineRow: Sendable, Equatable {
    public var id: Int64
    public var receivedAt: Date
    public var webhookPath: String?
    public var reason: String
    public var rawBody: [UInt8]
    public var headersJSON: String?
    public var dedupeHint: String?

    static let columns = "id, received_at, webhook_path, reason, raw_body, headers_json, dedupe_hint"

    init(_ s: Statement) {
        id = s.int64(0)
        receivedAt = s.date(1) ?? Date(timeIntervalSince1970: 0)
        webhookPath = s.string(2)
        reason = s.string(3) ?? ""
        rawBody = s.bytes(4)
        headersJSON = s.string(5)
        dedupeHint = s.string(6)
    }
}
