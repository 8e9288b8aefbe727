import EnergyCoordination
import FoundationEssentials

extension BridgeRuntime {
    /// Starts the reconciliation worker when `energyCoordination.syncInterval` > 0 (see `PartnerSyncWorker`).
    /// A configuration error stops the start: the listener and planner are shut down again.
    func startPartnerSync(environment: [String: String]) throws {
        guard let settings = configuration.energyCoordination, settings.syncInterval > 0 else { return }
        let client: EnergyCoordinationClient
        do {
            client = try PartnerClientFactory.client(settings, environment: environment)
        } catch {
            stop()
            throw error
        }
        let decodeOptions = configuration.units.decodeOptions
        let planner = planningWorker
        let worker = PartnerSyncWorker(reconciler: EventReconciler(client: client, store: store, decodeOptions: decodeOptions),
                                       interval: settings.syncInterval, logger: logger.with("component", "partner-sync"),
                                       metrics: metrics, onAdmitted: { planner.wake() })
        partnerSync.withLock { $0 = worker }
        worker.start()
        logger.info("partner sync started", [("interval", String(settings.syncInterval)), ("api", client.configuration.description)])
    }

    /// Runs one reconciliation now through the running worker; nil when none is configured.
    public func syncPartnerEventsNow() -> EventReconciler.Outcome? {
        partnerSync.withLock { $0 }?.syncOnce()
    }
}
