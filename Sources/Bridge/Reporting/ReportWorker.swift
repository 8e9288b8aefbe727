import BridgeStore
import EnergyCoordination
import Essentials
import FoundationEssentials
import SmartCharging
import Synchronization

/// Posts exactly one report per inbox row (event + operation) once all of its deliveries are final.
///
/// Reports go through the store like deliveries: first queued (idempotency key per inbox row), then
/// posted with the delivery retry policy, so a crash or an API outage neither loses nor doubles a report.
public final class ReportWorker: Sendable {
    private let store: BridgeStore
    private let registry: TargetRegistry
    private let client: EnergyCoordinationClient
    private let policy: RetryPolicy
    private let jitter: JitterSource
    private let pollInterval: Double
    private let logger: Logger
    private let metrics: Metrics
    private let loop: Mutex<WorkerLoop?> = Mutex(nil)
    /// How a row's raw body is decoded to the event being reported (`units.targetPower`).
    private let decodeOptions: DecodeOptions

    init(store: BridgeStore, registry: TargetRegistry, client: EnergyCoordinationClient, settings: DeliverySettings,
         decodeOptions: DecodeOptions, jitter: JitterSource, logger: Logger, metrics: Metrics) {
        self.decodeOptions = decodeOptions
        self.store = store
        self.registry = registry
        self.client = client
        policy = RetryPolicy(settings)
        self.jitter = jitter
        pollInterval = settings.pollInterval
        self.logger = logger
        self.metrics = metrics
    }

    public func start() {
        let worker = WorkerLoop(name: "ecbridge-reporter", interval: pollInterval) { [self] in runOnce() }
        loop.withLock { $0 = worker }
        worker.start()
    }

    public func wake() { loop.withLock { $0 }?.wake() }

    public func stop() { loop.withLock { $0 }?.stop() }

    /// One pass: queue the reports that became due, then post the ones whose time has come.
    /// Returns how many reports were posted successfully.
    @discardableResult
    public func runOnce(now: Date = Date()) -> Int {
        queueReports(now: now)
        return postDue(now: now)
    }

    // MARK: - Queueing

    private func queueReports(now: Date) {
        let rows: [InboxRow]
        do {
            rows = try store.inboxAwaitingReport(limit: 100, includingUndelivered: true)
        } catch {
            logger.error("cannot read rows awaiting a report", [("error", error.description)])
            return
        }
        for row in rows { queue(row, now: now) }
    }

    private func queue(_ row: InboxRow, now: Date) {
        let eventId = row.eventId ?? "-"
        func noReport(_ reason: String) {
            do {
                try store.recordNoReport(inboxId: row.id, eventId: eventId, operation: row.operation, reason: reason, now: now)
                logger.debug("no report needed", [("inboxId", String(row.id)), ("event", eventId), ("reason", reason)])
            } catch {
                logger.error("cannot record that no report is needed", [("inboxId", String(row.id)), ("error", error.description)])
            }
        }
        guard let event = try? StoredEvent.of(row, options: decodeOptions) else {
            noReport("the stored event cannot be read")
            return
        }
        let operation = row.operation.flatMap(EventOperation.init(rawValue:)) ?? event.operation ?? .create
        let planned: [DeliveryRow]
        do {
            planned = try store.deliveries(inboxId: row.id)
        } catch {
            logger.error("cannot read the row's deliveries", [("inboxId", String(row.id)), ("error", error.description)])
            return
        }
        let deliveries = planned.filter { $0.state != DeliveryState.superseded }
        if deliveries.isEmpty && !planned.isEmpty {
            noReport("superseded by a later notification of the event")
            return
        }
        if operation == .delete && event.dialect == .ecV1 {
            noReport("a Delete is not reported: the sender removed the event")
            return
        }
        let outcomes = deliveries.compactMap { delivery in
            (try? JSON.parse(delivery.requestJSON)).flatMap { ReportBuilder.Outcome(requestJSON: $0, state: delivery.state) }
        }
        let skipped = Self.skippedTargets(row.planJSON)
        guard let report = ReportBuilder.report(event: event, operation: operation, outcomes: outcomes, skipped: skipped,
                                                locations: { [registry] target in registry.match(target)?.location }) else {
            noReport(outcomes.isEmpty ? "no target was delivered" : "nothing reportable for \(event.payloadType)")
            return
        }
        do {
            let id = try store.enqueueReport(NewReport(inboxId: row.id, eventId: event.id, operation: operation.rawValue,
                                                       idempotencyKey: "report:\(row.id)", requestJSON: report.compactText), now: now)
            logger.info("report queued", [("reportId", String(id)), ("inboxId", String(row.id)), ("event", event.id),
                                          ("operation", operation.rawValue)])
        } catch {
            logger.error("cannot queue the report", [("inboxId", String(row.id)), ("error", error.description)])
        }
    }

    /// The planner's skipped targets (`inbox.plan_json`), as event targets.
    static func skippedTargets(_ planJSON: String?) -> [EventTarget] {
        guard let text = planJSON, let plan = try? JSON.parse(text), let items = plan["skipped"]?.arrayValue else { return [] }
        return items.compactMap { item in
            let target = EventTarget(resourceId: item["resourceId"]?.stringValue, locationId: item["locationId"]?.stringValue,
                                     meterPointId: item["meterPointId"]?.stringValue)
            return target.resourceId == nil && target.locationId == nil && target.meterPointId == nil ? nil : target
        }
    }

    // MARK: - Posting

    private func postDue(now: Date) -> Int {
        let due: [ReportRow]
        do {
            due = try store.claimDueReports(now: now, limit: 20)
        } catch {
            logger.error("cannot claim reports", [("error", error.description)])
            return 0
        }
        var posted = 0
        for report in due where post(report, now: now) { posted += 1 }
        return posted
    }

    private func post(_ report: ReportRow, now: Date) -> Bool {
        let log = logger.with("reportId", String(report.id)).with("event", report.eventId)
        let started = Date()
        var newState = "done"
        var next: Date?
        var lastError: String?
        do {
            let body = try JSON.parse(report.requestJSON)
            _ = try client.postReport(body)
        } catch let error as EnergyCoordinationError where error.kind == .decoding {
            // A success status whose body could not be read: Spark accepted the report.
            lastError = "accepted; the answer could not be read: \(error.description)"
        } catch let error as EnergyCoordinationError {
            lastError = error.description
            if Self.isTransient(error) {
                next = policy.nextAttempt(after: report.attempts + 1, budgetStart: report.createdAt, now: now,
                                          retryAfter: nil, jitter: jitter)
                newState = next == nil ? "dead" : "pending"
            } else {
                newState = "failed"
            }
        } catch {
            lastError = "\(error)"
            newState = "failed"
        }
        let seconds = Date().timeIntervalSince(started)
        do {
            try store.recordReportAttempt(reportId: report.id, newState: newState, nextAttemptAt: next, lastError: lastError, now: Date())
        } catch {
            log.error("cannot record the report attempt", [("error", error.description)])
        }
        metrics.increment("ecbridge_reports_total", help: "Report posting attempts by outcome.", labels: [("outcome", newState)])
        metrics.observe("ecbridge_report_seconds", help: "Time to post a report.", value: seconds)
        var fields: [(String, String)] = [("state", newState), ("attempt", String(report.attempts + 1)),
                                          ("latencyMs", String(Int(seconds * 1000)))]
        if let lastError { fields.append(("error", lastError)) }
        if newState == "done" { log.info("report posted", fields) } else { log.warning("report not posted", fields) }
        return newState == "done"
    }

    /// Connection problems, token endpoint trouble, 408, 429 and 5xx are worth another try; other answers are not.
    static func isTransient(_ error: EnergyCoordinationError) -> Bool {
        switch error.kind {
        case .transport, .token, .decoding: return true
        case .http:
            guard let status = error.status else { return true }
            return status == 408 || status == 429 || status >= 500
        }
    }
}
