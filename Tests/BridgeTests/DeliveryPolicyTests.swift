import Essentials
import Foundation
import SmartCharging
import SolarNetwork
import BridgeStore
import Testing
@testable import Bridge

/// The pure rules of the outbox: retry schedule, Retry-After, instruction verdicts, GreenFlux merge,
/// tracker back-off and the `delivery` configuration object.
@Suite struct DeliveryPolicyTests {
    static func settings(_ change: (inout DeliverySettings) -> Void = { _ in }) -> DeliverySettings {
        var settings = DeliverySettings()
        change(&settings)
        return settings
    }

    @Test func fullJitterStaysWithinTheExponentialBoundAndIsSeeded() {
        let policy = RetryPolicy(Self.settings())
        let a = JitterSource(seed: 42), b = JitterSource(seed: 42)
        for attempt in 1...12 {
            let bound = min(300, pow(2, Double(attempt - 1)))
            let delay = policy.delay(afterAttempt: attempt, retryAfter: nil, jitter: a)
            #expect(delay >= 0 && delay <= bound)
            #expect(delay == policy.delay(afterAttempt: attempt, retryAfter: nil, jitter: b))
        }
        let spread = (0..<200).map { _ in policy.delay(afterAttempt: 20, retryAfter: nil, jitter: a) }
        #expect(spread.allSatisfy { $0 <= 300 })
        #expect(Set(spread).count > 150) // jitter, not a fixed delay
    }

    @Test func retryAfterIsALowerBound() {
        let policy = RetryPolicy(Self.settings())
        #expect(policy.delay(afterAttempt: 1, retryAfter: 120, jitter: JitterSource(seed: 1)) == 120)
        let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds("Wed, 21 Oct 2015 07:30:00 GMT", now: now) == 120)
        #expect(RetryAfter.seconds("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == 0)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds(nil, now: now) == nil)
    }

    @Test func theBudgetEndsAtMaxAttemptsOrMaxAge() {
        let policy = RetryPolicy(Self.settings { $0.maxAttempts = 3; $0.maxAge = 100 })
        let start = Date(timeIntervalSince1970: 1_000)
        let jitter = JitterSource(seed: 3)
        #expect(policy.nextAttempt(after: 2, budgetStart: start, now: start, retryAfter: nil, jitter: jitter) != nil)
        #expect(policy.nextAttempt(after: 3, budgetStart: start, now: start, retryAfter: nil, jitter: jitter) == nil)
        #expect(policy.nextAttempt(after: 1, budgetStart: start, now: start.addingTimeInterval(99), retryAfter: 5, jitter: jitter) == nil)
    }

    static func instruction(_ state: InstructionState, topic: String = "OCPP_v16", result: JSON? = nil) -> NodeInstruction {
        NodeInstruction(id: 1, topic: topic, state: state, resultParameters: result)
    }

    @Test func instructionVerdicts() {
        let ocpp = "solarnetwork-ocpp", oscp = "solarnetwork-oscp"
        func status(_ s: String) -> JSON { .members([("status", .string(s))]) }
        #expect(InstructionVerdict.of(Self.instruction(.completed, result: status("Accepted")), channel: ocpp) == .done)
        #expect(InstructionVerdict.of(Self.instruction(.completed, result: status("Rejected")), channel: ocpp) == .failed("charger answered Rejected"))
        #expect(InstructionVerdict.of(Self.instruction(.completed, result: status("NotSupported")), channel: ocpp) == .failed("charger answered NotSupported"))
        #expect(InstructionVerdict.of(Self.instruction(.completed, result: status("Unknown")), channel: ocpp) == .failed("charger answered Unknown"))
        #expect(InstructionVerdict.of(Self.instruction(.declined, result: .members([("error", .string("ChargePoint not specified or not available."))])), channel: ocpp)
                == .failed("instruction declined: ChargePoint not specified or not available."))
        #expect(InstructionVerdict.of(Self.instruction(.received), channel: ocpp) == .waiting)
        #expect(InstructionVerdict.of(Self.instruction(.queued), channel: ocpp) == .waiting)
        // OSCP completes without a status; Queued means it was never delivered.
        #expect(InstructionVerdict.of(Self.instruction(.completed, topic: "OSCP_v20"), channel: oscp) == .done)
        #expect(InstructionVerdict.of(Self.instruction(.queuing, topic: "OSCP_v20"), channel: oscp) == .waiting)
        #expect(InstructionVerdict.of(Self.instruction(.queued, topic: "OSCP_v20"), channel: oscp)
                == .failed("OSCP instruction stuck in Queued (never delivered)"))
        #expect(InstructionVerdict.of(Self.instruction(.declined, topic: "OSCP_v20", result: .members([("message", .string("Expired"))])), channel: oscp)
                == .failed("instruction declined: Expired"))
    }

    @Test func greenFluxMergeDropsExpiredAndOverlappingEntries() throws {
        func entry(_ capacity: Int, _ start: String, _ end: String) -> JSON {
            .members([("capacity", .int(capacity)), ("start_date_time", .string(start)), ("end_date_time", .string(end))])
        }
        let now = try #require(Timestamp.parse("2024-01-01T12:00:00Z"))
        let current = [
            entry(5, "2024-01-01T08:00:00Z", "2024-01-01T10:00:00Z"),    // expired
            entry(6, "2024-01-01T15:00:00Z", "2024-01-01T17:00:00Z"),    // overlaps the window
            entry(7, "2024-01-01T18:00:00Z", "2024-01-01T19:00:00Z"),    // after the window: kept
            entry(8, "2024-01-01T11:00:00Z", "2024-01-01T16:30:00Z"),    // overlaps (and still running)
            entry(4, "2024-01-01T11:00:00Z", "2024-01-01T16:00:00Z"),    // ends as the window starts: kept
            .members([("capacity", .int(9)), ("note", .string("unreadable times are kept"))]),
        ]
        let adding = [entry(10, "2024-01-01T16:00:00Z", "2024-01-01T18:00:00Z")]
        let merged = GreenFluxScenarioChannel.merge(current: current, adding: adding,
                                                    windowStart: Timestamp.parse("2024-01-01T16:00:00Z"),
                                                    windowEnd: Timestamp.parse("2024-01-01T18:00:00Z"), now: now)
        #expect(merged.map { $0["capacity"]?.intValue } == [4, 10, 7, 9])
        // Merging twice gives the same list (a retry after a lost answer is harmless).
        let again = GreenFluxScenarioChannel.merge(current: merged, adding: adding,
                                                   windowStart: Timestamp.parse("2024-01-01T16:00:00Z"),
                                                   windowEnd: Timestamp.parse("2024-01-01T18:00:00Z"), now: now)
        #expect(again == merged)
        #expect(try GreenFluxScenarioChannel.scenarioList(Array("".utf8)).isEmpty)
        #expect(throws: DeliveryError.self) { try GreenFluxScenarioChannel.scenarioList(Array("{\"a\":1}".utf8)) }
    }

    @Test func trackerPollsBackOffByHalfAndAreCapped() throws {
        let configuration = try BridgeConfiguration(json: JSON.parse("{}"))
        let directory = NSTemporaryDirectory() + "ecbridge-policy-" + UUID().uuidString
        let store = try BridgeStore.open(StoreOptions(path: directory + "/store.sqlite"))
        defer {
            store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let service = try DeliveryService(configuration: configuration, store: store, registry: TargetRegistry([]),
                                          logger: Logger(sink: .discard), metrics: Metrics())
        let sentAt = Date(timeIntervalSince1970: 10_000)
        let tracker = service.tracker
        #expect(tracker.nextPoll(now: sentAt, sentAt: sentAt, retryAfter: nil) == sentAt.addingTimeInterval(1))
        let second = sentAt.addingTimeInterval(1)
        #expect(tracker.nextPoll(now: second, sentAt: sentAt, retryAfter: nil) == second.addingTimeInterval(1.5))
        let late = sentAt.addingTimeInterval(300)
        #expect(tracker.nextPoll(now: late, sentAt: sentAt, retryAfter: nil) == late.addingTimeInterval(30))
        let nearDeadline = sentAt.addingTimeInterval(590)
        #expect(tracker.nextPoll(now: nearDeadline, sentAt: sentAt, retryAfter: nil) == sentAt.addingTimeInterval(600))
    }

    @Test func deliveryConfiguration() throws {
        let defaults = try BridgeConfiguration(json: JSON.parse("{}")).delivery
        #expect(defaults == DeliverySettings())
        #expect(defaults.workers == 2 && defaults.maxAttempts == 10 && defaults.baseDelay == 1 && defaults.maxDelay == 300)
        #expect(defaults.maxAge == 86_400 && defaults.requestTimeout == 30 && defaults.trackerDeadline == 600)

        let custom = try BridgeConfiguration(json: JSON.parse(#"{"delivery":{"workers":4,"maxAttempts":3,"baseDelay":0.5,"maxDelay":60,"maxAge":3600,"requestTimeout":10,"trackerDeadline":120,"signDigest":true}}"#)).delivery
        #expect(custom.workers == 4 && custom.maxAttempts == 3 && custom.baseDelay == 0.5 && custom.maxDelay == 60)
        #expect(custom.maxAge == 3600 && custom.requestTimeout == 10 && custom.trackerDeadline == 120 && custom.signDigest)
        #expect(defaults.maxResponseBytes == 16_777_216 && defaults.maxIdleConnections == 4
            && defaults.idleConnectionTimeout == 30 && defaults.trustedCertificates == nil)
        let outbound = try BridgeConfiguration(json: JSON.parse(#"{"delivery":{"maxResponseBytes":65536,"maxIdleConnections":0,"idleConnectionTimeout":5,"trustedCertificates":"/etc/ecbridge/ca.pem"}}"#)).delivery
        #expect(outbound.maxResponseBytes == 65_536 && outbound.maxIdleConnections == 0)
        #expect(outbound.idleConnectionTimeout == 5 && outbound.trustedCertificates == "/etc/ecbridge/ca.pem")

        for (text, path) in [(#"{"delivery":{"retries":3}}"#, "delivery.retries"),
                             (#"{"delivery":{"workers":0}}"#, "delivery.workers"),
                             (#"{"delivery":{"baseDelay":10,"maxDelay":5}}"#, "delivery.maxDelay"),
                             (#"{"delivery":{"requestTimeout":0.5}}"#, "delivery.requestTimeout"),
                             (#"{"delivery":{"maxResponseBytes":10}}"#, "delivery.maxResponseBytes"),
                             (#"{"delivery":{"maxIdleConnections":-1}}"#, "delivery.maxIdleConnections"),
                             (#"{"delivery":{"maxAge":"1d"}}"#, "delivery.maxAge")] {
            #expect(throws: ConfigError.self) { try BridgeConfiguration(json: JSON.parse(text)) }
            do {
                _ = try BridgeConfiguration(json: JSON.parse(text))
            } catch let error as ConfigError {
                #expect(error.path == path, "\(text): \(error)")
            }
        }
    }

    @Test func channelSecretsResolveAtStartAndNeverShow() throws {
        let text = """
            {"solarNetwork": {"token": "tok", "secret": {"env": "SN_SECRET"}},
             "targets": [{"locationId": "loc-7", "channel": "oscp", "baseUrl": "http://o.test", "token": {"env": "OSCP_TOKEN"},
                          "groupIdentifier": "site-7", "unit": "KW"}]}
            """
        let configuration = try BridgeConfiguration(json: JSON.parse(text))
        let registry = try TargetRegistry(json: .array(configuration.targets))
        let credentials = try DeliveryCredentials.resolve(configuration, registry: registry,
                                                          environment: ["SN_SECRET": "very-secret", "OSCP_TOKEN": "oscp-secret"])
        #expect(credentials.token(forTarget: "location:loc-7") == "oscp-secret")
        #expect(credentials.solarNetwork?.secret == "very-secret")
        #expect(!"\(credentials)".contains("secret-"))
        #expect(!String(describing: credentials).contains("oscp-secret"))
        do {
            _ = try DeliveryCredentials.resolve(configuration, registry: registry, environment: ["SN_SECRET": "x"])
            Issue.record("a missing token must fail start-up")
        } catch {
            #expect(error.path == "targets[0].token")
        }
    }
}
