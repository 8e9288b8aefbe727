import FoundationEssentials

/// Outbox primitives for the pipeline (design §1 items 5–7). Each write is one transaction through the
/// group-commit writer and returns once it is durable.
extension BridgeStore {
    /// Records the planner's decision for one inbox row, atomically: inserts `deliveries` (each at the end of
    /// its target's sequence), marks earlier not-yet-sent deliveries of the same (event id, target key)
    /// `superseded`, and sets the inbox row's `state`, `planned_at` and `error`.
    ///
    /// A delivery whose idempotency key already exists is not inserted again (nor does it supersede
    /// anything); its existing id is returned, so re-planning after a crash is harmless. A pending delivery
    /// that a worker currently holds (an unexpired claim) is not superseded: it may be on the wire, so the new
    /// delivery waits behind it. Returns the delivery ids in the order given. Throws `.notFound` for an
    /// unknown inbox id.
    @discardableResult
    public func plan(inboxId: Int64, state: String, deliveries: [NewDelivery], error: String? = nil,
                     planJSON: String? = nil, now: Date = Date()) throws(StoreError) -> [Int64] {
        try writeNow { (db) throws(StoreError) in
            try Self.plan(inboxId: inboxId, state: state, deliveries: deliveries, error: error, planJSON: planJSON,
                          now: now, in: db)
        }
    }

    /// Records the plans of many inbox rows in one transaction (one fsync), each row exactly as
    /// `plan(inboxId:…)` would, in the order given (a later row's deliveries may supersede an earlier
    /// row's).
    ///
    /// Each row runs under its own savepoint: a row that fails (e.g. an unknown inbox id) is rolled back
    /// alone and reported in its slot, and the others are still committed. Returns one result per plan, in
    /// order. Throws only when the whole transaction failed (nothing was recorded).
    public func plan(batch: [InboxPlan], now: Date = Date()) throws(StoreError) -> [Result<[Int64], StoreError>] {
        guard !batch.isEmpty else { return [] }
        return try writeNow { (db) throws(StoreError) in
            var results: [Result<[Int64], StoreError>] = []
            results.reserveCapacity(batch.count)
            // In the writer's first, savepoint-free attempt a failing row fails the job; the writer then
            // runs it again with `isolatesFailures`, and each row gets its own savepoint.
            guard db.isolatesFailures else {
                for item in batch {
                    results.append(.success(try Self.plan(inboxId: item.inboxId, state: item.state,
                                                          deliveries: item.deliveries, error: item.error,
                                                          planJSON: item.planJSON, now: now, in: db)))
                }
                return results
            }
            for item in batch {
                try db.savepoint(.planRow)
                do throws(StoreError) {
                    let ids = try Self.plan(inboxId: item.inboxId, state: item.state, deliveries: item.deliveries,
                                            error: item.error, planJSON: item.planJSON, now: now, in: db)
                    try db.release(.planRow)
                    results.append(.success(ids))
                } catch {
                    // Some errors (disk full, I/O) make SQLite abandon the whole transaction.
                    guard !db.isAutocommit else { throw error }
                    try db.rollback(to: .planRow)
                    try db.release(.planRow)
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    /// The outbox's frequent statements, built once (constant texts are found by address, see
    /// `Database.withStatement`).
    private enum SQL {
        static let inboxEventId = "SELECT event_id FROM inbox WHERE id = ?"
        static let deliveryByKey = "SELECT id FROM deliveries WHERE idempotency_key = ?"
        static let supersedable = """
            SELECT 1 FROM deliveries
            WHERE event_id IS ?2 AND target_key = ?3 AND state = 'pending'
              AND (claimed_until IS NULL OR claimed_until <= ?1)
            LIMIT 1
            """
        static let supersede = """
            UPDATE deliveries
            SET state = 'superseded', final_at = ?1, updated_at = ?1, claimed_until = NULL
            WHERE event_id IS ?2 AND target_key = ?3 AND state = 'pending'
              AND (claimed_until IS NULL OR claimed_until <= ?1)
            """
        /// At the end of its target's sequence; `blocked` when the target still has an unfinished
        /// delivery (necessarily an earlier one).
        static let insertDelivery = """
            INSERT INTO deliveries (inbox_id, event_id, target_key, channel, operation, idempotency_key,
                                    sequence, request_json, state, attempts, next_attempt_at,
                                    created_at, updated_at, blocked)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                    (SELECT coalesce(max(sequence), 0) + 1 FROM deliveries WHERE target_key = ?3),
                    ?7, 'pending', 0, ?8, ?9, ?9,
                    EXISTS (SELECT 1 FROM deliveries WHERE target_key = ?3
                            AND \(DeliveryState.openSQL("state"))))
            """
        static let claimable = """
            SELECT d.id FROM deliveries AS d
            WHERE d.blocked = 0 AND d.state = ?1
              AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?2)
              AND (d.claimed_until IS NULL OR d.claimed_until <= ?2)
              AND NOT EXISTS (
                  SELECT 1 FROM deliveries AS p
                  WHERE p.target_key = d.target_key AND p.sequence < d.sequence
                    AND \(DeliveryState.openSQL("p.state")))
            ORDER BY d.next_attempt_at, d.id
            LIMIT ?3
            """
        static let deliveryById = "SELECT \(DeliveryRow.columns) FROM deliveries WHERE id = ?"
        static let recordPlan = "UPDATE inbox SET state = ?, planned_at = ?, error = ?, plan_json = ? WHERE id = ?"
        static let inboxRowsToPlan =
            "SELECT \(InboxRowToPlan.columns) FROM inbox WHERE state = 'received' ORDER BY id LIMIT ?"
        static let unplannedInbox =
            "SELECT \(InboxRow.columns) FROM inbox WHERE state = 'received' ORDER BY id LIMIT ?"
    }

    static func plan(inboxId: Int64, state: String, deliveries: [NewDelivery], error: String?, planJSON: String?,
                     now: Date, in db: Database) throws(StoreError) -> [Int64] {
        guard let inboxEventId = try db.queryFirst(SQL.inboxEventId, [inboxId], {
            $0.string(0)
        }) else { throw StoreError.notFound }

        var ids: [Int64?] = []
        ids.reserveCapacity(deliveries.count)
        var fresh: [(index: Int, delivery: NewDelivery, eventId: String?)] = []
        // Keys already taken by an earlier delivery of this call: a Set, so a fan-out stays linear.
        var freshKeys: Set<String> = []
        for (index, delivery) in deliveries.enumerated() {
            let existing = try db.queryFirst(SQL.deliveryByKey, [delivery.idempotencyKey]) { $0.int64(0) }
            ids.append(existing)
            if existing == nil, freshKeys.insert(delivery.idempotencyKey).inserted {
                fresh.append((index, delivery, delivery.eventId ?? inboxEventId))
            }
        }

        // Supersede before inserting, so deliveries planned together never supersede each other.
        var superseded: Set<String> = []
        for item in fresh {
            let key = "\(item.eventId ?? "")\u{0}\(item.delivery.targetKey)"
            guard superseded.insert(key).inserted else { continue }
            // Most plans supersede nothing; the UPDATE (which fires triggers) would still build a
            // temporary table of candidate rows each time, so look first.
            guard try db.queryFirst(SQL.supersedable, [now, item.eventId, item.delivery.targetKey], { _ in true }) != nil
            else { continue }
            try db.run(SQL.supersede, [now, item.eventId, item.delivery.targetKey])
        }

        for item in fresh {
            try db.run(SQL.insertDelivery, [inboxId, item.eventId, item.delivery.targetKey, item.delivery.channel,
                                            item.delivery.operation, item.delivery.idempotencyKey,
                                            item.delivery.requestJSON, item.delivery.notBefore ?? now, now])
            ids[item.index] = db.lastInsertRowID
        }
        // Duplicated keys within one call resolve to the row inserted for the first of them.
        for (index, delivery) in deliveries.enumerated() where ids[index] == nil {
            ids[index] = try db.queryFirst(SQL.deliveryByKey, [delivery.idempotencyKey]) { $0.int64(0) }
        }

        try db.run(SQL.recordPlan, [state, now, error, planJSON, inboxId])
        return ids.compactMap { $0 }
    }

    /// Inbox rows still waiting for the planner (state `received`), oldest first — also what is left
    /// after a crash.
    public func unplannedInbox(limit: Int) throws(StoreError) -> [InboxRow] {
        try read { (db) throws(StoreError) in
            try db.query(SQL.unplannedInbox, [limit], InboxRow.init)
        }
    }

    /// `unplannedInbox`, reading only what the planner needs (oldest first).
    public func inboxRowsToPlan(limit: Int) throws(StoreError) -> [InboxRowToPlan] {
        try read { (db) throws(StoreError) in
            try db.query(SQL.inboxRowsToPlan, [limit], InboxRowToPlan.init)
        }
    }

    /// Hands out deliveries that are due: in `state` (default `pending`), `next_attempt_at <= now`, not held
    /// by an unexpired claim, and whose target has no earlier (lower sequence) delivery that is not final yet.
    ///
    /// Each returned delivery is claimed for `StoreOptions.claimLeaseSeconds` (`claimed_until`), so two
    /// workers never get the same one, and a worker that crashes mid-send only delays it until the lease ends.
    /// The claim ends with `recordAttempt`/`updateDelivery`. Oldest due first.
    ///
    /// Only each target's head is looked at (`blocked = 0`, see schema version 3), so the cost does not
    /// grow with the deliveries queued behind a target that is waiting for a retry.
    public func claimDueDeliveries(now: Date, limit: Int, state: String = DeliveryState.pending)
        throws(StoreError) -> [DeliveryRow]
    {
        let leaseEnd = now.addingTimeInterval(options.claimLeaseSeconds)
        return try writeNow { (db) throws(StoreError) in
            let ids = try db.query(SQL.claimable, [state, now, limit]) { $0.int64(0) }
            var rows: [DeliveryRow] = []
            for id in ids {
                try db.run("UPDATE deliveries SET claimed_until = ? WHERE id = ?", [leaseEnd, id])
                if let row = try db.queryFirst(SQL.deliveryById, [id], DeliveryRow.init) {
                    rows.append(row)
                }
            }
            return rows
        }
    }

    /// Records one attempt at a delivery and its outcome: appends to `delivery_attempts`, counts the attempt,
    /// sets the new state and next attempt time, keeps the latest external id / result when given, sets
    /// `final_at` on reaching a final state, and releases the claim. Throws `.notFound` for an unknown id.
    public func recordAttempt(deliveryId: Int64, attempt: AttemptRecord, newState: String, nextAttemptAt: Date?,
                              externalId: String?, lastError: String?, result: String?,
                              now: Date = Date()) throws(StoreError) {
        try writeNow { (db) throws(StoreError) in
            try db.run("""
                INSERT INTO delivery_attempts (delivery_id, started_at, latency_ms, http_status, outcome, error)
                SELECT id, ?, ?, ?, ?, ? FROM deliveries WHERE id = ?
                """, [attempt.startedAt, attempt.latencyMs, attempt.httpStatus, attempt.outcome, attempt.error,
                      deliveryId])
            try Self.updateDelivery(deliveryId, countAttempt: true, newState: newState, nextAttemptAt: nextAttemptAt,
                                    externalId: externalId, lastError: lastError, result: result, now: now, in: db)
        }
    }

    /// Changes a delivery's state without counting an attempt (e.g. the tracker learning that an instruction
    /// completed). Same field rules as `recordAttempt`.
    public func updateDelivery(deliveryId: Int64, newState: String, nextAttemptAt: Date?, externalId: String?,
                               lastError: String?, result: String?, now: Date = Date()) throws(StoreError) {
        try writeNow { (db) throws(StoreError) in
            try Self.updateDelivery(deliveryId, countAttempt: false, newState: newState, nextAttemptAt: nextAttemptAt,
                                    externalId: externalId, lastError: lastError, result: result, now: now, in: db)
        }
    }

    static func updateDelivery(_ id: Int64, countAttempt: Bool, newState: String, nextAttemptAt: Date?,
                               externalId: String?, lastError: String?, result: String?, now: Date,
                               in db: Database) throws(StoreError) {
        let isFinal: Int64 = DeliveryState.final.contains(newState) ? 1 : 0
        let changed = try db.run("""
            UPDATE deliveries SET
                state = ?1,
                attempts = attempts + ?2,
                next_attempt_at = ?3,
                external_id = coalesce(?4, external_id),
                last_error = ?5,
                result_json = coalesce(?6, result_json),
                updated_at = ?7,
                final_at = CASE WHEN ?8 = 1 THEN coalesce(final_at, ?7) ELSE NULL END,
                claimed_until = NULL
            WHERE id = ?9
            """, [newState, countAttempt ? 1 : 0, nextAttemptAt, externalId, lastError, result, now, isFinal, id])
        guard changed > 0 else { throw StoreError.notFound }
    }

    /// Puts a `failed` or `dead` delivery back to `pending`, due now (`outbox retry ID`). Returns `false`
    /// when the delivery is in another state; throws `.notFound` for an unknown id.
    public func retry(deliveryId: Int64, now: Date = Date()) throws(StoreError) -> Bool {
        try writeNow { (db) throws(StoreError) in
            let changed = try db.run("""
                UPDATE deliveries
                SET state = 'pending', next_attempt_at = ?1, updated_at = ?1, final_at = NULL, claimed_until = NULL
                WHERE id = ?2 AND state IN ('failed', 'dead')
                """, [now, deliveryId])
            if changed > 0 { return true }
            guard try db.queryFirst("SELECT 1 FROM deliveries WHERE id = ?", [deliveryId], { _ in true }) != nil
            else { throw StoreError.notFound }
            return false
        }
    }

    // MARK: Reads

    public func delivery(id: Int64) throws(StoreError) -> DeliveryRow? {
        try read { (db) throws(StoreError) in
            try db.queryFirst("SELECT \(DeliveryRow.columns) FROM deliveries WHERE id = ?", [id], DeliveryRow.init)
        }
    }

    /// Deliveries, newest first, optionally only those in `state`.
    public func deliveries(state: String? = nil, limit: Int, offset: Int = 0) throws(StoreError) -> [DeliveryRow] {
        try read { (db) throws(StoreError) in
            if let state {
                return try db.query("""
                    SELECT \(DeliveryRow.columns) FROM deliveries WHERE state = ? ORDER BY id DESC LIMIT ? OFFSET ?
                    """, [state, limit, offset], DeliveryRow.init)
            }
            return try db.query("SELECT \(DeliveryRow.columns) FROM deliveries ORDER BY id DESC LIMIT ? OFFSET ?",
                                [limit, offset], DeliveryRow.init)
        }
    }

    /// All deliveries of one event, in planning order (what the reporter needs).
    public func deliveries(eventId: String) throws(StoreError) -> [DeliveryRow] {
        try read { (db) throws(StoreError) in
            try db.query("SELECT \(DeliveryRow.columns) FROM deliveries WHERE event_id = ? ORDER BY id", [eventId],
                         DeliveryRow.init)
        }
    }

    /// A delivery's attempts, oldest first.
    public func attempts(deliveryId: Int64) throws(StoreError) -> [AttemptRow] {
        try read { (db) throws(StoreError) in
            try db.query("SELECT \(AttemptRow.columns) FROM delivery_attempts WHERE delivery_id = ? ORDER BY id",
                         [deliveryId], AttemptRow.init)
        }
    }
}
