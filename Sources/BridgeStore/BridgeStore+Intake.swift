import FoundationEssentials

/// Intake: the inbox and the quarantine (design §1 item 4).
extension BridgeStore {
    /// Stores an accepted notification, group-committed. A dedupe-key conflict changes nothing and
    /// reports `.duplicate` (also for two identical records in one batch). With `record.operation == nil`
    /// the operation is inferred in the same transaction: `Create` unless an earlier inbox row has the
    /// same event id, then `Update`.
    ///
    /// `completion` runs on the writer thread once the row is durable (callers hop themselves); an
    /// immediate refusal (`.overloaded`, `.closed`) is reported on the calling thread.
    public func admit(_ record: InboxRecord,
                      completion: @escaping @Sendable (Result<InboxAdmission, StoreError>) -> Void) {
        write({ (db) throws(StoreError) in try Self.insertInbox(record, into: db) }, completion: completion)
    }

    /// `admit`, waiting for the commit (CLI, tests).
    public func admitNow(_ record: InboxRecord) throws(StoreError) -> InboxAdmission {
        try writeNow { (db) throws(StoreError) in try Self.insertInbox(record, into: db) }
    }

    /// Keeps an undecodable (but authentic) body for inspection; returns the quarantine id.
    public func quarantine(_ record: QuarantineRecord,
                           completion: @escaping @Sendable (Result<Int64, StoreError>) -> Void) {
        write({ (db) throws(StoreError) in try Self.insertQuarantine(record, into: db) }, completion: completion)
    }

    /// Quarantines `record` and, in the same transaction, keeps only the newest `limit` rows whose reason
    /// starts with `reasonPrefix` — a bounded sample, so that (for example) a flood of unauthenticated
    /// requests cannot grow the table without end. `limit` 0 stores nothing.
    public func quarantine(_ record: QuarantineRecord, retainingAtMost limit: Int, ofReasonPrefix reasonPrefix: String,
                           completion: @escaping @Sendable (Result<Int64, StoreError>) -> Void) {
        guard limit > 0 else {
            completion(.success(0))
            return
        }
        write({ (db) throws(StoreError) in
            let id = try Self.insertQuarantine(record, into: db)
            _ = try db.run("""
                DELETE FROM quarantine WHERE substr(reason, 1, length(?1)) = ?1 AND id NOT IN (
                    SELECT id FROM quarantine WHERE substr(reason, 1, length(?1)) = ?1 ORDER BY id DESC LIMIT ?2)
                """, [reasonPrefix, limit])
            return id
        }, completion: completion)
    }

    /// `quarantine`, waiting for the commit.
    public func quarantineNow(_ record: QuarantineRecord) throws(StoreError) -> Int64 {
        try writeNow { (db) throws(StoreError) in try Self.insertQuarantine(record, into: db) }
    }

    /// The intake's statements, built once (constant texts are found by address, see `Database`).
    private enum SQL {
        static let inboxByDedupeKey = "SELECT id FROM inbox WHERE dedupe_key = ?"
        static let eventSeen = "SELECT 1 FROM inbox WHERE event_id = ? LIMIT 1"
        /// A dedupe-key conflict inserts nothing (`changes() == 0`), so the common case, a new
        /// notification, costs one statement instead of a look-up and an insert.
        static let insertInbox = """
            INSERT INTO inbox (dedupe_key, event_id, notification_id, dialect, operation, payload_type, state,
                               event_json, raw_body, headers_json, webhook_path, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dedupe_key) DO NOTHING
            """
    }

    static func insertInbox(_ record: InboxRecord, into db: Database) throws(StoreError) -> InboxAdmission {
        var operation = record.operation
        if operation == nil {
            if let existing = try db.queryFirst(SQL.inboxByDedupeKey, [record.dedupeKey], { $0.int64(0) }) {
                return .duplicate(id: existing)
            }
            let seen = try record.eventId.map { (eventId) throws(StoreError) in
                try db.queryFirst(SQL.eventSeen, [eventId]) { _ in true } ?? false
            } ?? false
            operation = seen ? InboxOperation.update : InboxOperation.create
        }
        let inserted = try db.run(SQL.insertInbox, [
            record.dedupeKey, record.eventId, record.notificationId, record.dialect, operation, record.payloadType,
            record.state, record.eventJSON, record.rawBody, record.headersJSON, record.webhookPath, record.receivedAt,
        ])
        guard inserted == 0 else { return .stored(id: db.lastInsertRowID, operation: operation) }
        guard let existing = try db.queryFirst(SQL.inboxByDedupeKey, [record.dedupeKey], { $0.int64(0) }) else {
            throw StoreError.sqlite(code: -1, message: "the inbox row that conflicted on its dedupe key is gone")
        }
        return .duplicate(id: existing)
    }

    static func insertQuarantine(_ record: QuarantineRecord, into db: Database) throws(StoreError) -> Int64 {
        try db.run("""
            INSERT INTO quarantine (received_at, webhook_path, reason, raw_body, headers_json, dedupe_hint)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [record.receivedAt, record.webhookPath, record.reason, record.rawBody, record.headersJSON,
                  record.dedupeHint])
        return db.lastInsertRowID
    }

    // MARK: Reads

    /// Inbox rows, newest first, optionally only those in `state`.
    public func inbox(limit: Int, offset: Int = 0, state: String? = nil) throws(StoreError) -> [InboxRow] {
        try read { (db) throws(StoreError) in
            if let state {
                return try db.query("""
                    SELECT \(InboxRow.columns) FROM inbox WHERE state = ? ORDER BY id DESC LIMIT ? OFFSET ?
                    """, [state, limit, offset], InboxRow.init)
            }
            return try db.query("SELECT \(InboxRow.columns) FROM inbox ORDER BY id DESC LIMIT ? OFFSET ?",
                                [limit, offset], InboxRow.init)
        }
    }

    public func inboxRow(id: Int64) throws(StoreError) -> InboxRow? {
        try read { (db) throws(StoreError) in
            try db.queryFirst("SELECT \(InboxRow.columns) FROM inbox WHERE id = ?", [id], InboxRow.init)
        }
    }

    /// Inbox rows of one event, oldest first (its Create/Update/Delete history).
    public func inboxRows(eventId: String) throws(StoreError) -> [InboxRow] {
        try read { (db) throws(StoreError) in
            try db.query("SELECT \(InboxRow.columns) FROM inbox WHERE event_id = ? ORDER BY id", [eventId],
                         InboxRow.init)
        }
    }

    /// Quarantined bodies, newest first.
    public func quarantineList(limit: Int, offset: Int = 0) throws(StoreError) -> [QuarantineRow] {
        try read { (db) throws(StoreError) in
            try db.query("SELECT \(QuarantineRow.columns) FROM quarantine ORDER BY id DESC LIMIT ? OFFSET ?",
                         [limit, offset], QuarantineRow.init)
        }
    }

    public func quarantineRow(id: Int64) throws(StoreError) -> QuarantineRow? {
        try read { (db) throws(StoreError) in
            try db.queryFirst("SELECT \(QuarantineRow.columns) FROM quarantine WHERE id = ?", [id],
                              QuarantineRow.init)
        }
    }

    /// Row counts by state (one consistent snapshot).
    public func counts() throws(StoreError) -> StoreCounts {
        try read { (db) throws(StoreError) in
            func byState(_ table: String) throws(StoreError) -> [String: Int] {
                let pairs = try db.query("SELECT state, count(*) FROM \(table) GROUP BY state") { s in
                    (s.string(0) ?? "", s.int(1))
                }
                return Dictionary(pairs, uniquingKeysWith: +)
            }
            let quarantined = try db.queryFirst("SELECT count(*) FROM quarantine") { $0.int(0) } ?? 0
            return StoreCounts(inbox: try byState("inbox"), deliveries: try byState("deliveries"),
                               reports: try byState("reports"), quarantine: quarantined)
        }
    }
}
