import Dispatch
import FoundationEssentials
import Synchronization

/// Runs `EventReconciler` every `energyCoordination.syncInterval` seconds inside `serve`, and wakes the
/// planner when something new was admitted.
///
/// Why periodic: Spark drops a webhook after 3 failed retries; the docs point to `GET /events` for what
/// was missed. The first sync runs at start, so events missed while ecbridge was down are picked up.
public final class PartnerSyncWorker: Sendable {
    private let reconciler: EventReconciler
    private let interval: Double
    private let logger: Logger
    private let metrics: Metrics
    private let onAdmitted: @Sendable () -> Void
    private let loop: Mutex<WorkerLoop?> = Mutex(nil)

    public init(reconciler: EventReconciler, interval: Double, logger: Logger, metrics: Metrics,
                onAdmitted: @escaping @Sendable () -> Void) {
        self.reconciler = reconciler
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
        self.onAdmitted = onAdmitted
    }

    public func start() {
        // Each sync waits the full interval: the loop only repeats at once when a pass reports work.
        let worker = WorkerLoop(name: "ecbridge-partner-sync", interval: interval) { [self] in
            syncOnce()
            return 0
        }
        loop.withLock { $0 = worker }
        worker.start()
    }

    /// Asks for a sync now.
    public func wake() { loop.withLock { $0 }?.wake() }

    /// Stops after the current sync and waits for it.
    public func stop() { loop.withLock { $0 }?.stop() }

    /// One sync, logged and counted; never throws (the next interval tries again).
    @discardableResult
    public func syncOnce() -> EventReconciler.Outcome? {
        do {
            let outcome = try reconciler.sync()
            metrics.increment("ecbridge_partner_syncs_total", help: "Reconciliation syncs against GET /events, by result.",
                              labels: [("result", "ok")])
            if !outcome.admitted.isEmpty {
                metrics.increment("ecbridge_partner_sync_admitted_total", help: "Events admitted by reconciliation (missed webhooks).",
                                  labels: [], by: Double(outcome.admitted.count))
                logger.warning("sync admitted events the webhooks missed",
                               [("admitted", outcome.admitted.joined(separator: ",")), ("fetched", String(outcome.fetched))])
                onAdmitted()
            } else {
                logger.debug("sync found nothing new", [("fetched", String(outcome.fetched))])
            }
            for (event, reason) in outcome.failed {
                logger.warning("sync could not admit an event", [("event", event), ("reason", reason)])
            }
            return outcome
        } catch {
            metrics.increment("ecbridge_partner_syncs_total", help: "Reconciliation syncs against GET /events, by result.",
                              labels: [("result", "error")])
            logger.error("sync failed", [("error", String(describing: error))])
            return nil
        }
    }
}
