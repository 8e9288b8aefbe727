import FoundationEssentials

/// Report primitives for the reporter (design §1 item 8), shaped like the outbox ones.
extension BridgeStore {
    /// Inbox rows in state `planned` whose deliveries are all final, and no report yet: what the reporter
    /// still has to report (also after a crash). Oldest first. With `includingUndelivered`, rows planned
    /// with no delivery at all (every target skipped) are included too, so a "declined" answer can be sent.
    public func inboxAwaitingReport(limit: Int, includingUndelivered: Bool = false) throws(StoreError) -> [InboxRow] {
        try read { (db) throws(StoreError) in
            try db.query("""
                SELECT \(InboxRow.columns) FROM inbox AS i
                WHERE i.state = 'planned'
                  AND (?2 OR EXISTS (SELECT 1 FROM deliveries AS d WHERE d.inbox_id = i.id))
                  AND NOT EXISTS (SELECT 1 FROM deliveries AS d
                                  WHERE d.inbox_id = i.id AND d.state NOT IN \(DeliveryState.finalSQLList))
                  AND NOT EXISTS (SELECT 1 FROM reports AS r WHERE r.inbox_id = i.id)
                ORDER BY i.id LIMIT ?1
                """, [limit, includingUndelivered ? 1 : 0], InboxRow.init)
        }
    }

    /// Records that an inbox row needs no report (nothing of it is reportable), so the reporter does not
    /// look at it again. Idempotent per inbox row.
    public func recordNoReport(inboxId: Int64, eventId: String, operation: String?, reason: String,
                               now: Date = Date()) throws(StoreError) {
        try writeNow { (db) throws(StoreError) in
            guard try db.queryFirst("SELECT id FROM reports WHERE inbox_id = ?", [inboxId], { $0.int64(0) }) == nil else {
                return
            }
            try db.run("""
                INSERT INTO reports (inbox_id, event_id, operation, idempotency_key, request_json, state, attempts,
                                     last_error, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, 'null', 'not-needed', 0, ?5, ?6, ?6)
                """, [inboxId, eventId, operation, "no-report:\(inboxId)", reason, now])
        }
    }

    /// Deliveries planned for one inbox row, in planning order.
    public func deliveries(inboxId: Int64) throws(StoreError) -> [DeliveryRow] {
        try read { (db) throws(StoreError) in
            try db.query("SELECT \(DeliveryRow.columns) FROM deliveries WHERE inbox_id = ? ORDER BY id", [inboxId],
                         DeliveryRow.init)
        }
    }

    /// Queues a report (state `pending`); an existing idempotency key returns the existing report's id.
    @discardableResult
    public func enqueueReport(_ report: NewReport, now: Date = Date()) throws(StoreError) -> Int64 {
        try writeNow { (db) throws(StoreError) in
            if let existing = try db.queryFirst("SELECT id FROM reports WHERE idempotency_key = ?",
                                                [report.idempotencyKey], { $0.int64(0) }) {
                return existing
            }
            try db.run("""
                INSERT INTO reports (inbox_id, event_id, operation, idempotency_key, request_json, state, attempts,
                                     next_attempt_at, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?7, ?7)
                """, [report.inboxId, report.eventId, report.operation, report.idempotencyKey, report.requestJSON,
                      report.notBefore ?? now, now])
            return db.lastInsertRowID
        }
    }

    /// Hands out pending reports that are due, each claimed for `StoreOptions.claimLeaseSeconds`.
    public func claimDueReports(now: Date, limit: Int) throws(StoreError) -> [ReportRow] {
        let leaseEnd = now.addingTimeInterval(options.claimLeaseSeconds)
        return try writeNow { (db) throws(StoreError) in
            let ids = try db.query("""
                SELECT id FROM reports
                WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?1)
                  AND (claimed_until IS NULL OR claimed_until <= ?1)
                ORDER BY next_attempt_at, id LIMIT ?2
                """, [now, limit]) { $0.int64(0) }
            var rows: [ReportRow] = []
            for id in ids {
                try db.run("UPDATE reports SET claimed_until = ? WHERE id = ?", [leaseEnd, id])
                if let row = try db.queryFirst("SELECT \(ReportRow.columns) FROM reports WHERE id = ?", [id],
                                               ReportRow.init) {
                    rows.append(row)
                }
            }
            return rows
        }
    }

    /// Records one posting attempt's outcome and releases the claim. Throws `.notFound` for an unknown id.
    public func recordReportAttempt(reportId: Int64, newState: String, nextAttemptAt: Date?, lastError: String?,
                                    now: Date = Date()) throws(StoreError) {
        try writeNow { (db) throws(StoreError) in
            let changed = try db.run("""
                UPDATE reports SET state = ?1, attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3,
                                   updated_at = ?4, claimed_until = NULL
                WHERE id = ?5
                """, [newState, nextAttemptAt, lastError, now, reportId])
            guard changed > 0 else { throw StoreError.notFound }
        }
    }

    public func report(id: Int64) throws(StoreError) -> ReportRow? {
        try read { (db) throws(StoreError) in
            try db.queryFirst("SELECT \(ReportRow.columns) FROM reports WHERE id = ?", [id], ReportRow.init)
        }
    }

    /// Reports, newest first, optionally only those in `state`.
    public func reports(state: String? = nil, limit: Int, offset: Int = 0) throws(StoreError) -> [ReportRow] {
        try read { (db) throws(StoreError) in
            if let state {
                return try db.query("""
                    SELECT \(ReportRow.columns) FROM reports WHERE state = ? ORDER BY id DESC LIMIT ? OFFSET ?
                    """, [state, limit, offset], ReportRow.init)
            }
            return try db.query("SELECT \(ReportRow.columns) FROM reports ORDER BY id DESC LIMIT ? OFFSET ?",
                                [limit, offset], ReportRow.init)
        }
    }
}
