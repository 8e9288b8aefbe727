import BridgeStore
import EnergyCoordination
import Essentials
import Foundation
import SmartCharging
import Synchronization

/// Turns inbox rows into outbox deliveries with the same planner as `ecbridge map` (one code path).
///
/// Each row is planned in one store transaction (deliveries inserted, superseded ones marked, the row
/// marked `planned`), so after a crash the worker simply picks up the rows still `received`. Planning uses
/// the row's receive time as "now", so a replan after a crash produces the same messages and keys.
public final class PlanningWorker: Sendable {
    private let store: BridgeStore
    private let planner: Planner
    private let logger: Logger
    private let metrics: Metrics
    private let loop: Mutex<WorkerLoop?> = Mutex(nil)
    private let stopping = Atomic<Bool>(false)
    /// Rows looked at per pass.
    private let batchSize = 100
    /// Seconds between passes when nobody wakes the worker.
    private let pollInterval: Double
    /// Called after a row's plan wrote deliveries (wakes the delivery workers).
    private let onPlanned: @Sendable () -> Void

    public init(store: BridgeStore, planner: Planner, logger: Logger, metrics: Metrics, pollInterval: Double = 1,
                onPlanned: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.planner = planner
        self.logger = logger
        self.metrics = metrics
        self.pollInterval = pollInterval
        self.onPlanned = onPlanned
    }

    public func start() {
        let worker = WorkerLoop(name: "ecbridge-planner", interval: pollInterval) { [self] in planPending() }
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
    @discardableResult
    public func planPending() -> Int {
        var planned = 0
        while !stopping.load(ordering: .acquiring) || planned == 0 {
            let rows: [InboxRow]
            do {
                rows = try store.unplannedInbox(limit: batchSize)
            } catch {
                logger.error("cannot read the inbox", [("error", error.description)])
                return planned
            }
            if rows.isEmpty { return planned }
            for row in rows {
                planRow(row)
                planned += 1
            }
            if rows.count < batchSize { return planned }
        }
        return planned
    }

    private func planRow(_ row: InboxRow) {
        let log = logger.with("inboxId", String(row.id)).with("event", row.eventId ?? "-")
        let event: CoordinationEvent
        do {
            let json = try JSON.parse(row.eventJSON ?? "")
            event = try CoordinationEvent(json: json)
        } catch {
            markFailed(row, reason: "stored event cannot be read: \(error)", log: log)
            return
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
        do {
            _ = try store.plan(inboxId: row.id, state: "planned", deliveries: deliveries, planJSON: summary.compactText)
            metrics.increment("ecbridge_planned_events_total", help: "Inbox rows planned.", labels: [("dialect", event.dialect.rawValue)])
            metrics.increment("ecbridge_planned_deliveries_total", help: "Deliveries written to the outbox.", by: Double(deliveries.count))
            for skipped in plan.skipped {
                log.warning("target skipped", [("target", skipped.resourceId ?? skipped.locationId ?? skipped.meterPointId ?? "-"),
                                                ("reason", skipped.reason)])
            }
            log.info("event planned", [("operation", plan.operation.rawValue), ("deliveries", String(deliveries.count)),
                                       ("skipped", String(plan.skipped.count))])
            if !deliveries.isEmpty { onPlanned() }
        } catch {
            log.error("cannot store the plan; will retry", [("error", error.description)])
        }
    }

    /// The latest earlier, non-Delete notification of the same event, if the inbox has one.
    private func previousNotification(of row: InboxRow, log: Logger) -> CoordinationEvent? {
        guard let eventId = row.eventId else { return nil }
        do {
            let earlier = try store.inboxRows(eventId: eventId)
                .filter { $0.id < row.id && $0.operation != Operation.delete.rawValue }
                .max(by: { $0.id < $1.id })
            guard let text = earlier?.eventJSON else { return nil }
            return try CoordinationEvent(json: JSON.parse(text))
        } catch {
            log.warning("cannot read the event's earlier notifications", [("error", "\(error)")])
            return nil
        }
    }

    private func markFailed(_ row: InboxRow, reason: String, log: Logger) {
        do {
            _ = try store.plan(inboxId: row.id, state: "failed", deliveries: [], error: reason)
        } catch {
            log.error("cannot mark the inbox row failed", [("error", error.description)])
        }
        log.error("event not planned", [("reason", reason)])
    }
}

