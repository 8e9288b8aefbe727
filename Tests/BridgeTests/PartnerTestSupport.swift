import BridgeStore
import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import Bridge

/// A temporary directory with a configuration file pointing at an Energy Coordination stand-in.
final class PartnerHarness: Sendable {
    static let webhookPath = "/webhooks/energy-coordination"
    static let webhookSecret = "hook-secret-1"

    let directory: String
    let simulator: EnergyCoordinationSimulator
    let apiVersion: APIVersion

    init(apiVersion: APIVersion = .v1, settings: EnergyCoordinationSimulatorSettings = EnergyCoordinationSimulatorSettings(webhookRetryDelay: 0.02)) throws {
        directory = NSTemporaryDirectory() + "ecbridge-partner-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var settings = settings
        settings.apiVersion = apiVersion
        self.apiVersion = apiVersion
        simulator = EnergyCoordinationSimulator(settings: settings)
        try simulator.start()
    }

    var storePath: String { directory + "/store.sqlite" }
    var configPath: String { directory + "/config.json" }

    /// Writes the configuration; `section` false leaves `energyCoordination` out.
    func writeConfig(section: Bool = true, syncInterval: Double = 0, clientSecret: String = "sample-client-secret") throws {
        var members: [(String, JSON?)] = [
            ("listen", .members([("host", .string("127.0.0.1")), ("port", .int(0)), ("eventLoops", .int(1)), ("drainTimeout", .int(2))])),
            ("store", .members([("path", .string(storePath))])),
            ("webhooks", .array([.members([("path", .string(Self.webhookPath)), ("scheme", .string("spark")),
                                           ("secrets", .array([.string(Self.webhookSecret)]))])])),
        ]
        if section {
            members.append(("energyCoordination", .members([
                ("baseUrl", .string(simulator.apiBaseURL)), ("tokenUrl", .string(simulator.tokenURL)),
                ("clientId", .string("sample-client")), ("clientSecret", .string(clientSecret)),
                ("apiVersion", .string(apiVersion.rawValue)), ("syncInterval", .int(Int(syncInterval))),
            ])))
        }
        try JSON.members(members).prettyText.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    func configuration() throws -> BridgeConfiguration { try BridgeConfiguration.load(path: configPath) }

    /// Runs one CLI command line with `--config`, returning (status, output, errors).
    func run(_ arguments: [String]) -> (Int32, String, String) {
        let capture = ConsoleCapture()
        let status = ECBridgeCLI.run(arguments + ["--config", configPath], console: capture.console())
        return (status, capture.output, capture.errors)
    }

    func client() throws -> EnergyCoordinationClient {
        try PartnerClientFactory.client(try #require(configuration().energyCoordination))
    }

    func stop() {
        simulator.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Waits until `condition` holds (polling), false on timeout.
    static func eventually(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try condition()
    }
}

/// Events used across the partner tests (shapes of energy-coordination.md §3.2 and §4.1; values invented).
enum PartnerSamples {
    static func v1Event(_ id: String, current: Int = 10, modified: String = "2026-03-03T12:00:00Z") -> JSON {
        let text = """
        {"id":"\(id)","name":"Evening cap","priority":0,"programId":"prog-1",
         "targetResources":[{"resourceId":"vehicle-1","locationId":"loc-7"}],
         "intervalPeriod":{"start":"2026-03-03T16:00:00Z","duration":"02:00:00"},
         "payload":{"payloadType":"CurrentLevel","targetCurrent":\(current)},
         "createdDateTime":"2026-03-03T12:00:00Z","modificationDateTime":"\(modified)"}
        """
        return (try? JSON.parse(text)) ?? .null
    }

    static func resourceLPC(_ id: String) -> JSON {
        let text = """
        {"id":"\(id)","createdAt":"2026-03-03T12:00:00+00:00","payload":{"payloadType":"ResourceLPC","targets":[
          {"locationId":"loc-7","meterPointId":"707057500012345678","resourceId":"vehicle-1","resolution":"01:00:00",
           "points":[{"maxPowerInKiloWatts":7.4,"timestamp":"2026-03-03T17:00:00+00:00"}]}]}}
        """
        return (try? JSON.parse(text)) ?? .null
    }
}
