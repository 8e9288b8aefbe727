/// The store's schema as an ordered list of migrations, versioned through `PRAGMA user_version`.
///
/// Migration *n* (1-based) takes the store from version *n − 1* to *n*. Never edit a released migration:
/// append a new one. All pending migrations run in one `BEGIN IMMEDIATE` transaction at open, so a store is
/// either fully at the new version or untouched.
enum Schema {
    /// `PRAGMA application_id` of an ecbridge store ("ECB1"), so a foreign SQLite file is refused.
    static let applicationID: Int64 = 0x4543_4231

    static let migrations: [String] = [version1, version2, version3]

    /// The newest version this code knows.
    static var currentVersion: Int { migrations.count }

    /// Brings the store up to `currentVersion`; refuses newer or foreign files.
    static func migrate(_ db: Database) throws(StoreError) {
        try db.transaction { () throws(StoreError) in
            let version = Int(try db.pragmaInteger("user_version"))
            let application = try db.pragmaInteger("application_id")
            if version > currentVersion {
                throw StoreError.unsupportedVersion(found: version, supported: currentVersion)
            }
            if application != 0 && application != applicationID {
                throw StoreError.corrupt("the file belongs to another application (application_id \(application))")
            }
            if version == 0 {
                let tables = try db.queryFirst(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                ) { $0.int64(0) } ?? 0
                if tables > 0 {
                    throw StoreError.corrupt("the file already holds tables but no ecbridge schema version")
                }
            }
            guard version < currentVersion else { return }
            for migration in migrations[version...] {
                try db.exec(migration)
            }
            try db.exec("PRAGMA application_id = \(applicationID); PRAGMA user_version = \(currentVersion)")
        }
    }

    /// `deliveries.blocked`: 1 while an earlier delivery of the same target is not final, so the claim
    /// query reads only the head of each target (an index of the unblocked rows) instead of testing every
    /// due row behind a target that is waiting for a retry. Kept exact by the insert in `plan` and by the
    /// triggers below; the claim query still checks the order itself, so a stale 0 could only cost time,
    /// never order. `deliveries_open` finds a target's unfinished deliveries without walking its history.
    ///
    /// "Not final" is spelled as four comparisons (`DeliveryState.openSQL`), not `NOT IN (…)`: SQLite
    /// builds a temporary b-tree for an IN list each time a statement runs, and a partial index's
    /// condition is evaluated on every insert and state change. The spelling must stay exactly this,
    /// because a query uses a partial index only when it repeats the index's condition.
    static let version3 = """
        ALTER TABLE deliveries ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX deliveries_open ON deliveries(target_key, sequence)
            WHERE state <> 'done' AND state <> 'failed' AND state <> 'dead' AND state <> 'superseded';
        UPDATE deliveries SET blocked = 1
            WHERE state <> 'done' AND state <> 'failed' AND state <> 'dead' AND state <> 'superseded'
              AND EXISTS (
                SELECT 1 FROM deliveries AS p
                WHERE p.target_key = deliveries.target_key AND p.sequence < deliveries.sequence
                  AND p.state <> 'done' AND p.state <> 'failed' AND p.state <> 'dead' AND p.state <> 'superseded');
        DROP INDEX deliveries_state_due;
        CREATE INDEX deliveries_claimable ON deliveries(state, next_attempt_at) WHERE blocked = 0;
        CREATE TRIGGER deliveries_unblock_next AFTER UPDATE OF state ON deliveries
            WHEN old.state <> 'done' AND old.state <> 'failed' AND old.state <> 'dead' AND old.state <> 'superseded'
             AND (new.state = 'done' OR new.state = 'failed' OR new.state = 'dead' OR new.state = 'superseded')
        BEGIN
            UPDATE deliveries SET blocked = 0
            WHERE id = (SELECT id FROM deliveries
                        WHERE target_key = new.target_key
                          AND state <> 'done' AND state <> 'failed' AND state <> 'dead' AND state <> 'superseded'
                        ORDER BY sequence LIMIT 1)
              AND blocked = 1;
        END;
        CREATE TRIGGER deliveries_block_after_reopen AFTER UPDATE OF state ON deliveries
            WHEN (old.state = 'done' OR old.state = 'failed' OR old.state = 'dead' OR old.state = 'superseded')
             AND new.state <> 'done' AND new.state <> 'failed' AND new.state <> 'dead' AND new.state <> 'superseded'
        BEGIN
            UPDATE deliveries SET blocked = EXISTS (
                SELECT 1 FROM deliveries AS p
                WHERE p.target_key = new.target_key AND p.sequence < new.sequence
                  AND p.state <> 'done' AND p.state <> 'failed' AND p.state <> 'dead' AND p.state <> 'superseded')
            WHERE id = new.id;
            UPDATE deliveries SET blocked = 1
            WHERE target_key = new.target_key AND sequence > new.sequence
              AND state <> 'done' AND state <> 'failed' AND state <> 'dead' AND state <> 'superseded'
              AND blocked = 0;
        END;
        """

    /// The plan of each inbox row (deliveries and skipped targets, as JSON), for `inbox show`.
    static let version2 = """
        ALTER TABLE inbox ADD COLUMN plan_json TEXT;
        """

    /// Inbox, quarantine, outbox (deliveries + attempts) and reports. Times are Unix milliseconds.
    static let version1 = """
        CREATE TABLE inbox (
            id              INTEGER PRIMARY KEY,
            dedupe_key      TEXT NOT NULL UNIQUE,
            event_id        TEXT,
            notification_id TEXT,
            dialect         TEXT,
            operation       TEXT,
            payload_type    TEXT,
            state           TEXT NOT NULL DEFAULT 'received',
            event_json      TEXT,
            raw_body        BLOB NOT NULL,
            headers_json    TEXT,
            webhook_path    TEXT,
            received_at     INTEGER NOT NULL,
            planned_at      INTEGER,
            error           TEXT
        );
        CREATE INDEX inbox_event_id ON inbox(event_id);
        CREATE INDEX inbox_state ON inbox(state, id);

        CREATE TABLE quarantine (
            id           INTEGER PRIMARY KEY,
            received_at  INTEGER NOT NULL,
            webhook_path TEXT,
            reason       TEXT NOT NULL,
            raw_body     BLOB NOT NULL,
            headers_json TEXT,
            dedupe_hint  TEXT
        );

        CREATE TABLE deliveries (
            id              INTEGER PRIMARY KEY,
            inbox_id        INTEGER NOT NULL REFERENCES inbox(id),
            event_id        TEXT,
            target_key      TEXT NOT NULL,
            channel         TEXT NOT NULL,
            operation       TEXT,
            idempotency_key TEXT NOT NULL UNIQUE,
            sequence        INTEGER NOT NULL,
            request_json    TEXT NOT NULL,
            state           TEXT NOT NULL DEFAULT 'pending',
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            claimed_until   INTEGER,
            last_error      TEXT,
            external_id     TEXT,
            created_at      INTEGER NOT NULL,
            updated_at      INTEGER NOT NULL,
            final_at        INTEGER,
            result_json     TEXT,
            UNIQUE (target_key, sequence)
        );
        CREATE INDEX deliveries_state_due ON deliveries(state, next_attempt_at);
        CREATE INDEX deliveries_event_target ON deliveries(event_id, target_key);
        CREATE INDEX deliveries_inbox ON deliveries(inbox_id);

        CREATE TABLE delivery_attempts (
            id          INTEGER PRIMARY KEY,
            delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
            started_at  INTEGER NOT NULL,
            latency_ms  INTEGER,
            http_status INTEGER,
            outcome     TEXT NOT NULL,
            error       TEXT
        );
        CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery_id);

        CREATE TABLE reports (
            id              INTEGER PRIMARY KEY,
            inbox_id        INTEGER REFERENCES inbox(id),
            event_id        TEXT NOT NULL,
            operation       TEXT,
            idempotency_key TEXT NOT NULL UNIQUE,
            request_json    TEXT NOT NULL,
            state           TEXT NOT NULL DEFAULT 'pending',
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            claimed_until   INTEGER,
            last_error      TEXT,
            created_at      INTEGER NOT NULL,
            updated_at      INTEGER NOT NULL
        );
        CREATE INDEX reports_state_due ON reports(state, next_attempt_at);
        CREATE INDEX reports_event ON reports(event_id);
        CREATE INDEX reports_inbox ON reports(inbox_id);
        """
}
