import BridgeStore
import Essentials
import Foundation
import Synchronization
import WebhookAuth
@testable import Bridge

/// A full in-process ecbridge for the operations tests: a production-shaped configuration with secrets
/// in every place the configuration allows them (inline and from the environment), all log lines
/// captured, and helpers to send signed and forged webhooks.
final class OperationsHarness: Sendable {
    static let inlineWebhookSecret = "inline-webhook-secret-Q7x!"
    static let environmentWebhookSecret = "env-webhook-secret-Z3k#"
    static let solarNetworkSecret = "sn-token-secret-M9p$"
    static let clientSecret = "ec-client-secret-R2w&"
    static let oscpToken = "oscp-target-token-T5v^"
    static let greenFluxToken = "greenflux-target-token-G8n*"
    static let environment = [
        "OPS_TEST_WEBHOOK_SECRET": environmentWebhookSecret,
        "OPS_TEST_SN_SECRET": solarNetworkSecret,
        "OPS_TEST_GREENFLUX_TOKEN": greenFluxToken,
    ]
    /// Every configured secret value: none may ever reach a log line.
    static let secrets = [inlineWebhookSecret, environmentWebhookSecret, solarNetworkSecret, clientSecret,
                          oscpToken, greenFluxToken]

    let directory: String
    let runtime: BridgeRuntime
    let base: String
    let client = OutboundHTTPClient(timeout: 10)
    private let lines = CapturedLines()

    init() throws {
        directory = NSTemporaryDirectory() + "ecbridge-ops-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = """
        {
          "listen": { "host": "127.0.0.1", "port": 0, "eventLoops": 1, "drainTimeout": 2 },
          "store": { "path": "\(directory)/store.sqlite" },
          "webhooks": [ { "path": "/notify", "scheme": "spark",
                          "secrets": ["\(Self.inlineWebhookSecret)", { "env": "OPS_TEST_WEBHOOK_SECRET" }] } ],
          "energyCoordination": { "baseUrl": "http://127.0.0.1:9", "tokenUrl": "http://127.0.0.1:9/token",
                                  "clientId": "ops-client", "clientSecret": "\(Self.clientSecret)" },
          "solarNetwork": { "baseUrl": "http://127.0.0.1:9", "token": "ops-sn-token", "secret": { "env": "OPS_TEST_SN_SECRET" } },
          "targets": [
            { "resourceId": "vehicle-1", "channel": "solarnetwork-ocpp", "nodeId": 123, "chargePointId": 5,
              "connectorId": 1, "ocppVersion": "1.6", "rateUnit": "A", "phases": 3, "voltage": 230,
              "minCurrent": 6, "maxCurrent": 32 },
            { "locationId": "loc-7", "channel": "oscp", "baseUrl": "http://127.0.0.1:9/oscp/fp/2.0",
              "token": "\(Self.oscpToken)", "groupIdentifier": "site-7", "unit": "KW", "defaultCapacity": 22 },
            { "locationId": "loc-9", "channel": "greenflux", "baseUrl": "http://127.0.0.1:9",
              "token": { "env": "OPS_TEST_GREENFLUX_TOKEN" }, "capacityGroupId": "cg-9", "voltage": 230, "phases": 3,
              "defaultCapacity": 32 }
          ],
          "log": { "level": "debug" }
        }
        """
        let configuration = try BridgeConfiguration(json: JSON.parse(Array(text.utf8)))
        let lines = self.lines
        let logger = Logger(level: .debug, sink: Logger.Sink { line in lines.append(line) })
        runtime = try BridgeRuntime.start(configuration, logger: logger, environment: Self.environment)
        base = "http://127.0.0.1:\(runtime.port)"
    }

    var logLines: [String] { lines.lines }

    static func sample(_ name: String) throws -> [UInt8] {
        let path = TestFiles.repositoryRoot + "/samples/events/" + name
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("missing sample \(path)") }
        return Array(data)
    }

    static func sparkSignature(_ body: [UInt8], secret: String) -> String {
        Base64.encode(HMACSHA256.mac(key: Array(secret.utf8), message: body))
    }

    func post(_ path: String = "/notify", body: [UInt8], signature: String?) throws -> OutboundHTTPClient.Response {
        guard let url = URL(string: base + path) else { throw CLIError("bad url") }
        var headers = [("Content-Type", "application/json")]
        if let signature { headers.append(("X-Payload-Signature", signature)) }
        return try client.send(method: "POST", url: url, headers: headers, body: body)
    }

    func get(_ path: String) throws -> OutboundHTTPClient.Response {
        guard let url = URL(string: base + path) else { throw CLIError("bad url") }
        return try client.send(method: "GET", url: url, headers: [], body: nil)
    }

    /// Waits (bounded) until the planner has taken every inbox row out of `received`.
    func waitForPlanning() throws {
        for _ in 0 ..< 200 {
            if try runtime.store.inbox(limit: 100, offset: 0, state: "received").isEmpty { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    func stop() {
        runtime.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
