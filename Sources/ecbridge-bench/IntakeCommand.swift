import Foundation
import WebhookAuth

/// `ecbridge-bench intake`: signed unique ec-v1 events against a running receiver.
enum IntakeCommand {
    static let usage = """
    usage: ecbridge-bench intake --url URL --secret S [--scheme spark] [--connections 64] [--threads 1]
                                 [--duration 10] [--warmup 1] [--rate R] [--body-size 1024] [--requests N]
                                 [--runs 1] [--json] [--timeline FILE]

    Every request is a unique signed ~1 KB ec-v1 CurrentLevel notification, built and signed before the
    timed window. --rate 0 (default) = closed loop, as fast as answers come; --rate R = open loop at R
    requests/s with latency measured from each request's intended send time. With --runs N the load is
    repeated N times and the median of each figure is reported too. --timeline FILE writes every measured
    request as "sent_ms latency_ms" (the last run's), to see when a tail happened; `longestStallMs` is the
    longest time requests waited with no answer at all (a stall, as opposed to queueing);
    cpuBusyStealPercent is each CPU's busy/steal share of the load window.
    """

    static let valued: Set<String> = ["url", "secret", "scheme", "connections", "threads", "duration", "warmup", "rate",
                                      "body-size", "requests", "runs", "timeline"]

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: valued)
        let target = try TargetURL(try arguments.required("url"))
        let options = try loadOptions(arguments)
        let factory = try factory(arguments, target: target)
        let runs = max(1, try arguments.int("runs", default: 1))
        let json = arguments.has("json")
        var results: [LoadResult] = []
        for run in 1 ... runs {
            let pool = try factory.pool(count: try poolSize(arguments, options: options), first: run * 10_000_000)
            let machineBefore = MachineCPUTimes.now()
            let result = LoadGenerator.run(target: target, pool: pool, options: options)
            let machineAfter = MachineCPUTimes.now()
            var report = BenchReport("intake run \(run)/\(runs) → \(target.authority)\(target.path)")
            report.add("run", run)
            report.add("connections", options.connections)
            report.add("rate", options.rate, digits: 0)
            report.add("durationSeconds", options.duration, digits: 1)
            report.add(load: result)
            report.add("cpuBusyStealPercent", machineAfter.busyAndSteal(since: machineBefore))
            report.print(json: json)
            results.append(result)
        }
        medianReport(results).print(json: json)
        return results.allSatisfy({ $0.completed > 0 }) ? 0 : 1
    }

    static func medianReport(_ results: [LoadResult]) -> BenchReport {
        var report = BenchReport("median of \(results.count) runs")
        report.add("medianOf", results.count)
        report.add("requestsPerSecond", median(results.map(\.requestsPerSecond)), digits: 0)
        report.add("p50Ms", median(results.map { $0.percentile(50) }), digits: 3)
        report.add("p99Ms", median(results.map { $0.percentile(99) }), digits: 3)
        report.add("p999Ms", median(results.map { $0.percentile(99.9) }), digits: 3)
        report.add("longestStallMs", median(results.map(\.longestStallMs)), digits: 3)
        report.add("non2xxTotal", results.map(\.non2xx).reduce(0, +))
        report.add("errorsTotal", results.map(\.errors).reduce(0, +))
        return report
    }

    static func loadOptions(_ arguments: BenchArguments) throws -> LoadOptions {
        var options = LoadOptions()
        options.connections = max(1, try arguments.int("connections", default: options.connections))
        options.threads = max(1, try arguments.int("threads", default: options.threads))
        options.duration = max(0.1, try arguments.double("duration", default: options.duration))
        options.warmup = max(0, try arguments.double("warmup", default: options.warmup))
        options.rate = max(0, try arguments.double("rate", default: 0))
        options.timelinePath = arguments.string("timeline")
        return options
    }

    static func factory(_ arguments: BenchArguments, target: TargetURL) throws -> SignedEventFactory {
        let schemeName = arguments.string("scheme", default: "spark")
        guard let scheme = WebhookScheme(rawValue: schemeName) else { throw BenchError("unknown --scheme \(schemeName)") }
        return SignedEventFactory(target: target, scheme: scheme, secret: try arguments.required("secret"),
                                  bodySize: max(200, try arguments.int("body-size", default: 1024)),
                                  runId: SignedEventFactory.makeRunId())
    }

    /// Enough requests for the whole run: the schedule for fixed rate, a generous ceiling for closed loop.
    static func poolSize(_ arguments: BenchArguments, options: LoadOptions) throws -> Int {
        let window = options.warmup + options.duration
        let fallback = options.rate > 0 ? Int(options.rate * window) + options.connections + 16
            : Int(window * 60_000) + options.connections
        return max(options.connections, try arguments.int("requests", default: fallback))
    }
}
