import Bridge
import Essentials
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge-bench e2e`: end-to-end latency, from a signed webhook POST to the moment the SolarNetwork
/// stand-in receives the resulting OCPP instruction — intake, verification, group commit, planning,
/// outbox, SNWS2 signing and the outbound request, all included.
///
/// The stand-in runs in this process, so the send time and the stand-in's receipt time come from one
/// clock; `ecbridge serve` is a child process (pinnable with `--server-cpus`).
enum E2ELatencyCommand {
    static let usage = """
    usage: ecbridge-bench e2e [--rate 100] [--duration 10] [--warmup 1] [--targets N] [--lanes 16]
                              [--server-cpus LIST] [--workers 2] [--ecbridge PATH] [--json]

    Open loop at --rate events/s for --warmup + --duration seconds: each event is a unique signed ec-v1
    CurrentLevel for one vehicle (round robin over --targets vehicles, default max(50, rate), each on its
    own charger so per-target ordering never queues one event behind another), sent on a fresh connection
    by one of --lanes sender threads at its intended time. Latency counts from that intended time (no
    coordinated omission) to the instruction's arrival at the SolarNetwork stand-in. Events of the
    warm-up are not counted. Reports p50/p99/p99.9/max of the end-to-end and of the webhook answer, and how
    many instructions never arrived (within 10 s after the load).
    Delivery settings: product defaults (pollInterval 1 s: workers are woken by the planner), except
    trackerFirstPoll 0.05 s / trackerMaxPoll 0.2 s so each target's instruction completes quickly.
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: ["rate", "duration", "warmup", "targets", "lanes", "server-cpus",
                                                          "workers", "ecbridge"])
        let executable = try locateECBridge(arguments)
        let rate = max(1, try arguments.double("rate", default: 100))
        let duration = max(1, try arguments.double("duration", default: 10))
        let warmup = max(0, try arguments.double("warmup", default: 1))
        let targets = max(1, try arguments.int("targets", default: max(50, Int(rate))))
        let lanes = max(1, try arguments.int("lanes", default: 16))
        let workers = max(1, try arguments.int("workers", default: 2))
        let json = arguments.has("json")

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ecbridge-e2e-latency-\(getpid())-\(UInt32.random(in: 0 ... UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let standIns = try StandIns(downstream: .none, partner: .none, secondsPerStep: 0.02, chargers: targets)
        defer { standIns.stop() }
        let port = SimpleHTTP.freePort()
        let secret = "e2e-latency-secret"
        let configPath = directory + "/config.json"
        let config = standIns.configuration(
            port: port, storePath: directory + "/store.sqlite", secret: secret,
            delivery: ["pollInterval": "1", "baseDelay": "1", "maxDelay": "300", "requestTimeout": "30", "workers": String(workers)],
            store: [:], logLevel: "warning", targets: StandIns.ocppTargets(targets))
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        var serveExecutable = executable
        var serveArguments: [String] = []
        if let cpus = arguments.string("server-cpus") {
            serveExecutable = "/usr/bin/taskset"
            serveArguments = ["-c", cpus, executable]
        }
        let serve = ServeProcess(executable: serveExecutable, configPath: configPath, logPath: directory + "/serve.log",
                                 port: port, prefix: serveArguments)
        defer { serve.stop() }
        try serve.start()

        var factory = E2EEventFactory(runId: "lat-\(String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36))",
                                      secret: secret, target: serve.target, kinds: [.currentLevel])
        factory.spread = targets
        factory.windowStep = 60
        let total = Int((warmup + duration) * rate)
        let counted = Int(warmup * rate) ..< total
        // Everything is built and signed before the clock starts.
        let requests = try (0 ..< total).map { try factory.request($0) }
        let sendTimes = Mutex([Date?](repeating: nil, count: total))
        let answers = Mutex([(status: Int, seconds: Double)](repeating: (0, 0), count: total))

        let target = serve.target
        let start = Date().addingTimeInterval(0.2)
        let group = DispatchGroup()
        for lane in 0 ..< lanes {
            group.enter()
            Thread {
                var index = lane
                while index < total {
                    let due = start.addingTimeInterval(Double(index) / rate)
                    let wait = due.timeIntervalSinceNow
                    if wait > 0 { usleep(UInt32(wait * 1e6)) }
                    sendTimes.withLock { $0[index] = due }
                    let status = SimpleHTTP.request(target, raw: requests[index], timeout: 10)?.status ?? 0
                    let seconds = Date().timeIntervalSince(due)
                    answers.withLock { $0[index] = (status, seconds) }
                    index += lanes
                }
                group.leave()
            }.start()
        }
        group.wait()
        let loadEnd = Date()

        // Wait (bounded) for the last instructions.
        var received: [Int: Date] = [:]
        let deadline = loadEnd.addingTimeInterval(10)
        repeat {
            received = arrivals(standIns.solarNetwork.instructions, factory: factory)
            if counted.allSatisfy({ received[$0] != nil }) { break }
            usleep(100_000)
        } while Date() < deadline

        let sent = sendTimes.withLock { $0 }
        let answered = answers.withLock { $0 }
        var endToEnd: [Double] = []
        var intake: [Double] = []
        var missing = 0
        var non200 = 0
        for index in counted {
            intake.append(answered[index].seconds)
            if answered[index].status != 200 { non200 += 1 }
            guard let sentAt = sent[index], let arrived = received[index] else {
                missing += 1
                continue
            }
            endToEnd.append(arrived.timeIntervalSince(sentAt))
        }
        endToEnd.sort()
        intake.sort()
        var report = BenchReport("e2e: webhook POST → instruction at the SolarNetwork stand-in")
        report.add("rate", rate, digits: 0)
        report.add("durationSeconds", duration, digits: 1)
        report.add("targets", targets)
        report.add("events", counted.count)
        report.add("non200", non200)
        report.add("instructionsMissing", missing)
        report.add("achievedRate", Double(counted.count) / max(0.001, loadEnd.timeIntervalSince(start) - warmup), digits: 0)
        for (name, values) in [("e2e", endToEnd), ("webhook", intake)] {
            report.add(name + "P50Ms", percentile(values, 50) * 1000, digits: 2)
            report.add(name + "P99Ms", percentile(values, 99) * 1000, digits: 2)
            report.add(name + "P999Ms", percentile(values, 99.9) * 1000, digits: 2)
            report.add(name + "MaxMs", (values.last ?? 0) * 1000, digits: 2)
        }
        report.print(json: json)
        return missing == 0 && non200 == 0 ? 0 : 1
    }

    /// Receipt time of each event's instruction, found by its schedule start (event k's window start).
    static func arrivals(_ instructions: [SimulatedInstruction], factory: E2EEventFactory) -> [Int: Date] {
        var found: [Int: Date] = [:]
        for instruction in instructions {
            guard let msg = instruction.parameter("msg"), let json = try? JSON.parse(msg),
                  let text = json["csChargingProfiles"]?["chargingSchedule"]?["startSchedule"]?.stringValue,
                  let start = Timestamp.parse(text) else { continue }
            let index = factory.index(ofWindowStart: start)
            if found[index] == nil { found[index] = instruction.created }
        }
        return found
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[rank]
    }
}
