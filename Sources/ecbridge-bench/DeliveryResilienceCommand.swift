import Bridge
import BridgeStore
import Essentials
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge-bench delivery-resilience`: the whole path under crashes and peer faults — signed webhooks
/// into `ecbridge serve`, deliveries to the SolarNetwork, OSCP and GreenFlux stand-ins, reports to the
/// Energy Coordination stand-in — with `serve` SIGKILLed at random moments and restarted, then a check
/// of what the store says against what every peer received (`DeliveryAudit`).
enum DeliveryResilienceCommand {
    static let usage = """
    usage: ecbridge-bench delivery-resilience [--events 100] [--rate 25] [--kills 0] [--seed 1]
               [--life-ms 200-1500] [--fail-rate 0] [--rate-limit-every 0] [--slow 0] [--drop-rate 0]
               [--reject-signature] [--faults-on downstream|partner|all] [--max-attempts 10]
               [--attempt-factor F] [--claim-lease S] [--settle-timeout 120] [--strict-reports]
               [--ecbridge PATH] [--keep]

    Starts the four stand-ins in this process (faults as given, seeded), writes a serve configuration
    (fast delivery settings, reports on) and runs `ecbridge serve` as a child. Publishes N unique events
    (ec-v1 CurrentLevel, ec-2024 LocationLPC and ResourceLPC in turn, disjoint future windows) to the
    Energy Coordination stand-in so reports can name them, and sends each as a signed webhook, retried
    until 200, at --rate events/s over 4 lanes. Meanwhile it SIGKILLs serve --kills times, each after a
    random life within --life-ms (seeded), and restarts it. Then it waits until everything is final,
    stops serve, and checks intake, outbox, every peer and the reports. Prints one line per check and
    `checks: P passed, F failed`; exit status 1 when a check failed.

    --faults-on: which stand-ins get the fault switches (default downstream: SolarNetwork, OSCP, GreenFlux).
    --reject-signature: every peer refuses the credentials; expects every delivery failed after one attempt.
    --attempt-factor F: also require total delivery attempts ≤ deliveries × F (retry-storm bound).
    --claim-lease S: sets store.claimLease (a safety net: serve releases a dead process's claims at start-up).
    --strict-reports: fail on any repeated report, even one posted again across a crash.
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: [
            "events", "rate", "kills", "seed", "life-ms", "fail-rate", "rate-limit-every", "slow", "drop-rate", "faults-on",
            "max-attempts", "attempt-factor", "claim-lease", "settle-timeout", "ecbridge",
        ])
        let executable = try locateECBridge(arguments)
        let events = max(1, try arguments.int("events", default: 100))
        let rate = max(0, try arguments.double("rate", default: 25))
        let kills = max(0, try arguments.int("kills", default: 0))
        let seed = UInt64(max(0, try arguments.int("seed", default: 1)))
        let life = try lifeRange(arguments.string("life-ms", default: "200-1500"))
        let rejecting = arguments.has("reject-signature")
        let maxAttempts = max(1, try arguments.int("max-attempts", default: 10))
        let settleTimeout = try arguments.double("settle-timeout", default: 120)
        let attemptFactor = try arguments.string("attempt-factor").map { text -> Double in
            guard let value = Double(text), value > 0 else { throw BenchError("--attempt-factor must be a positive number") }
            return value
        }
        let faults = SimulatorFaults(failRate: try arguments.double("fail-rate", default: 0), seed: seed,
                                     rateLimitEvery: try arguments.int("rate-limit-every", default: 0),
                                     slowMilliseconds: try arguments.int("slow", default: 0),
                                     dropRate: try arguments.double("drop-rate", default: 0), rejectSignature: rejecting)
        let faultsOn = arguments.string("faults-on", default: "downstream")
        guard ["downstream", "partner", "all"].contains(faultsOn) else { throw BenchError("--faults-on: downstream, partner or all") }
        var partnerFaults = faultsOn == "downstream" ? SimulatorFaults.none : faults
        partnerFaults.seed = seed &+ 3
        let downstreamFaults = faultsOn == "partner" ? SimulatorFaults.none : faults

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ecbridge-e2e-\(getpid())-\(UInt32.random(in: 0 ... UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keep = arguments.has("keep")
        defer { if !keep { try? FileManager.default.removeItem(atPath: directory) } }

        let standIns = try StandIns(downstream: downstreamFaults, partner: partnerFaults)
        defer { standIns.stop() }
        let port = SimpleHTTP.freePort()
        let secret = "e2e-secret-\(seed)"
        var store: [String: String] = [:]
        if let lease = arguments.string("claim-lease") { store["claimLease"] = lease }
        let configPath = directory + "/config.json"
        let storePath = directory + "/store.sqlite"
        try Data(standIns.configuration(port: port, storePath: storePath, secret: secret,
                                        delivery: ["maxAttempts": String(maxAttempts)], store: store).utf8)
            .write(to: URL(fileURLWithPath: configPath))
        let serve = ServeProcess(executable: executable, configPath: configPath, logPath: directory + "/serve.log", port: port)
        defer { serve.kill() }

        let runId = "e2e-\(String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36))-\(seed)"
        let factory = E2EEventFactory(runId: runId, secret: secret, target: serve.target)
        for index in 0 ..< events {
            try standIns.energyCoordination.publish(try JSONBody.parse(factory.body(index)))
        }
        print("delivery-resilience: \(events) events at \(rate)/s, \(kills) kills, seed \(seed), faults on \(faultsOn): "
              + describe(faults) + (keep ? " (folder \(directory))" : ""))
        fflush(nil)

        let started = Date()
        try serve.start()
        let sender = PersistentSender(target: serve.target, count: events, lanes: 4, rate: rate,
                                      deadlineSeconds: max(120, Double(events) / max(rate, 1) * 3 + 60)) { index in
            try factory.request(index)
        }
        let sending = DispatchGroup()
        sender.start(sending)

        var random = SeededRandom(seed: seed)
        var killTimes: [Date] = []
        for _ in 0 ..< kills {
            let wait = life.lowerBound + Int(random.next() % UInt64(life.upperBound - life.lowerBound + 1))
            usleep(UInt32(wait * 1000))
            serve.kill()
            killTimes.append(Date())
            try serve.start()
        }
        sending.wait()
        let sendSeconds = Date().timeIntervalSince(started)
        print("delivery-resilience: sending done after \(String(format: "%.1f", sendSeconds)) s (\(killTimes.count) kills); waiting until settled…")
        fflush(nil)

        let checks = CheckList()
        let settled = try waitUntilSettled(storePath: storePath, timeout: settleTimeout)
        let settleSeconds = Date().timeIntervalSince(started) - sendSeconds
        serve.stop()
        checks.check("serve restarted after every kill (\(killTimes.count) kills, \(serve.starts) starts)",
                     killTimes.count == kills && serve.starts == kills + 1)
        checks.check("everything was final within \(Int(settleTimeout)) s after the last send (took \(String(format: "%.1f", settleSeconds)) s)",
                     settled)
        let opened = try BridgeStore.open(StoreOptions(path: storePath))
        defer { opened.close() }
        let audit = DeliveryAudit(store: opened, standIns: standIns, factory: factory, outcomes: sender.results,
                                  expectation: rejecting ? .rejected : .delivered, maxAttempts: maxAttempts,
                                  attemptFactor: attemptFactor, kills: killTimes, strictReports: arguments.has("strict-reports"))
        try audit.run(checks)
        if checks.failed > 0 { print("serve log: \(directory)/serve.log" + (keep ? "" : " (pass --keep to keep it)")) }
        return checks.summary()
    }

    /// Polls the store (a second, read-mostly connection) until nothing is left to plan, deliver or report.
    static func waitUntilSettled(storePath: String, timeout: Double) throws -> Bool {
        let store = try BridgeStore.open(StoreOptions(path: storePath))
        defer { store.close() }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let counts = try? store.counts(),
               (counts.inbox["received"] ?? 0) == 0,
               counts.deliveries.allSatisfy({ DeliveryState.final.contains($0.key) }),
               (counts.reports["pending"] ?? 0) == 0,
               (try? store.inboxAwaitingReport(limit: 1, includingUndelivered: true).isEmpty) == true {
                return true
            }
            usleep(200_000)
        }
        return false
    }

    static func lifeRange(_ text: String) throws -> ClosedRange<Int> {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[0] <= parts[1] else { throw BenchError("--life-ms must be MIN-MAX milliseconds") }
        return parts[0] ... parts[1]
    }

    static func describe(_ faults: SimulatorFaults) -> String {
        var parts: [String] = []
        if faults.failRate > 0 { parts.append("fail-rate \(faults.failRate)") }
        if faults.rateLimitEvery > 0 { parts.append("429 every \(faults.rateLimitEvery)") }
        if faults.slowMilliseconds > 0 { parts.append("slow \(faults.slowMilliseconds) ms") }
        if faults.dropRate > 0 { parts.append("drop-rate \(faults.dropRate)") }
        if faults.rejectSignature { parts.append("reject-signature") }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
