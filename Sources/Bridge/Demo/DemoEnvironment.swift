import EnergyCoordination
import Essentials
import FoundationEssentials
import WebhookAuth

/// Everything `ecbridge demo` runs: the four stand-ins on free ports and an ecbridge runtime wired to
/// them through a configuration built in code (temporary store, generated webhook secret).
///
/// It is the same runtime `serve` uses; only the peers are local.
final class DemoEnvironment: Sendable {
    let directory: String
    let solarNetwork: SolarNetworkSimulator
    let oscp: OSCPSimulator
    let greenFlux: GreenFluxSimulator
    let energyCoordination: EnergyCoordinationSimulator
    let runtime: BridgeRuntime
    let webhookPath = "/webhooks/energy-coordination"
    let webhookSecret: String

    init(logger: Logger) throws {
        // What `NSTemporaryDirectory()` gives: the temporary directory with a trailing slash.
        directory = FileManager.default.temporaryDirectory.path + "/ecbridge-demo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        solarNetwork = SolarNetworkSimulator()
        oscp = OSCPSimulator(settings: .init(token: "demo-oscp-token", groupIds: ["site-7"]))
        greenFlux = GreenFluxSimulator(settings: .init(token: "demo-greenflux-token", capacityGroupIds: ["cg-9"]))
        var ecSettings = EnergyCoordinationSimulatorSettings(clientId: "demo-client", clientSecret: "demo-client-secret")
        ecSettings.webhookRetryDelay = 0.2
        energyCoordination = EnergyCoordinationSimulator(settings: ecSettings)
        _ = try solarNetwork.start()
        _ = try oscp.start()
        _ = try greenFlux.start()
        _ = try energyCoordination.start()
        webhookSecret = Base64.encode(try SecureRandom.bytes(32))
        let configuration = try BridgeConfiguration(json: Self.configuration(
            directory: directory, webhookPath: webhookPath, solarNetwork: solarNetwork.baseURL, oscp: oscp.baseURL,
            greenFlux: greenFlux.baseURL, energyCoordination: energyCoordination))
        runtime = try BridgeRuntime.start(configuration, logger: logger,
                                          environment: ["ECBRIDGE_DEMO_WEBHOOK_SECRET": webhookSecret])
    }

    var webhookURL: String { "http://127.0.0.1:\(runtime.port)\(webhookPath)" }

    func stop() {
        runtime.stop()
        for simulator in [solarNetwork.stop, oscp.stop, greenFlux.stop, energyCoordination.stop] as [() -> Void] { simulator() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The Energy Coordination client for one API generation (v1 subscriptions, 2024 webhooks), built from
    /// the runtime's own `energyCoordination` settings the way every other client is.
    func partnerClient(_ version: APIVersion) throws -> EnergyCoordinationClient {
        guard var settings = runtime.configuration.energyCoordination else {
            throw CLIError("the demo configuration has no energyCoordination section")
        }
        settings.apiVersion = version.rawValue
        return try PartnerClientFactory.client(settings, environment: [:], http: OutboundHTTPClient(timeout: 10))
    }

    /// `samples/config.json`'s targets, pointed at the stand-ins, with fast worker settings.
    static func configuration(directory: String, webhookPath: String, solarNetwork: String, oscp: String, greenFlux: String,
                              energyCoordination: EnergyCoordinationSimulator) throws -> JSON {
        try JSON.parse("""
        {
          "listen": { "host": "127.0.0.1", "port": 0, "drainTimeout": 2 },
          "store": { "path": "\(directory)/ecbridge.sqlite" },
          "webhooks": [ { "path": "\(webhookPath)", "scheme": "spark", "secrets": [ { "env": "ECBRIDGE_DEMO_WEBHOOK_SECRET" } ] } ],
          "energyCoordination": { "baseUrl": "\(energyCoordination.apiBaseURL)", "tokenUrl": "\(energyCoordination.tokenURL)",
                                  "clientId": "demo-client", "clientSecret": "demo-client-secret" },
          "solarNetwork": { "baseUrl": "\(solarNetwork)", "token": "sample-token", "secret": "sample-token-secret" },
          "delivery": { "pollInterval": 0.1, "trackerFirstPoll": 0.1, "trackerMaxPoll": 0.3, "baseDelay": 0.2, "requestTimeout": 5 },
          "targets": [
            { "resourceId": "vehicle-1", "channel": "solarnetwork-ocpp", "nodeId": 123, "chargePointId": 5,
              "connectorId": 1, "ocppVersion": "1.6", "rateUnit": "A", "phases": 3, "voltage": 230,
              "minCurrent": 6, "maxCurrent": 32, "location": { "latitude": 63.43, "longitude": 10.39 } },
            { "resourceId": "vehicle-2", "channel": "solarnetwork-oscp", "nodeId": 123, "capacityOptimizerId": 1,
              "groupIdentifier": "foo-group", "unit": "KW", "defaultCapacity": 11,
              "location": { "latitude": 63.42, "longitude": 10.4 } },
            { "locationId": "loc-7", "channel": "oscp", "baseUrl": "\(oscp)/oscp/fp/2.0", "token": "demo-oscp-token",
              "groupIdentifier": "site-7", "unit": "KW", "defaultCapacity": 22 },
            { "locationId": "loc-9", "channel": "greenflux", "baseUrl": "\(greenFlux)", "token": "demo-greenflux-token",
              "capacityGroupId": "cg-9", "defaultCapacity": 32 }
          ]
        }
        """)
    }
}
