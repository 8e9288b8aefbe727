import BridgeStore
import Essentials
import FoundationEssentials
import SmartCharging
import SolarNetwork

/// Sends one claimed delivery through its channel and records the attempt and the resulting state.
///
/// Why one place: the rules that keep the outbox safe live here — the intent (`sent`) is recorded before
/// anything goes on the wire; a SolarNetwork delivery re-sent after an unknown outcome first adopts an
/// instruction that already exists; transient failures back off within the budget, then `dead`;
/// permanent ones are `failed` at once. Used by the delivery workers (state `pending`) and by the tracker
/// for deliveries left `sent` without a result by a crash.
final class DeliveryProcessor: Sendable {
    let store: BridgeStore
    let settings: DeliverySettings
    let policy: RetryPolicy
    let jitter: JitterSource
    let now: @Sendable () -> Date
    let logger: Logger
    let metrics: Metrics
    let credentials: DeliveryCredentials
    let solarNetwork: SolarNetworkInstructionChannel
    let oscp: DirectOSCPChannel
    let greenFlux: GreenFluxScenarioChannel
    /// Called after a SolarNetwork instruction was queued, so the tracker looks soon.
    let onQueued: @Sendable () -> Void

    init(store: BridgeStore, settings: DeliverySettings, jitter: JitterSource, now: @escaping @Sendable () -> Date,
         logger: Logger, metrics: Metrics, credentials: DeliveryCredentials, solarNetworkClient: SolarNetworkClient?,
         transport: @escaping DeliveryTransport, onQueued: @escaping @Sendable () -> Void) {
        self.store = store
        self.settings = settings
        self.policy = RetryPolicy(settings)
        self.jitter = jitter
        self.now = now
        self.logger = logger
        self.metrics = metrics
        self.credentials = credentials
        self.solarNetwork = SolarNetworkInstructionChannel(client: solarNetworkClient)
        let exchange = DirectHTTPExchange(transport: transport)
        self.oscp = DirectOSCPChannel(exchange: exchange)
        self.greenFlux = GreenFluxScenarioChannel(exchange: exchange)
        self.onQueued = onQueued
    }

    /// How long a delivery marked `sent` before sending is left alone before it counts as interrupted.
    var inFlightLease: Double { settings.requestTimeout * 2 + 30 }

    static func isSolarNetwork(_ channel: String) -> Bool {
        channel == DeliveryChannel.solarNetworkOCPP.rawValue || channel == DeliveryChannel.solarNetworkOSCP.rawValue
    }

    func process(_ row: DeliveryRow) {
        let started = now()
        let history: [AttemptRow]
        do {
            history = try store.attempts(deliveryId: row.id)
        } catch {
            logger.error("cannot read delivery attempts; will retry", [("deliveryId", String(row.id)), ("error", error.description)])
            return
        }
        let budget = DeliveryBudget(row: row, history: history)
        let request: StoredDeliveryRequest
        do {
            request = try StoredDeliveryRequest(text: row.requestJSON)
        } catch {
            record(row, budget: budget, startedAt: started,
                   ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: error.description, result: nil)))
            return
        }

        if Self.isSolarNetwork(row.channel) && (row.state == DeliveryState.sent || budget.hadUnknownOutcome) {
            let lookup = solarNetwork.findExisting(
                request, channel: row.channel, since: budget.start.addingTimeInterval(-settings.recoveryLookback),
                until: started.addingTimeInterval(settings.recoveryLookback), excluding: instructionsOwnedByOthers(row),
                now: started)
            switch lookup {
            case let .found(attempt), let .failed(attempt):
                record(row, budget: budget, startedAt: started, attempt)
                return
            case .none:
                break
            }
        }

        // The intent: from here on the outcome may be unknown, and a later claim must check before re-sending.
        do {
            try store.updateDelivery(deliveryId: row.id, newState: DeliveryState.sent,
                                     nextAttemptAt: now().addingTimeInterval(inFlightLease), externalId: nil,
                                     lastError: nil, result: nil, now: now())
        } catch {
            logger.error("cannot record the send intent; will retry", [("deliveryId", String(row.id)), ("error", error.description)])
            return
        }
        let sendTime = now()
        let attempt: ChannelAttempt
        switch row.channel {
        case DeliveryChannel.solarNetworkOCPP.rawValue, DeliveryChannel.solarNetworkOSCP.rawValue:
            attempt = solarNetwork.send(request, channel: row.channel, now: sendTime)
        case DeliveryChannel.oscp.rawValue:
            attempt = oscp.send(request, token: credentials.token(forTarget: row.targetKey), now: sendTime)
        case DeliveryChannel.greenFlux.rawValue:
            attempt = greenFlux.send(request, token: credentials.token(forTarget: row.targetKey), now: sendTime)
        default:
            attempt = ChannelAttempt(httpStatus: nil, latency: 0, result: .permanent(reason: "unknown channel \(row.channel)", result: nil))
        }
        record(row, budget: budget, startedAt: sendTime, attempt)
    }

    /// Instruction ids that other deliveries of the same event already hold (never adopt those).
    private func instructionsOwnedByOthers(_ row: DeliveryRow) -> Set<Int64> {
        guard let eventId = row.eventId, let siblings = try? store.deliveries(eventId: eventId) else { return [] }
        return Set(siblings.filter { $0.id != row.id }.compactMap { $0.externalId.flatMap { Int64($0) } })
    }

    private func record(_ row: DeliveryRow, budget: DeliveryBudget, startedAt: Date, _ attempt: ChannelAttempt) {
        let finished = now()
        let made = budget.attempts + 1
        var newState: String
        var next: Date?
        var externalId: String?
        var lastError: String?
        var result: String?
        switch attempt.result {
        case let .done(stored):
            newState = DeliveryState.done
            result = stored
        case let .queued(instructionId, _, stored):
            newState = DeliveryState.sent
            next = finished.addingTimeInterval(settings.trackerFirstPoll)
            externalId = String(instructionId)
            result = stored
        case let .transient(reason, retryAfter):
            if let at = policy.nextAttempt(after: made, budgetStart: budget.start, now: finished, retryAfter: retryAfter,
                                           jitter: jitter) {
                newState = DeliveryState.pending
                next = at
                lastError = reason
            } else {
                newState = DeliveryState.dead
                lastError = "gave up after \(made) attempt\(made == 1 ? "" : "s") (maxAttempts \(policy.maxAttempts), maxAge \(Int(policy.maxAge)) s): \(reason)"
            }
        case let .permanent(reason, stored):
            newState = DeliveryState.failed
            lastError = reason
            result = stored
        }
        let latencyMs = Int64((attempt.latency * 1000).rounded())
        let error: String? = {
            switch attempt.result {
            case let .transient(reason, _), let .permanent(reason, _): return reason
            default: return nil
            }
        }()
        do {
            try store.recordAttempt(deliveryId: row.id,
                                    attempt: AttemptRecord(startedAt: startedAt, latencyMs: latencyMs, httpStatus: attempt.httpStatus,
                                                           outcome: attempt.outcome, error: error),
                                    newState: newState, nextAttemptAt: next, externalId: externalId, lastError: lastError,
                                    result: result, now: finished)
        } catch {
            logger.error("cannot record a delivery attempt", [("deliveryId", String(row.id)), ("error", error.description)])
            return
        }
        metrics.increment("ecbridge_delivery_attempts_total", help: "Delivery attempts by channel and outcome.",
                          labels: [("channel", row.channel), ("outcome", attempt.outcome)])
        metrics.observe("ecbridge_delivery_attempt_seconds", help: "Time on the wire per delivery attempt.",
                        labels: [("channel", row.channel)], value: attempt.latency)
        var fields: [(String, String)] = [
            ("deliveryId", String(row.id)), ("channel", row.channel), ("target", row.targetKey),
            ("attempt", String(made)), ("outcome", attempt.outcome),
            ("latencyMs", String(latencyMs)), ("state", newState),
        ]
        // `status` is the HTTP status, always a number; absent when no answer arrived.
        if let status = attempt.httpStatus { fields.append(("status", String(status))) }
        if let externalId { fields.append(("instructionId", externalId)) }
        if let next, newState == DeliveryState.pending { fields.append(("nextAttemptAt", Timestamp.format(next, fractional: true))) }
        if let lastError { fields.append(("error", lastError)) }
        switch newState {
        case DeliveryState.failed, DeliveryState.dead: logger.warning("delivery attempt", fields)
        default: logger.info("delivery attempt", fields)
        }
        if DeliveryState.final.contains(newState) { countFinal(row.channel, newState) }
        if newState == DeliveryState.sent { onQueued() }
    }

    func countFinal(_ channel: String, _ state: String) {
        metrics.increment("ecbridge_deliveries_finished_total", help: "Deliveries that reached a final state.",
                          labels: [("channel", channel), ("state", state)])
    }
}
