import Foundation
import Synchronization
import WebhookAuth

/// `ecbridge-bench send`: delivers N unique signed events like a persistent sender — each on a fresh
/// connection, retried until it is answered 200 — and records every outcome. The crash test kills the
/// server underneath it; afterwards the record says which events were acknowledged.
enum SendCommand {
    static let usage = """
    usage: ecbridge-bench send --url URL --secret S --events N --run-id ID --record FILE
                               [--concurrency 4] [--rate 0] [--retry-ms 20] [--deadline 90] [--scheme spark]

    Event k has notificationId "<ID>-n<k>". Each event is retried (fresh connection, after --retry-ms) on
    connection errors and non-200 answers until it gets a 200 or --deadline seconds have passed. FILE gets
    one line per event: "<notificationId> <final status or 0> <attempts> <first status seen or 0>".
    --rate R paces first attempts at R events/s in total (0 = as fast as answers come).
    Exit status 0 when every event was acknowledged.
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: ["url", "secret", "events", "run-id", "record", "concurrency",
                                                          "retry-ms", "deadline", "scheme", "rate"])
        let target = try TargetURL(try arguments.required("url"))
        let schemeName = arguments.string("scheme", default: "spark")
        guard let scheme = WebhookScheme(rawValue: schemeName) else { throw BenchError("unknown --scheme \(schemeName)") }
        let factory = SignedEventFactory(target: target, scheme: scheme, secret: try arguments.required("secret"),
                                         bodySize: 700, runId: try arguments.required("run-id"))
        let events = max(1, try arguments.int("events", default: 100))
        let concurrency = max(1, try arguments.int("concurrency", default: 4))
        let retry = UInt32(max(1, try arguments.int("retry-ms", default: 20)) * 1000)
        let deadline = MonotonicClock.now() + UInt64(try arguments.double("deadline", default: 90) * 1e9)
        let recordPath = try arguments.required("record")
        let rate = max(0, try arguments.double("rate", default: 0))
        let start = MonotonicClock.now()

        let outcomes = Mutex([(status: Int, attempts: Int, first: Int)](repeating: (0, 0, 0), count: events))
        let done = DispatchGroup()
        for lane in 0 ..< concurrency {
            done.enter()
            Thread {
                var index = lane
                while index < events {
                    if rate > 0 {
                        let due = start + UInt64(Double(index) / rate * 1e9)
                        let now = MonotonicClock.now()
                        if due > now { usleep(UInt32(min(1_000_000, (due - now) / 1000))) }
                    }
                    var attempts = 0
                    var first = 0
                    var status = 0
                    while MonotonicClock.now() < deadline {
                        attempts += 1
                        // Re-signed on every attempt (timestamped schemes), same bytes for spark.
                        let raw = (try? factory.request(index, timestamp: Int(Date().timeIntervalSince1970))) ?? []
                        let answer = SimpleHTTP.request(target, raw: raw, timeout: 5)
                        status = answer?.status ?? 0
                        if first == 0 { first = status }
                        if status == 200 { break }
                        usleep(retry)
                    }
                    let outcome = (status: status, attempts: attempts, first: first)
                    outcomes.withLock { $0[index] = outcome }
                    index += concurrency
                }
                done.leave()
            }.start()
        }
        done.wait()
        let final = outcomes.withLock { $0 }
        var lines = ""
        for (index, outcome) in final.enumerated() {
            lines += "\(factory.notificationId(index)) \(outcome.status) \(outcome.attempts) \(outcome.first)\n"
        }
        try Data(lines.utf8).write(to: URL(fileURLWithPath: recordPath))
        let acknowledged = final.filter { $0.status == 200 }.count
        let retried = final.filter { $0.attempts > 1 }.count
        print("send: \(events) events, \(acknowledged) acknowledged, \(retried) needed retries, \(events - acknowledged) never acknowledged")
        return acknowledged == events ? 0 : 1
    }
}
