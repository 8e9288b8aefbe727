import Essentials
import Foundation
import Testing
@testable import Bridge

/// A temporary directory, a SolarNetwork stand-in with a chosen entity set, and a configuration file
/// pointing at it (target shapes as samples/config.json).
final class DoctorHarness: Sendable {
    /// Inline secrets that must never appear in doctor's output.
    static let webhookSecret = "doctor-webhook-secret-1"
    static let oscpToken = "doctor-oscp-token-1"

    let directory: String
    let solarNetwork: SolarNetworkSimulator

    init(settings: SolarNetworkSimulatorSettings = SolarNetworkSimulatorSettings()) throws {
        directory = NSTemporaryDirectory() + "ecbridge-doctor-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        solarNetwork = SolarNetworkSimulator(settings: settings)
        try solarNetwork.start()
    }

    var configPath: String { directory + "/config.json" }
    var storePath: String { directory + "/var/store.sqlite" }

    static func ocppTarget(_ resourceId: String = "vehicle-1", chargePointId: Int = 5, nodeId: Int = 123) -> JSON {
        .members([("resourceId", .string(resourceId)), ("channel", .string("solarnetwork-ocpp")), ("nodeId", .int(nodeId)),
                  ("chargePointId", .int(chargePointId)), ("connectorId", .int(1)), ("ocppVersion", .string("1.6")),
                  ("rateUnit", .string("A")), ("phases", .int(3)), ("voltage", .int(230)), ("minCurrent", .int(6)),
                  ("maxCurrent", .int(32))])
    }

    static func oscpTarget(_ resourceId: String = "vehicle-2", group: String = "foo-group", optimizer: Int = 1) -> JSON {
        .members([("resourceId", .string(resourceId)), ("channel", .string("solarnetwork-oscp")), ("nodeId", .int(123)),
                  ("capacityOptimizerId", .int(optimizer)), ("groupIdentifier", .string(group)),
                  ("forecastType", .string("CONSUMPTION")), ("phase", .string("ALL")), ("unit", .string("KW")),
                  ("phases", .int(3)), ("voltage", .int(230))])
    }

    static func directOSCPTarget(token: JSON = .string(oscpToken)) -> JSON {
        .members([("locationId", .string("loc-7")), ("channel", .string("oscp")),
                  ("baseUrl", .string("http://127.0.0.1:9/oscp/fp/2.0")), ("token", token),
                  ("groupIdentifier", .string("site-7")), ("unit", .string("KW"))])
    }

    /// The configuration document; `solarNetworkSecret` nil leaves the secret out.
    func config(targets: [JSON]? = nil, listenPort: Int = 0, solarNetworkSecret: JSON? = .string("sample-token-secret"),
                energyCoordination: JSON? = nil) -> JSON {
        var members: [(String, JSON?)] = [
            ("listen", .members([("host", .string("127.0.0.1")), ("port", .int(listenPort))])),
            ("store", .members([("path", .string(storePath))])),
            ("webhooks", .array([.members([("path", .string("/webhooks/energy-coordination")), ("scheme", .string("spark")),
                                           ("secrets", .array([.string(Self.webhookSecret)]))])])),
            ("solarNetwork", .members([("baseUrl", .string(solarNetwork.baseURL)), ("token", .string("sample-token")),
                                       ("secret", solarNetworkSecret)])),
            ("targets", .array(targets ?? [Self.ocppTarget(), Self.oscpTarget(), Self.directOSCPTarget()])),
        ]
        if let energyCoordination { members.append(("energyCoordination", energyCoordination)) }
        return .members(members)
    }

    func write(_ json: JSON) throws {
        try json.prettyText.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Runs doctor in-process on `json` (parsed as from a file).
    func doctor(_ json: JSON, offline: Bool = false, environment: [String: String] = [:]) throws -> DoctorReport {
        let configuration = try BridgeConfiguration(json: json)
        return Doctor(configuration: configuration, options: DoctorOptions(offline: offline, callTimeout: 10, environment: environment),
                      source: "test").run()
    }

    /// Runs one CLI command line with `--config`, returning (status, output, errors).
    func run(_ arguments: [String]) -> (Int32, String, String) {
        let capture = ConsoleCapture()
        let status = ECBridgeCLI.run(arguments + ["--config", configPath], console: capture.console())
        return (status, capture.output, capture.errors)
    }

    func stop() {
        solarNetwork.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
