import BridgeStore
import Dispatch
import Essentials
import FoundationEssentials
import Synchronization
import SmartCharging
import SolarNetwork

/// The outbox's moving parts: `workers` threads sending due deliveries and one tracker thread following
/// queued instructions, started and stopped with the runtime.
///
/// Why threads over the store's claim query: a claim is a durable lease, so several workers never send
/// the same delivery, a crashed worker only delays one, and per-target order holds because the claim
/// query hands out a target's next delivery only after the earlier ones are final.
public final class DeliveryService: Sendable {
    private let store: BridgeStore
    private let settings: DeliverySettings
    private let logger: Logger
    let processor: DeliveryProcessor
    let tracker: InstructionTracker
    private let workerWakeup = WakeSignal()
    private let trackerWakeup = WakeSignal()
    private let loops: Mutex<[WorkerLoop]> = Mutex([])
    /// Instructions polled per tracker pass.
    private let trackerBatch = 20

    /// Resolves the channel secrets (throws `ConfigError` naming the key) and prepares, without starting.
    public init(configuration: BridgeConfiguration, store: BridgeStore, registry: TargetRegistry, logger: Logger,
                metrics: Metrics, environment: [String: String] = ProcessInfo.processInfo.environment,
                dependencies: DeliveryDependencies = DeliveryDependencies()) throws(ConfigError) {
        let settings = configuration.delivery
        let credentials = try DeliveryCredentials.resolve(configuration, registry: registry, environment: environment)
        let transport: DeliveryTransport
        if let injected = dependencies.transport {
            transport = injected
        } else {
            let client = OutboundHTTPClient(delivery: settings, environment: environment)
            transport = { method, url, headers, body throws in try client.send(method: method, url: url, headers: headers, body: body) }
        }
        var solarNetworkClient: SolarNetworkClient?
        if let solar = credentials.solarNetwork, let base = configuration.solarNetwork?.baseUrl {
            solarNetworkClient = SolarNetworkClient(
                baseURL: base, credentials: solar,
                transport: { method, url, headers, body throws in
                    let response = try transport(method, url, headers, body)
                    return SolarNetworkHTTPResponse(status: response.status, headers: response.headers.map { ($0.key, $0.value) },
                                                    body: response.body)
                },
                digest: settings.signDigest, now: dependencies.now)
        }
        self.store = store
        self.settings = settings
        self.logger = logger
        let trackerWakeup = self.trackerWakeup
        processor = DeliveryProcessor(store: store, settings: settings, jitter: dependencies.jitter, now: dependencies.now,
                                      logger: logger, metrics: metrics, credentials: credentials,
                                      solarNetworkClient: solarNetworkClient, transport: transport,
                                      onQueued: { trackerWakeup.wake() })
        tracker = InstructionTracker(processor: processor)
    }

    public func start() {
        var started: [WorkerLoop] = (0..<settings.workers).map { index in
            WorkerLoop(name: "ecbridge-delivery-\(index + 1)", interval: settings.pollInterval, wakeup: workerWakeup) { [self] in
                deliverDue(limit: 1)
            }
        }
        started.append(WorkerLoop(name: "ecbridge-tracker", interval: min(settings.pollInterval, settings.trackerFirstPoll),
                                  wakeup: trackerWakeup) { [self] in trackDue(limit: trackerBatch) })
        loops.withLock { $0 = started }
        for loop in started { loop.start() }
        logger.info("delivery started", [("workers", String(settings.workers))])
    }

    /// Asks an idle worker to look at the outbox now (after the planner wrote deliveries).
    public func wake() { workerWakeup.wake() }

    /// Lets each thread finish what it is sending or polling, then waits for all of them.
    public func stop() {
        WorkerLoop.stop(loops.withLock { $0 })
    }

    /// Claims and sends up to `limit` due `pending` deliveries on the calling thread; returns how many.
    @discardableResult
    public func deliverDue(limit: Int = 10) -> Int {
        let rows: [DeliveryRow]
        do {
            rows = try store.claimDueDeliveries(now: processor.now(), limit: limit)
        } catch {
            logger.error("cannot claim deliveries", [("error", error.description)])
            return 0
        }
        for row in rows { processor.process(row) }
        return rows.count
    }

    /// Claims and polls up to `limit` due `sent` deliveries on the calling thread; returns how many.
    @discardableResult
    public func trackDue(limit: Int = 20) -> Int {
        let rows: [DeliveryRow]
        do {
            rows = try store.claimDueDeliveries(now: processor.now(), limit: limit, state: DeliveryState.sent)
        } catch {
            logger.error("cannot claim sent deliveries", [("error", error.description)])
            return 0
        }
        for row in rows { tracker.track(row) }
        return rows.count
    }
}
