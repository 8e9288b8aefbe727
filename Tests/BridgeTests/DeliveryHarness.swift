import BridgeStore
import Essentials
import Foundation
import SolarNetwork
import WebhookAuth
@testable import Bridge

/// A serve-like runtime (temporary store, port 0) wired to fake SolarNetwork, OSCP and GreenFlux peers
/// through `samples/config.json` with the peers' ports and tiny delivery delays.
final class DeliveryHarness: Sendable {
    static let sampleSecret = "Secret123%"
    static let solarCredentials = SNWS2Credentials(token: "sample-token", secret: "sample-token-secret")

    let directory: String
    let configPath: String
    let runtime: BridgeRuntime
    let solar: FakeSolarNetwork
    let oscp: FakeOSCPPeer
    let greenFlux: FakeGreenFlux
    let peers: [FakePeerServer]
    let client = OutboundHTTPClient(timeout: 10)

    /// `delivery` is the config's `delivery` object (JSON text) — tests keep every delay tiny.
    init(solar: FakeSolarNetwork = FakeSolarNetwork(credentials: DeliveryHarness.solarCredentials),
         oscp: FakeOSCPPeer = FakeOSCPPeer(token: "sample-oscp-token"),
         greenFlux: FakeGreenFlux = FakeGreenFlux(token: "sample-greenflux-token"),
         delivery: String = DeliveryHarness.fastDelivery, seed: UInt64 = 7) throws {
        self.solar = solar
        self.oscp = oscp
        self.greenFlux = greenFlux
        let solarPeer = try FakePeerServer(handler: solar)
        let oscpPeer = try FakePeerServer(handler: oscp)
        let greenFluxPeer = try FakePeerServer(handler: greenFlux)
        peers = [solarPeer, oscpPeer, greenFluxPeer]
        directory = NSTemporaryDirectory() + "ecbridge-delivery-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard let data = FileManager.default.contents(atPath: TestFiles.repositoryRoot + "/samples/config.json") else {
            throw CLIError("missing samples/config.json")
        }
        var text = String(decoding: data, as: UTF8.self)
        for (from, to) in [("http://127.0.0.1:9101", solarPeer.base), ("http://127.0.0.1:9102", oscpPeer.base),
                           ("http://127.0.0.1:9103", greenFluxPeer.base), ("\"port\": 8080", "\"port\": 0"),
                           ("\"var/ecbridge.sqlite\"", "\"\(directory)/store.sqlite\""),
                           ("\"units\":", "\"delivery\": \(delivery),\n  \"units\":")] {
            guard text.contains(from) else { throw CLIError("samples/config.json no longer contains \(from)") }
            text = text.replacingOccurrences(of: from, with: to)
        }
        configPath = directory + "/config.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
        var configuration = try BridgeConfiguration.load(path: configPath)
        configuration.listen.eventLoops = 1
        configuration.listen.drainTimeout = 2
        runtime = try BridgeRuntime.start(configuration, logger: Logger(sink: .discard),
                                          deliveryDependencies: DeliveryDependencies(jitter: JitterSource(seed: seed)))
    }

    static let fastDelivery = """
        {"workers": 2, "maxAttempts": 10, "baseDelay": 0.01, "maxDelay": 0.1, "maxAge": 600, "requestTimeout": 2,
         "trackerDeadline": 20, "trackerFirstPoll": 0.01, "trackerMaxPoll": 0.05, "pollInterval": 0.05}
        """

    var store: BridgeStore { runtime.store }

    /// Posts sample events to the webhook, Spark-signed, byte for byte.
    func replay(_ names: [String]) throws {
        guard let url = URL(string: "http://127.0.0.1:\(runtime.port)/webhooks/energy-coordination") else { throw CLIError("bad url") }
        for name in names {
            guard let data = FileManager.default.contents(atPath: TestFiles.repositoryRoot + "/samples/events/" + name) else {
                throw CLIError("missing sample \(name)")
            }
            let body = Array(data)
            let signed = try WebhookSigner.headers(scheme: .spark, secret: Self.sampleSecret, body: body, id: nil, timestamp: nil)
            let response = try client.send(method: "POST", url: url,
                                           headers: [("Content-Type", "application/json")] + signed.map { ($0.name, $0.value) },
                                           body: body)
            guard response.status == 200 else { throw CLIError("\(name) answered \(response.status)") }
        }
    }

    static var allSamples: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: TestFiles.repositoryRoot + "/samples/events")) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    /// Waits until every inbox row is planned and every delivery is final; returns the deliveries (oldest first).
    func settled(timeout: Double = 30) throws -> [DeliveryRow] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let unplanned = try store.unplannedInbox(limit: 1)
            let rows = try store.deliveries(limit: 10_000)
            if unplanned.isEmpty, !rows.isEmpty, rows.allSatisfy(\.isFinal) { return rows.reversed() }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let states = (try? store.deliveries(limit: 10_000).map { "\($0.id):\($0.channel):\($0.state):\($0.lastError ?? "")" }) ?? []
        throw CLIError("deliveries not final in time: \(states)")
    }

    func stop() {
        runtime.stop()
        for peer in peers { peer.stop() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
