import BridgeStore
import EnergyCoordination
import Essentials
import FoundationEssentials
import SmartCharging
import Synchronization

/// Turns inbox rows into outbox deliveries with the same planner as `ecbridge map` (one code path).
///
/// Each row's plan is stored atomically (deliveries inserted, superseded ones marked, the row marked
/// `planned`), many rows per transaction, so after a crash the worker simply picks up the rows still
/// `received`. Planning uses
/// the row's receive time as "now", so a replan after a crash produces the same messages and keys.
public final class PlanningWorker: Sendable {
    private let store: BridgeStore
    private let planner: Planner
    private let logger: Logger
    private let metrics: Metrics
    private let loop: Mutex<WorkerLoop?> = Mutex(nil)
    private let stopping = Atomic<Bool>(false)
    /// Rows planned per store transaction (`planner.batchSize`).
    private let batchSize: Int
    /// Niceness of the planner thread (`planner.niceness`).
    private let niceness: Int
    /// Seconds between passes when nobody wakes the worker.
    private let pollInterval: Double
    /// Called after a row's plan wrote deliveries (wakes the delivery workers).
    private let onPlanned: @Sendable () -> Void
    /// Events the intake left decoded (a row without an entry is decoded from its raw body).
    private let eventCache: DecodedEventCache
    /// How raw bodies are decoded (`units.targetPower`), as in the intake.
    private let decodeOptions: DecodeOptions

    public init(store: BridgeStore, planner: Planner, logger: Logger, metrics: Metrics, pollInterval: Double = 1,
                settings: PlannerSettings = PlannerSettings(), decodeOptions: DecodeOptions = DecodeOptions(),
                eventCache: DecodedEventCache = DecodedEventCache(), onPlanned: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.planner = planner
        self.logger = logger
        self.metrics = metrics
        self.pollInterval = pollInterval
        self.batchSize = settings.batchSize
        self.niceness = settings.niceness
        self.onPlanned = onPlanned
        self.eventCache = eventCache
        self.decodeOptions = decodeOptions
    }

    public func start() {
        let worker = WorkerLoop(name: "ecbridge-planner", interval: pollInterval, niceness: niceness) { [self] in planPending() }
        loop.withLock { $0 = worker }
        worker.start()
    }

    /// Asks for a pass now (after an admission).
    public func wake() { loop.withLock { $0 }?.wake() }

    /// Stops after the current pass and waits for it.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        loop.withLock { $0 }?.stop()
    }

    /// Plans every row still `received`; returns how many rows were planned. Public for tests and `demo`.
    ///
    /// Rows are planned `batchSize` at a time: the plans are computed here, then recorded in one store
    /// transaction (one fsync, shared with the intake's group commit), each row under its own savepoint so
    /// one row that cannot be stored does not hold back the others. Planning one row per transaction could
    /// not keep up with the intake: each commit waited for its turn behind a whole batch of admissions.
    @discardableResult
    public func planPending() -> Int {
        var planned = 0
        while !stopping.load(ordering: .acquiring) || planned == 0 {
            let rows: [InboxRowToPlan]
            do {
                rows = try store.inboxRowsToPlan(limit: batchSize)
            } catch {
                logger.error("cannot read the inbox", [("error", error.description)])
                return planned
            }
            if rows.isEmpty { return planned }
            let decisions = rows.map(decide)
            planned += rows.count
            guard record(decisions) else { return planned }
            if rows.count < batchSize { return planned }
        }
        return planned
    }

    /// One row's plan, before it is stored.
    private struct Decision {
        let row: InboxRowToPlan
        let log: Logger
        let stored: InboxPlan
        /// `nil` when the row could not be read (it is marked `failed`).
        let plan: Plan?
        let dialect: String
        let failure: String?
    }

    private func decide(_ row: InboxRowToPlan) -> Decision {
        let log = logger.with("inboxId", String(row.id)).with("event", row.eventId ?? "-")
        let event: CoordinationEvent
        do {
            if let cached = eventCache.take(inboxId: row.id, dedupeKey: row.dedupeKey) {
                event = cached
            } else {
                event = try StoredEvent.decode(eventJSON: row.eventJSON, rawBody: row.rawBody, options: decodeOptions)
            }
        } catch {
            let reason = "stored event cannot be read: \(error)"
            return Decision(row: row, log: log, stored: InboxPlan(inboxId: row.id, state: "failed", error: reason),
                            plan: nil, dialect: "", failure: reason)
        }
        var resolved = event
        if let stored = row.operation.flatMap(Operation.init(rawValue:)) { resolved.operation = stored }
        if resolved.operation == .delete && resolved.targets.isEmpty {
            resolved = DeleteTargets.resolve(resolved, previous: previousNotification(of: row, log: log))
        }
        let plan = planner.plan(resolved, now: row.receivedAt)
        let deliveries = plan.deliveries.map { delivery in
            NewDelivery(eventId: event.id, targetKey: delivery.targetKey, channel: delivery.channel.rawValue,
                        operation: delivery.operation.rawValue, idempotencyKey: delivery.idempotencyKey,
                        requestJSON: DeliveryRequest.json(delivery).compactText)
        }
        let summary = JSON.members([
            ("deliveries", .array(plan.deliveries.map { .members([
                ("targetKey", .string($0.targetKey)), ("channel", .string($0.channel.rawValue)),
                ("action", .string($0.action)), ("idempotencyKey", .string($0.idempotencyKey)),
            ]) })),
            ("skipped", .array(plan.skipped.map(\.json))),
        ])
        return Decision(row: row, log: log,
                        stored: InboxPlan(inboxId: row.id, state: "planned", deliveries: deliveries,
                                          planJSON: summary.compactText),
                        plan: plan, dialect: event.dialect.rawValue, failure: nil)
    }

    /// Stores the decisions in one transaction and reports each; `false` when nothing could be stored.
    private func record(_ decisions: [Decision]) -> Bool {
        let results: [Result<[Int64], StoreError>]
        do {
            results = try store.plan(batch: decisions.map(\.stored))
        } catch {
            logger.error("cannot store the plans; will retry", [("error", error.description),
                                                                ("rows", String(decisions.count))])
            return false
        }
        var wroteDeliveries = false
        for (decision, result) in zip(decisions, results) {
            let log = decision.log
            switch result {
            case .failure(let error):
                if decision.failure != nil {
                    log.error("cannot mark the inbox row failed", [("error", error.description)])
                } else {
                    log.error("cannot store the plan; will retry", [("error", error.description)])
                }
                continue
            case .success:
                break
            }
            if let reason = decision.failure {
                log.error("event not planned", [("reason", reason)])
                continue
            }
            guard let plan = decision.plan else { continue }
            let deliveries = decision.stored.deliveries.count
            metrics.increment("ecbridge_planned_events_total", help: "Inbox rows planned.",
                              labels: [("dialect", decision.dialect)])
            metrics.increment("ecbridge_planned_deliveries_total", help: "Deliveries written to the outbox.",
                              by: Double(deliveries))
            for skipped in plan.skipped {
                log.warning("target skipped", [("target", skipped.resourceId ?? skipped.locationId ?? skipped.meterPointId ?? "-"),
                                                ("reason", skipped.reason)])
            }
            if log.level <= .info {
                log.info("event planned", [("operation", plan.operation.rawValue), ("deliveries", String(deliveries)),
                                           ("skipped", String(plan.skipped.count))])
            }
            if deliveries > 0 { wroteDeliveries = true }
        }
        if wroteDeliveries { onPlanned() }
        return true
    }

    /// The latest earlier, non-Delete notification of the same event, if the inbox has one.
    private func previousNotification(of row: InboxRowToPlan, log: Logger) -> CoordinationEvent? {
        guard let eventId = row.eventId else { return nil }
        do {
            let earlier = try store.inboxRows(eventId: eventId)
                .filter { $0.id < row.id && $0.operation != Operation.delete.rawValue }
                .max(by: { $0.id < $1.id })
            guard let earlier else { return nil }
            return try StoredEvent.of(earlier, options: decodeOptions)
        } catch {
            log.warning("cannot read the event's earlier notifications", [("error", "\(error)")])
            return nil
        }
    }
}
