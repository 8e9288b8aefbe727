import Bridge
import Essentials
import Foundation

/// The four peers of an end-to-end run — SolarNetwork, OSCP, GreenFlux and the Energy Coordination API —
/// as in-process stand-ins on free loopback ports, plus the `ecbridge serve` configuration that points
/// at them.
///
/// Why in-process: the checks read what each stand-in received (instructions, forecasts, scenario lists,
/// reports, request logs with receipt times) straight from memory, and latency timestamps share this
/// process's clock. Only `ecbridge serve` runs as a separate process, so it can be SIGKILLed.
final class StandIns {
    let solarNetwork: SolarNetworkSimulator
    let oscp: OSCPSimulator
    let greenFlux: GreenFluxSimulator
    let energyCoordination: EnergyCoordinationSimulator

    static let oscpToken = "e2e-oscp-token"
    static let greenFluxToken = "e2e-greenflux-token"
    static let clientId = "e2e-client"
    static let clientSecret = "e2e-client-secret"
    static let oscpGroup = "site-7"
    static let greenFluxGroup = "cg-9"

    /// - Parameters:
    ///   - downstream: faults of the SolarNetwork, OSCP and GreenFlux stand-ins.
    ///   - partner: faults of the Energy Coordination stand-in (reports and tokens).
    ///   - secondsPerStep: SolarNetwork instructions also progress with time (nil: by polls only); the
    ///     default 20 ms lets one status poll find an instruction completed, as a quick charger would.
    ///   - chargers: extra OCPP chargers (ids 1001…, one connector each) for `ocppTargets`.
    init(downstream: SimulatorFaults, partner: SimulatorFaults, secondsPerStep: Double? = 0.02, chargers: Int = 0) throws {
        var settings = SolarNetworkSimulatorSettings()
        settings.secondsPerStep = secondsPerStep
        settings.chargers += (0 ..< chargers).map {
            SolarNetworkSimulatorSettings.Charger(id: Int64(1001 + $0), nodeId: 123, identifier: "CP-\(1001 + $0)", connectorCount: 1)
        }
        // Each stand-in draws from its own sequence: same seed, different streams.
        var faults = downstream
        solarNetwork = SolarNetworkSimulator(settings: settings, faults: faults)
        faults.seed = downstream.seed &+ 1
        oscp = OSCPSimulator(settings: .init(token: Self.oscpToken, groupIds: [Self.oscpGroup]), faults: faults)
        faults.seed = downstream.seed &+ 2
        greenFlux = GreenFluxSimulator(settings: .init(token: Self.greenFluxToken, capacityGroupIds: [Self.greenFluxGroup]),
                                       faults: faults)
        energyCoordination = EnergyCoordinationSimulator(
            settings: EnergyCoordinationSimulatorSettings(clientId: Self.clientId, clientSecret: Self.clientSecret),
            faults: partner)
        try solarNetwork.start()
        try oscp.start()
        try greenFlux.start()
        try energyCoordination.start()
    }

    func stop() {
        solarNetwork.stop()
        oscp.stop()
        greenFlux.stop()
        energyCoordination.stop()
    }

    /// The `ecbridge serve` configuration: every channel pointed at a stand-in, reports on, fast delivery
    /// settings (`delivery` keys override the defaults given here).
    func configuration(port: Int, storePath: String, secret: String, delivery: [String: String] = [:],
                       store: [String: String] = [:], logLevel: String = "warning") -> String {
        configuration(port: port, storePath: storePath, secret: secret, delivery: delivery, store: store, logLevel: logLevel,
                      targets: sampleTargets)
    }

    /// vehicle-1 (SolarNetwork OCPP), vehicle-2 (SolarNetwork OSCP), loc-7 (OSCP), loc-9 (GreenFlux).
    var sampleTargets: String {
        """
            { "resourceId": "vehicle-1", "channel": "solarnetwork-ocpp", "nodeId": 123, "chargePointId": 5,
              "connectorId": 1, "ocppVersion": "1.6", "rateUnit": "A", "phases": 3, "voltage": 230,
              "minCurrent": 6, "maxCurrent": 32, "location": { "latitude": 63.43, "longitude": 10.39 } },
            { "resourceId": "vehicle-2", "channel": "solarnetwork-oscp", "nodeId": 123, "capacityOptimizerId": 1,
              "groupIdentifier": "foo-group", "unit": "KW", "defaultCapacity": 11,
              "location": { "latitude": 63.42, "longitude": 10.4 } },
            { "locationId": "loc-7", "channel": "oscp", "baseUrl": "\(oscp.baseURL)/oscp/fp/2.0", "token": "\(Self.oscpToken)",
              "groupIdentifier": "\(Self.oscpGroup)", "unit": "KW", "defaultCapacity": 22 },
            { "locationId": "loc-9", "channel": "greenflux", "baseUrl": "\(greenFlux.baseURL)", "token": "\(Self.greenFluxToken)",
              "capacityGroupId": "\(Self.greenFluxGroup)", "defaultCapacity": 32 }
        """
    }

    /// `count` SolarNetwork OCPP targets `vehicle-1…`, one per extra charger (1001…).
    static func ocppTargets(_ count: Int) -> String {
        (0 ..< count).map { index in
            "{\"resourceId\":\"vehicle-\(index + 1)\",\"channel\":\"solarnetwork-ocpp\",\"nodeId\":123,\"chargePointId\":\(1001 + index),"
                + "\"connectorId\":1,\"ocppVersion\":\"1.6\",\"rateUnit\":\"A\",\"phases\":3,\"voltage\":230,\"minCurrent\":6,"
                + "\"maxCurrent\":32,\"location\":{\"latitude\":63.43,\"longitude\":10.39}}"
        }.joined(separator: ",\n")
    }

    func configuration(port: Int, storePath: String, secret: String, delivery: [String: String], store: [String: String],
                       logLevel: String, targets: String) -> String {
        var deliverySettings = ["pollInterval": "0.05", "trackerFirstPoll": "0.05", "trackerMaxPoll": "0.2",
                                "baseDelay": "0.2", "maxDelay": "2", "requestTimeout": "2", "recoveryLookback": "60"]
        deliverySettings.merge(delivery) { _, new in new }
        var storeSettings = ["path": BenchReport.quote(storePath)]
        storeSettings.merge(store) { _, new in new }
        func object(_ members: [String: String]) -> String {
            "{" + members.sorted { $0.key < $1.key }.map { "\(BenchReport.quote($0.key)):\($0.value)" }.joined(separator: ",") + "}"
        }
        return """
        {
          "listen": { "host": "127.0.0.1", "port": \(port), "drainTimeout": 2 },
          "store": \(object(storeSettings)),
          "log": { "level": "\(logLevel)" },
          "webhooks": [ { "path": "\(ServerUnderTest.webhookPath)", "scheme": "spark", "secrets": [ \(BenchReport.quote(secret)) ] } ],
          "energyCoordination": { "baseUrl": "\(energyCoordination.apiBaseURL)", "tokenUrl": "\(energyCoordination.tokenURL)",
                                  "clientId": "\(Self.clientId)", "clientSecret": "\(Self.clientSecret)" },
          "solarNetwork": { "baseUrl": "\(solarNetwork.baseURL)", "token": "\(solarNetwork.settings.token)",
                            "secret": "\(solarNetwork.settings.secret)" },
          "delivery": \(object(deliverySettings)),
          "targets": [
        \(targets)
          ]
        }
        """
    }
}
