import BridgeStore
import EnergyCoordination
import Essentials
import FoundationEssentials
import HTTPServer
import SmartCharging
import Synchronization
import WebhookAuth

/// A running ecbridge: store, listener and workers, started from one configuration and stopped as a unit.
///
/// `serve`, `demo` and the end-to-end tests all use this type, so they exercise the same wiring.
public final class BridgeRuntime: Sendable {
    public let configuration: BridgeConfiguration
    public let store: BridgeStore
    /// This process's exclusive hold on the store (see `StoreLock`), dropped by `stop()` or by dying.
    let storeLock: StoreLock
    public let metrics: Metrics
    let logger: Logger
    let server: HTTPServer
    let intake: WebhookIntake
    /// Plans inbox rows into outbox deliveries.
    public let planningWorker: PlanningWorker
    /// Sends outbox deliveries and tracks SolarNetwork instructions.
    public let delivery: DeliveryService

    /// The bound port (useful with `listen.port` 0).
    public var port: Int { server.port }
    /// The reconciliation worker, when `energyCoordination.syncInterval` > 0 (set once at start).
    let partnerSync = Mutex<PartnerSyncWorker?>(nil)
    /// Posts reports back to Energy Coordination, when `energyCoordination` has client credentials.
    let reporter = Mutex<ReportWorker?>(nil)

    private init(configuration: BridgeConfiguration, store: BridgeStore, storeLock: StoreLock, metrics: Metrics,
                 logger: Logger, server: HTTPServer, intake: WebhookIntake, planningWorker: PlanningWorker,
                 delivery: DeliveryService) {
        self.configuration = configuration
        self.store = store
        self.storeLock = storeLock
        self.metrics = metrics
        self.logger = logger
        self.server = server
        self.intake = intake
        self.planningWorker = planningWorker
        self.delivery = delivery
    }

    /// Locks and opens the store, releases the claims a dead predecessor left, resolves every secret, binds
    /// the listener and starts the workers.
    ///
    /// Throws `StoreLockError.held` when another runtime (another `ecbridge serve`) holds the store's
    /// lock: two would send the same deliveries.
    public static func start(_ configuration: BridgeConfiguration, logger: Logger,
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             deliveryDependencies: DeliveryDependencies = DeliveryDependencies()) throws -> BridgeRuntime {
        let endpoints = try makeEndpoints(configuration, environment: environment)
        if endpoints.isEmpty {
            logger.warning("no webhooks configured: every webhook request will answer 404")
        }
        let storeOptions = configuration.store.storeOptions
        let storeLock = try StoreLock.acquire(storePath: configuration.store.path)
        let store: BridgeStore
        do {
            store = try BridgeStore.open(storeOptions)
        } catch {
            storeLock.release()
            throw error
        }
        do {
            try releaseStaleClaims(store, logger: logger)
        } catch {
            store.close()
            storeLock.release()
            throw error
        }
        let metrics = Metrics()
        let registry = try configuration.targetRegistry()
        let planner = Planner(registry: registry)
        let delivery: DeliveryService
        do {
            delivery = try DeliveryService(configuration: configuration, store: store, registry: registry,
                                           logger: logger.with("component", "delivery"), metrics: metrics,
                                           environment: environment, dependencies: deliveryDependencies)
        } catch {
            store.close()
            storeLock.release()
            throw error
        }
        let decodeOptions = configuration.units.decodeOptions
        // The intake leaves each stored event decoded here; the planner takes it instead of decoding again.
        let eventCache = DecodedEventCache()
        let planningWorker = PlanningWorker(store: store, planner: planner, logger: logger.with("component", "planner"),
                                            metrics: metrics, settings: configuration.planner,
                                            decodeOptions: decodeOptions, eventCache: eventCache,
                                            onPlanned: { delivery.wake() })
        let intake = WebhookIntake(endpoints: endpoints, store: store, decodeOptions: decodeOptions,
                                   logger: logger.with("component", "intake"), metrics: metrics,
                                   maxUnauthenticatedQuarantine: configuration.store.maxUnauthenticatedQuarantine,
                                   eventCache: eventCache, onAdmitted: { planningWorker.wake() })
        let listen = configuration.listen
        var http = HTTPServerConfiguration()
        http.host = listen.host
        http.port = listen.port
        http.maxHeaderBytes = listen.maxHeaderBytes
        http.maxHeaderCount = listen.maxHeaderCount
        http.maxBodyBytes = max(listen.maxBodyBytes, endpoints.map(\.maxBodyBytes).max() ?? 0)
        http.requestReadTimeout = listen.requestReadTimeout
        http.idleTimeout = listen.idleTimeout
        http.writeTimeout = listen.writeTimeout
        http.maxConnections = listen.maxConnections
        http.maxChunkLineBytes = listen.maxChunkLineBytes
        http.lingerTimeout = listen.lingerTimeout
        http.lingerMaxBytes = listen.lingerMaxBytes
        http.backlog = listen.backlog
        if listen.eventLoops > 0 { http.eventLoopCount = listen.eventLoops }
        if let tls = listen.tls {
            do {
                http.tls = try makeTLSContext(tls)
            } catch {
                store.close()
                storeLock.release()
                throw error
            }
        }
        let server = HTTPServer(configuration: http, handler: intake)
        do {
            _ = try server.start()
        } catch {
            store.close()
            storeLock.release()
            throw error
        }
        planningWorker.start()
        delivery.start()
        let runtime = BridgeRuntime(configuration: configuration, store: store, storeLock: storeLock, metrics: metrics,
                                    logger: logger, server: server, intake: intake, planningWorker: planningWorker,
                                    delivery: delivery)
        runtime.registerGauges()
        try runtime.startPartnerSync(environment: environment)
        try runtime.startReporter(registry: registry, environment: environment, jitter: deliveryDependencies.jitter)
        logger.info("listening", [("host", listen.host), ("port", String(server.port)),
                                  ("tls", listen.tls == nil ? "off" : "on"),
                                  ("webhooks", endpoints.map(\.settings.path).joined(separator: ",")),
                                  ("store", configuration.store.path)])
        return runtime
    }

    /// Ends the claims of a process that died holding them (the lock proves none other is running), so
    /// its deliveries and reports go on now rather than when their lease ends; see
    /// `BridgeStore.releaseAllClaims` for why that takes the same path as an expired lease.
    private static func releaseStaleClaims(_ store: BridgeStore, logger: Logger) throws(StoreError) {
        let released = try store.releaseAllClaims()
        guard released.deliveries > 0 || released.reports > 0 else { return }
        logger.info("released stale claims of a previous process",
                    [("deliveries", String(released.deliveries)), ("reports", String(released.reports))])
    }

    /// Reads `listen.tls` certificate and key again (SIGHUP) and uses them for new connections; open
    /// connections keep their session. On error the old certificate stays in use and the error is thrown.
    public func reloadTLS() throws {
        guard let settings = configuration.listen.tls else {
            logger.warning("reload requested but listen.tls is not configured")
            return
        }
        let context = try Self.makeTLSContext(settings)
        try server.reloadTLS(context)
        logger.info("TLS certificate reloaded", [("certificate", settings.certificate)])
    }

    /// Loads the PEM files; failures become configuration errors naming the setting (never key bytes).
    static func makeTLSContext(_ settings: TLSSettings) throws(ConfigError) -> TLSServerContext {
        do {
            return try TLSServerContext(certificatePath: settings.certificate, privateKeyPath: settings.privateKey)
        } catch {
            switch error {
            case .certificate(let path, let reason):
                throw ConfigError(path: "listen.tls.certificate", message: "cannot load \(path): \(reason)")
            case .privateKey(let path, let reason):
                throw ConfigError(path: "listen.tls.privateKey", message: "cannot load \(path): \(reason)")
            case .setup(let reason):
                throw ConfigError(path: "listen.tls", message: reason)
            }
        }
    }

    /// Graceful stop: report not-ready, finish in-flight requests (bounded), stop workers, close the store.
    public func stop() {
        logger.info("stopping", [("drainTimeout", String(configuration.listen.drainTimeout))])
        partnerSync.withLock { $0 }?.stop()
        reporter.withLock { $0 }?.stop()
        intake.beginDraining()
        server.shutdown(drainTimeout: configuration.listen.drainTimeout)
        planningWorker.stop()
        delivery.stop()
        store.close()
        storeLock.release()
        logger.info("stopped")
    }

    private func registerGauges() {
        let server = self.server
        metrics.gauge("ecbridge_http_open_connections", help: "Open HTTP connections.") {
            [([], Double(server.statistics.openConnections))]
        }
        metrics.counter("ecbridge_http_connections_total", help: "HTTP connections accepted.") {
            [([], Double(server.statistics.acceptedConnections))]
        }
        metrics.counter("ecbridge_http_requests_total", help: "Complete HTTP requests handed to the application.") {
            [([], Double(server.statistics.requests))]
        }
        metrics.counter("ecbridge_http_rejections_total",
                        help: "Responses the HTTP server generated itself (malformed, too large, timeouts, overload), by status.") {
            server.statistics.rejections.sorted(by: { $0.key < $1.key }).map { ([("status", String($0.key))], Double($0.value)) }
        }
        let store = self.store
        metrics.gauge("ecbridge_inbox_rows", help: "Inbox rows by state.") {
            guard let counts = try? store.counts() else { return [] }
            return counts.inbox.sorted(by: { $0.key < $1.key }).map { ([("state", $0.key)], Double($0.value)) }
        }
        metrics.gauge("ecbridge_outbox_deliveries", help: "Outbox deliveries by state.") {
            guard let counts = try? store.counts() else { return [] }
            return counts.deliveries.sorted(by: { $0.key < $1.key }).map { ([("state", $0.key)], Double($0.value)) }
        }
        registerStoreMetrics()
    }

    /// The group-commit writer's counters: how many transactions, how many operations they carried
    /// (operations / batches = mean batch size), failures, overload refusals and the current queue.
    private func registerStoreMetrics() {
        let store = self.store
        let counters: [(String, String, @Sendable (StoreStatistics) -> Int)] = [
            ("ecbridge_store_batches_total", "Store transactions committed (group commits).", { $0.batches }),
            ("ecbridge_store_operations_total", "Store write operations carried by committed transactions.", { $0.operations }),
            ("ecbridge_store_failed_operations_total", "Store write operations that failed alone (rolled back to their savepoint).", { $0.failedOperations }),
            ("ecbridge_store_failed_batches_total", "Store transactions whose BEGIN or COMMIT failed.", { $0.failedBatches }),
            ("ecbridge_store_overload_rejections_total", "Store writes refused because the write queue was full.", { $0.overloadRejections }),
        ]
        for (name, help, value) in counters {
            metrics.counter(name, help: help) { [([], Double(value(store.statistics)))] }
        }
        metrics.gauge("ecbridge_store_largest_batch", help: "The largest number of operations committed in one transaction so far.") {
            [([], Double(store.statistics.largestBatch))]
        }
        metrics.gauge("ecbridge_store_queue_depth", help: "Store write operations waiting for the writer.") {
            [([], Double(store.statistics.queueDepth))]
        }
    }

    static func makeEndpoints(_ configuration: BridgeConfiguration, environment: [String: String]) throws -> [WebhookEndpoint] {
        var endpoints: [WebhookEndpoint] = []
        for (index, hook) in configuration.webhooks.enumerated() {
            var secrets: [String] = []
            for (secretIndex, reference) in hook.secrets.enumerated() {
                do {
                    secrets.append(try reference.resolve(environment: environment))
                } catch {
                    throw ConfigError(path: "webhooks[\(index)].secrets[\(secretIndex)]", message: error.message)
                }
            }
            guard let scheme = WebhookScheme(rawValue: hook.scheme) else {
                throw ConfigError(path: "webhooks[\(index)].scheme", message: "unknown scheme \(hook.scheme)")
            }
            let verifier: WebhookVerifier
            do {
                verifier = try WebhookVerifier(scheme: scheme, secrets: secrets, tolerance: hook.tolerance)
            } catch {
                throw ConfigError(path: "webhooks[\(index)].secrets", message: "\(error)")
            }
            endpoints.append(WebhookEndpoint(settings: hook, verifier: verifier,
                                             maxBodyBytes: hook.maxBodyBytes ?? configuration.listen.maxBodyBytes))
        }
        return endpoints
    }

    /// Starts the reporter when the Energy Coordination client can be built; without an
    /// `energyCoordination` section nothing is reported (and the log says so once).
    private func startReporter(registry: TargetRegistry, environment: [String: String], jitter: JitterSource) throws {
        guard let settings = configuration.energyCoordination, settings.clientId != nil, settings.clientSecret != nil else {
            logger.info("reports back to Energy Coordination are off (no energyCoordination credentials)")
            return
        }
        let client = try PartnerClientFactory.client(settings, environment: environment,
                                                     http: OutboundHTTPClient(delivery: configuration.delivery, environment: environment))
        let worker = ReportWorker(store: store, registry: registry, client: client, settings: configuration.delivery,
                                  decodeOptions: configuration.units.decodeOptions, jitter: jitter,
                                  logger: logger.with("component", "reporter"), metrics: metrics)
        reporter.withLock { $0 = worker }
        worker.start()
    }
}
