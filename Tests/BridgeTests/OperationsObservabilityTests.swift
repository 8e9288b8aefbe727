import Essentials
import Foundation
import Synchronization
import Testing
@testable import Bridge
#if canImport(Glibc)
import Glibc
#endif

/// Structured logs and metrics of a real run: every log line is one JSON object with numbers as
/// numbers and no secret or signature in it; `/metrics` is valid Prometheus text with the series
/// operators need.
@Suite(.serialized) struct OperationsObservabilityTests {
    /// Valid, forged and unsigned webhooks against a runtime whose configuration holds secrets everywhere.
    static func sendTraffic(_ harness: OperationsHarness) throws -> [String] {
        let create = try OperationsHarness.sample("ec-v1-current-create.json")
        let lpc = try OperationsHarness.sample("ec-2024-resource-lpc.json")
        let update = try OperationsHarness.sample("ec-v1-current-update.json")
        let signatures = [
            OperationsHarness.sparkSignature(create, secret: OperationsHarness.inlineWebhookSecret),
            OperationsHarness.sparkSignature(lpc, secret: OperationsHarness.environmentWebhookSecret),
            OperationsHarness.sparkSignature(update, secret: "not-the-secret"),
        ]
        #expect(try harness.post(body: create, signature: signatures[0]).status == 200)
        #expect(try harness.post(body: lpc, signature: signatures[1]).status == 200)
        #expect(try harness.post(body: update, signature: signatures[2]).status == 401)
        #expect(try harness.post(body: update, signature: nil).status == 401)
        #expect(try harness.post(body: update, signature: "!!not base64!!").status == 401)
        let quarantined = Array(#"{"hello":"world"}"#.utf8)
        let quarantinedSignature = OperationsHarness.sparkSignature(quarantined, secret: OperationsHarness.inlineWebhookSecret)
        #expect(try harness.post(body: quarantined, signature: quarantinedSignature).status == 400)
        #expect(try harness.post("/elsewhere", body: create, signature: signatures[0]).status == 404)
        try harness.waitForPlanning()
        return signatures + ["!!not base64!!", quarantinedSignature]
    }

    @Test func logsAreJSONLinesWithoutSecretsOrSignatures() throws {
        let harness = try OperationsHarness()
        let signatures: [String]
        do {
            signatures = try Self.sendTraffic(harness)
        } catch {
            harness.stop()
            throw error
        }
        harness.stop()
        let lines = harness.logLines
        #expect(lines.count >= 8)
        var sawLatency = false
        for line in lines {
            #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil, "one object per line: \(line)")
            guard let object = try? JSON.parse(Array(line.utf8)) else {
                Issue.record("not JSON: \(line)")
                continue
            }
            #expect(object["ts"]?.stringValue != nil)
            #expect(object["level"]?.stringValue != nil)
            #expect(object["msg"]?.stringValue != nil)
            if let latency = object["latencyMs"] {
                sawLatency = true
                #expect(latency.isNumber, "latencyMs must be a JSON number: \(line)")
            }
            if let status = object["status"] { #expect(status.isNumber) }
            for secret in OperationsHarness.secrets { #expect(!line.contains(secret), "a secret leaked: \(line)") }
            for signature in signatures { #expect(!line.contains(signature), "a signature leaked: \(line)") }
        }
        #expect(sawLatency)
        let requestIds = lines.compactMap { try? JSON.parse(Array($0.utf8))["requestId"]?.stringValue }
        #expect(Set(requestIds).count >= 6, "each webhook gets its own request id")
    }

    @Test func loggerWritesNumbersAsNumbers() throws {
        #expect(Logger.isJSONNumber("12.50"))
        #expect(Logger.isJSONNumber("-3"))
        #expect(Logger.isJSONNumber("0"))
        #expect(Logger.isJSONNumber("1e-3"))
        #expect(!Logger.isJSONNumber("012"))
        #expect(!Logger.isJSONNumber("1."))
        #expect(!Logger.isJSONNumber(".5"))
        #expect(!Logger.isJSONNumber("NaN"))
        #expect(!Logger.isJSONNumber("12345678901234567890"))  // an id: kept exact as a string
        #expect(!Logger.isJSONNumber(""))
        #expect(!Logger.isJSONNumber("abc-1"))
        let captured = CapturedLines()
        let logger = Logger(level: .info, sink: Logger.Sink { captured.append($0) })
        logger.info("done", [("latencyMs", "1.25"), ("status", "200"), ("id", "007"), ("name", "x\"y")])
        logger.debug("hidden")
        let lines = captured.lines
        #expect(lines.count == 1)
        #expect(lines.first?.contains(#""latencyMs":1.25,"status":200,"id":"007","name":"x\"y""#) == true)
    }

    @Test func metricsScrapeIsValidPrometheusText() throws {
        let harness = try OperationsHarness()
        defer { harness.stop() }
        _ = try Self.sendTraffic(harness)
        // A malformed request that the HTTP server itself refuses (obs-fold → 400).
        try Self.sendRaw("POST /notify HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\nContent-Length: 0\r\n\r\n", port: harness.runtime.port)

        let scrape = try harness.get("/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let exposition = try PrometheusExposition(String(decoding: scrape.body, as: UTF8.self))
        func type(_ name: String) -> String? { exposition.families[name]?.type }

        #expect(exposition.value("ecbridge_webhook_requests_total", ["path": "/notify", "status": "200"]) == 2)
        #expect(exposition.value("ecbridge_webhook_requests_total", ["path": "/notify", "status": "401"]) == 3)
        #expect(type("ecbridge_webhook_request_seconds") == "histogram")
        #expect(exposition.value("ecbridge_webhook_request_seconds_count", ["path": "/notify"]) ?? 0 >= 6)
        let failures = exposition.samples.filter { $0.name == "ecbridge_webhook_verification_failures_total" }
        #expect(failures.reduce(0) { $0 + $1.value } == 3)
        #expect(failures.allSatisfy { $0.labels["reason"] != nil })
        #expect(type("ecbridge_inbox_rows") == "gauge")
        #expect(exposition.samples.contains { $0.name == "ecbridge_inbox_rows" && $0.labels["state"] != nil })
        #expect(type("ecbridge_outbox_deliveries") == "gauge")
        #expect(type("ecbridge_http_open_connections") == "gauge")
        #expect(type("ecbridge_http_rejections_total") == "counter")
        #expect(exposition.value("ecbridge_http_rejections_total", ["status": "400"]) == 1)
        #expect(type("ecbridge_store_batches_total") == "counter")
        #expect(exposition.value("ecbridge_store_batches_total") ?? 0 >= 1)
        #expect(exposition.value("ecbridge_store_operations_total") ?? 0 >= exposition.value("ecbridge_store_batches_total") ?? 0)
        #expect(exposition.value("ecbridge_store_largest_batch") ?? 0 >= 1)
        #expect(type("ecbridge_store_queue_depth") == "gauge")
        #expect(exposition.value("ecbridge_http_requests_total") ?? 0 >= 7)
        for family in exposition.families.values { #expect(family.help != nil, "\(family.name) has HELP") }
    }

    @Test func metricsEscapeLabelValuesAndSpecialNumbers() throws {
        let metrics = Metrics()
        metrics.increment("test_events_total", help: "Help with a \\ backslash\nand a newline.",
                          labels: [("path", "/a\"b\\c\nd")])
        for value in [0.0001, 0.3, 0.3, 7, 100] {
            metrics.observe("test_latency_seconds", help: "Latency.", labels: [("path", "/x")], value: value)
        }
        metrics.observe("test_latency_seconds", help: "Latency.", labels: [("path", "/y")], value: 0.002)
        metrics.gauge("test_gauge", help: "Odd values.") { [([("kind", "inf")], .infinity), ([("kind", "nan")], .nan)] }
        let exposition = try PrometheusExposition(metrics.render())
        #expect(exposition.value("test_events_total", ["path": "/a\"b\\c\nd"]) == 1)
        #expect(exposition.families["test_events_total"]?.help == "Help with a \\\\ backslash\\nand a newline.")
        #expect(exposition.value("test_latency_seconds_count", ["path": "/x"]) == 5)
        #expect(exposition.value("test_latency_seconds_bucket", ["path": "/x", "le": "+Inf"]) == 5)
        #expect(exposition.value("test_gauge", ["kind": "inf"]) == .infinity)
        #expect(exposition.value("test_gauge", ["kind": "nan"])?.isNaN == true)
    }

    @Test func parserRejectsInvalidExpositions() {
        let invalid = [
            "bad-name 1\n",
            "x{a=\"1\"} one\n",
            "x{a=\"\\t\"} 1\n",
            "x{__a=\"1\"} 1\n",
            "x 1\nx 2\n",
            "x 1\ny 1\nx 2\n",
            "x 1\n# TYPE x counter\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
            "x 1",
        ]
        for text in invalid {
            #expect(throws: (any Error).self, "\(text)") { try PrometheusExposition(text) }
        }
    }

    static func sendRaw(_ text: String, port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CLIError("connect failed") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }  // the 400, then close
    }
}

/// Log lines captured from any thread.
final class CapturedLines: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

private extension JSON {
    var isNumber: Bool {
        if case .number = self { return true }
        return false
    }
}
