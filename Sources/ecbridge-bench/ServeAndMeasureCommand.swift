import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge-bench serve-and-measure`: the whole `serve` story in one command — start-up to ready, idle
/// RSS, throughput and latency under load, RSS under load and server CPU time per request.
enum ServeAndMeasureCommand {
    static let usage = """
    usage: ecbridge-bench serve-and-measure [--ecbridge PATH] [--server-cpus 0] [--targets sample|none]
                                            [--event-loops N] [--store-page-size BYTES]
                                            [--store-synchronous full|normal] [--runs 3] [--json]
                                            + the load options of `intake`
                                            (--connections --threads --duration --warmup --rate --body-size
                                            --timeline)

    Each run starts `ecbridge serve` on a fresh temporary store (listen.port free, log level warning,
    default durable store settings unless --store-page-size / --store-synchronous say otherwise), measures
    it, loads it with unique signed events and stops it.
    Run the bench itself on another CPU (taskset -c 1) than --server-cpus. The store lives under $TMPDIR
    (TMPDIR=/dev/shm takes the disk out of the measurement). storageKiBPerRequest is what the server made
    the kernel write to storage per answered request; storeBatches/storeOperations are its group commits.
    cpuBusyStealPercent is each CPU's busy/steal share of the load window ("0:83/4.0 1:12/5.0"): steal is
    time the hypervisor took away (see Tests/Benchmarks/README.md, host CPU cap).
    """

    /// The options that take a value: the load options of `intake` and this command's own.
    static let valued = IntakeCommand.valued.union(["ecbridge", "server-cpus", "targets", "event-loops", "store-page-size",
                                                       "store-synchronous"])

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: valued)
        let executable = try locateECBridge(arguments)
        let options = try IntakeCommand.loadOptions(arguments)
        let runs = max(1, try arguments.int("runs", default: 1))
        let json = arguments.has("json")
        let withTargets = arguments.string("targets", default: "sample") != "none"
        var extraStore: [String: String] = [:]
        if let pageSize = arguments.string("store-page-size") { extraStore["pageSize"] = pageSize }
        if let synchronous = arguments.string("store-synchronous") {
            guard ["full", "normal"].contains(synchronous) else {
                throw BenchError("--store-synchronous must be full or normal, got \(synchronous)")
            }
            extraStore["synchronous"] = BenchReport.quote(synchronous)
        }
        var rows: [(ready: Double, idleRSS: Int, loadRSS: Int, cpuPerRequest: Double, result: LoadResult)] = []
        for run in 1 ... runs {
            let server = try ServerUnderTest(executable: executable, cpus: arguments.string("server-cpus"),
                                             secret: "bench-secret-\(run)", targets: withTargets,
                                             extraStore: extraStore,
                                             extraListen: arguments.string("event-loops").map { ["eventLoops": $0] } ?? [:])
            defer { server.stop() }
            let ready = try server.startAndWaitUntilReady()
            let target = server.target
            var factoryArguments = argv
            factoryArguments += ["--url", "http://127.0.0.1:\(server.port)\(ServerUnderTest.webhookPath)", "--secret", server.secret]
            let factory = try IntakeCommand.factory(try BenchArguments(factoryArguments, valued: valued),
                                                    target: target)
            let pool = try factory.pool(count: try IntakeCommand.poolSize(arguments, options: options))
            // Idle: one second after ready (and after the pool was built), nothing in flight.
            usleep(1_000_000)
            let idleRSS = server.probe.residentKiB() ?? -1
            let cpuBefore = server.probe.cpuSeconds() ?? 0
            let threadsBefore = server.probe.threadCPUSeconds()
            let writtenBefore = server.probe.storageBytesWritten() ?? 0
            let machineBefore = MachineCPUTimes.now()
            let sampler = RSSSampler(probe: server.probe)
            sampler.start()
            let result = LoadGenerator.run(target: target, pool: pool, options: options)
            let machineAfter = MachineCPUTimes.now()
            let loadRSS = sampler.stop()
            let cpuAfter = server.probe.cpuSeconds() ?? 0
            let threadsAfter = server.probe.threadCPUSeconds()
            let writtenAfter = server.probe.storageBytesWritten() ?? 0
            // The planner runs behind the intake: how many accepted rows were still waiting for it.
            let metrics = SimpleHTTP.get(target, path: "/metrics")?.body
            let unplanned = metrics.flatMap { Self.gauge($0, "ecbridge_inbox_rows{state=\"received\"}") } ?? -1
            // Group commits: how many transactions carried how many writes (intake and planner together).
            let batches = metrics.flatMap { Self.gauge($0, "ecbridge_store_batches_total") } ?? -1
            let operations = metrics.flatMap { Self.gauge($0, "ecbridge_store_operations_total") } ?? -1
            // CPU over the whole load including warm-up, divided by every request answered in it.
            let answered = result.completed + Int(Double(result.completed) * options.warmup / options.duration)
            let cpuPerRequest = answered > 0 ? (cpuAfter - cpuBefore) / Double(answered) * 1e6 : 0
            var report = BenchReport("serve run \(run)/\(runs) on port \(server.port)")
            report.add("run", run)
            report.add("startupToReadyMs", ready * 1000, digits: 1)
            report.add("idleRSSMiB", Double(idleRSS) / 1024, digits: 1)
            report.add("loadRSSMiB", Double(loadRSS) / 1024, digits: 1)
            report.add("cpuMicrosecondsPerRequest", cpuPerRequest, digits: 1)
            report.add("storageKiBPerRequest", answered > 0 ? Double(writtenAfter - writtenBefore) / 1024 / Double(answered) : 0,
                       digits: 1)
            report.add("connections", options.connections)
            report.add("rate", options.rate, digits: 0)
            report.add(load: result)
            report.add("unplannedAfterLoad", unplanned)
            report.add("storeBatches", batches)
            report.add("storeOperations", operations)
            // Where the server's CPU went, per thread (in creation order: main, store writer, HTTP event
            // loops, planner, then any runtime threads).
            let perThread = threadsAfter.map { tid, seconds in (tid, seconds - (threadsBefore.first { $0.0 == tid }?.1 ?? 0)) }
            report.add("threadCPUSeconds", perThread.map { String(format: "%.2f", $0.1) }.joined(separator: " "))
            report.add("cpuBusyStealPercent", machineAfter.busyAndSteal(since: machineBefore))
            report.print(json: json)
            rows.append((ready, idleRSS, loadRSS, cpuPerRequest, result))
        }
        do {
            var report = IntakeCommand.medianReport(rows.map(\.result))
            report.title = "serve: median of \(runs) runs"
            report.add("startupToReadyMs", median(rows.map(\.ready)) * 1000, digits: 1)
            report.add("idleRSSMiB", median(rows.map { Double($0.idleRSS) }) / 1024, digits: 1)
            report.add("loadRSSMiB", median(rows.map { Double($0.loadRSS) }) / 1024, digits: 1)
            report.add("cpuMicrosecondsPerRequest", median(rows.map(\.cpuPerRequest)), digits: 1)
            report.print(json: json)
        }
        return 0
    }
}

extension ServeAndMeasureCommand {
    /// The value of one series in Prometheus text (`name{labels} value`).
    static func gauge(_ text: String, _ series: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)).map { Int($0) }
        }
        return nil
    }
}

/// Samples a process's RSS every 100 ms on its own thread and keeps the highest value.
final class RSSSampler: Sendable {
    private let probe: ProcessProbe
    private let state = Mutex((running: true, peak: 0))
    private let finished = DispatchSemaphore(value: 0)

    init(probe: ProcessProbe) { self.probe = probe }

    func start() {
        let thread = Thread { [self] in
            while state.withLock({ $0.running }) {
                let value = probe.residentKiB() ?? 0
                state.withLock { $0.peak = max($0.peak, value) }
                usleep(100_000)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Stops sampling; returns the peak in KiB.
    func stop() -> Int {
        state.withLock { $0.running = false }
        finished.wait()
        return state.withLock { $0.peak }
    }
}
