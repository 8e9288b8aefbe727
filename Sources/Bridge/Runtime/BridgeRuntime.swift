import BridgeStore
import EnergyCoordination
import Essentials
import Foundation
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
    public let metrics: Metrics
    let logger: Logger
    let server: HTTPServer
    let intake: WebhookIntake
    /// Plans inbox rows into outbox deliveries.
    public let planningWorker: PlanningWorker

    /// The bound port (useful with `listen.port` 0).
    public var port: Int { server.port }
    /// The reconciliation worker, when `energyCoordination.syncInterval` > 0 (set once at start).
    let partnerSync = Mutex<PartnerSyncWorker?>(nil)

    private init(configuration: BridgeConfiguration, store: BridgeStore, metrics: Metrics, logger: Logger,
                 server: HTTPServer, intake: WebhookIntake, planningWorker: PlanningWorker) {
        self.configuration = configuration
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.server = server
        self.intake = intake
        self.planningWorker = planningWorker
    }

    /// Opens the store, resolves every secret, binds the listener and starts the workers.
    public static func start(_ configuration: BridgeConfiguration, logger: Logger,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BridgeRuntime {
        let endpoints = try makeEndpoints(configuration, environment: environment)
        if endpoints.isEmpty {
            logger.warning("no webhooks configured: every webhook request will answer 404")
        }
        var storeOptions = StoreOptions(path: configuration.store.path)
        storeOptions.maxBatch = configuration.store.maxBatch
        storeOptions.maxQueue = configuration.store.maxQueue
        let store = try BridgeStore.open(storeOptions)
        let metrics = Metrics()
        let planner = Planner(registry: try TargetRegistry(json: .array(configuration.targets), path: "targets"))
        let planningWorker = PlanningWorker(store: store, planner: planner, logger: logger.with("component", "planner"),
                                            metrics: metrics)
        let decodeOptions = DecodeOptions(targetPowerUnit: configuration.units.targetPower == "kW" ? .kilowatts : .watts)
        let intake = WebhookIntake(endpoints: endpoints, store: store, decodeOptions: decodeOptions,
                                   logger: logger.with("component", "intake"), metrics: metrics,
                                   maxUnauthenticatedQuarantine: configuration.store.maxUnauthenticatedQuarantine,
                                   onAdmitted: { planningWorker.wake() })
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
        let server = HTTPServer(configuration: http, handler: intake)
        do {
            _ = try server.start()
        } catch {
            store.close()
            throw error
        }
        planningWorker.start()
        let runtime = BridgeRuntime(configuration: configuration, store: store, metrics: metrics, logger: logger,
                                    server: server, intake: intake, planningWorker: planningWorker)
        runtime.registerGauges()
        try runtime.startPartnerSync(environment: environment)
        logger.info("listening", [("host", listen.host), ("port", String(server.port)),
                                  ("webhooks", endpoints.map(\.settings.path).joined(separator: ",")),
                                  ("store", configuration.store.path)])
        return runtime
    }

    /// Graceful stop: report not-ready, finish in-flight requests (bounded), stop workers, close the store.
    public func stop() {
        logger.info("stopping", [("drainTimeout", String(configuration.listen.drainTimeout))])
        partnerSync.withLock { $0 }?.stop()
        intake.beginDraining()
        server.shutdown(drainTimeout: configuration.listen.drainTimeout)
        planningWorker.stop()
        store.close()
        logger.info("stopped")
    }

    private func registerGauges() {
        let server = self.server
        metrics.gauge("ecbridge_http_open_connections", help: "Open HTTP connections.") {
            [([], Double(server.statistics.openConnections))]
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
}
