import BridgeStore
import Essentials
import Foundation
import Testing
import WebhookAuth
@testable import Bridge

/// The whole server on port 0 with a temporary store: the intake issue's acceptance checks.
@Suite(.serialized) struct IntakeEndToEndTests {
    /// Official Spark partner-reference vectors (Volue-Public/spark-energy-coordination-partner-reference,
    /// `_tests/webhook-test-data/`, MIT): signatures of the files as shipped, trailing newline included.
    static let userEligibilitySignature = "TUtortRPtcm6tZ4du1AyTnNSDoBOmWJ3gkDV6aq1Qcw="
    static let priceCurveSignature = "3NV3o7iHHwKXX+6yYjz0ihi7G0Xr1hyPnWCHksq7H40="
    /// Signature of user-eligibility-event.json WITHOUT its final newline (derived; must not verify the file).
    static let userEligibilityWithoutNewlineSignature = "shr9ESKwofDMwjJqx33y/6tyo68nAFHb4FxH63Ku4Gw="

    static func sample(_ name: String) throws -> [UInt8] {
        let path = TestFiles.repositoryRoot + "/samples/events/" + name
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("missing sample \(path)") }
        return Array(data)
    }

    final class Harness: Sendable {
        let directory: String
        let runtime: BridgeRuntime
        let base: String
        let client = OutboundHTTPClient(timeout: 10)

        init(maxBodyBytes: Int = 1_048_576) throws {
            directory = NSTemporaryDirectory() + "ecbridge-e2e-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var configuration = BridgeConfiguration()
            configuration.listen.port = 0
            configuration.listen.maxBodyBytes = maxBodyBytes
            configuration.listen.eventLoops = 1
            configuration.listen.drainTimeout = 2
            configuration.store.path = directory + "/store.sqlite"
            configuration.webhooks = [WebhookEndpointSettings(path: "/notify", scheme: "spark", secrets: [.inline("old-secret"), .inline("Secret123%")])]
            runtime = try BridgeRuntime.start(configuration, logger: Logger(sink: .discard))
            base = "http://127.0.0.1:\(runtime.port)"
        }

        func post(_ path: String = "/notify", body: [UInt8], headers: [(String, String)]) throws -> OutboundHTTPClient.Response {
            guard let url = URL(string: base + path) else { throw CLIError("bad url") }
            return try client.send(method: "POST", url: url, headers: headers, body: body)
        }

        func get(_ pathAndQuery: String) throws -> OutboundHTTPClient.Response {
            guard let url = URL(string: base + pathAndQuery) else { throw CLIError("bad url") }
            return try client.send(method: "GET", url: url, headers: [], body: nil)
        }

        func stop() {
            runtime.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func sparkHeaders(_ signature: String) -> [(String, String)] {
        [("Content-Type", "application/json"), ("X-Payload-Signature", signature)]
    }

    @Test func officialVectorsAreAcceptedOnceAndForgeriesRefused() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let eligibility = try Self.sample("ec-2024-user-eligibility.json")
        let priceCurve = try Self.sample("ec-2024-price-curve.json")

        let first = try harness.post(body: eligibility, headers: Self.sparkHeaders(Self.userEligibilitySignature))
        #expect(first.status == 200)
        #expect(String(decoding: first.body, as: UTF8.self).contains("\"accepted\""))
        #expect(try harness.post(body: priceCurve, headers: Self.sparkHeaders(Self.priceCurveSignature)).status == 200)

        // The same notification again: 200, stored once.
        let again = try harness.post(body: eligibility, headers: Self.sparkHeaders(Self.userEligibilitySignature))
        #expect(again.status == 200)
        #expect(String(decoding: again.body, as: UTF8.self).contains("\"duplicate\""))

        // Signed without the trailing newline, missing header, garbage, wrong case: all 401.
        #expect(try harness.post(body: eligibility, headers: Self.sparkHeaders(Self.userEligibilityWithoutNewlineSignature)).status == 401)
        #expect(try harness.post(body: eligibility, headers: [("Content-Type", "application/json")]).status == 401)
        #expect(try harness.post(body: eligibility, headers: Self.sparkHeaders("not base64")).status == 401)
        #expect(try harness.post(body: eligibility, headers: Self.sparkHeaders(Self.userEligibilitySignature.lowercased())).status == 401)
        let problem = try harness.post(body: eligibility, headers: [("Content-Type", "application/json")])
        #expect(problem.header("Content-Type")?.hasPrefix("application/problem+json") == true)

        let rows = try harness.runtime.store.inbox(limit: 10, offset: 0, state: nil)
        #expect(rows.count == 2)
        #expect(Set(rows.map(\.state)) == ["ignored"])
    }

    @Test func statusCodesOnTheWebhookPath() throws {
        let harness = try Harness(maxBodyBytes: 4096)
        defer { harness.stop() }
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: 10_000)
        let bigSignature = Base64.encode(HMACSHA256.mac(key: Array("Secret123%".utf8), message: big))
        #expect(try harness.post(body: big, headers: Self.sparkHeaders(bigSignature)).status == 413)
        #expect(try harness.post(body: Array("{}".utf8), headers: [("Content-Type", "text/plain")]).status == 415)
        #expect(try harness.post("/elsewhere", body: Array("{}".utf8), headers: Self.sparkHeaders("x")).status == 404)
        #expect(try harness.get("/notify").status == 405)
        let echo = try harness.get("/notify?echo=abc123")
        #expect(echo.status == 200)
        #expect(String(decoding: echo.body, as: UTF8.self) == "abc123")
        #expect(try harness.get("/healthz").status == 200)
        #expect(try harness.get("/readyz").status == 200)
        let metrics = try harness.get("/metrics")
        #expect(metrics.status == 200)
        #expect(String(decoding: metrics.body, as: UTF8.self).contains("ecbridge_webhook_requests_total"))
    }

    @Test func validSignatureButUndecodableBodyIsQuarantined() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let body = Array(#"{"hello":"world"}"#.utf8)
        let signature = Base64.encode(HMACSHA256.mac(key: Array("Secret123%".utf8), message: body))
        let response = try harness.post(body: body, headers: Self.sparkHeaders(signature))
        #expect(response.status == 400)
        #expect(response.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        let quarantined = try harness.runtime.store.quarantineList(limit: 10, offset: 0)
        #expect(quarantined.count == 1)
        #expect(quarantined.first?.rawBody == body)
        #expect(try harness.runtime.store.inbox(limit: 10, offset: 0, state: nil).isEmpty)
    }

    @Test func rotatedSecretsBothVerify() throws {
        let harness = try Harness()
        defer { harness.stop() }
        let body = try Self.sample("ec-2024-price-curve.json")
        let oldSignature = Base64.encode(HMACSHA256.mac(key: Array("old-secret".utf8), message: body))
        #expect(try harness.post(body: body, headers: Self.sparkHeaders(oldSignature)).status == 200)
    }
}
