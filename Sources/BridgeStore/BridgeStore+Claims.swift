import FoundationEssentials

/// Start-up recovery of claims (see `StoreLock`).
extension BridgeStore {
    /// Report states after which nothing more happens to a report.
    static let finalReportSQLList = "('done', 'failed', 'dead', 'not-needed')"

    /// Ends every claim on a delivery or report that is not final (`claimed_until = NULL`), in one
    /// transaction, and returns how many of each were released.
    ///
    /// Only for a process that holds the store's `StoreLock`: then no other process can be working on a
    /// claimed row, so every claim is left over from a process that died, and its rows may be offered again
    /// now instead of when the lease ends. Nothing else changes — state, attempts, `next_attempt_at`,
    /// `updated_at` — so a released row takes exactly the path it would take once its lease expired. In
    /// particular a delivery that was mid-send is `sent` with `next_attempt_at` at the end of its in-flight
    /// lease (that wait lets a request the dead process sent reach the peer before anyone looks for it), and
    /// keeps that time.
    public func releaseAllClaims() throws(StoreError)
        -> (deliveries: Int, reports: Int)
    {
        try writeNow { (db) throws(StoreError) in
            let deliveries = try db.run("""
                UPDATE deliveries SET claimed_until = NULL
                WHERE claimed_until IS NOT NULL AND \(DeliveryState.openSQL("state"))
                """)
            let reports = try db.run("""
                UPDATE reports SET claimed_until = NULL
                WHERE claimed_until IS NOT NULL AND state NOT IN \(Self.finalReportSQLList)
                """)
            return (deliveries: deliveries, reports: reports)
        }
    }
}
