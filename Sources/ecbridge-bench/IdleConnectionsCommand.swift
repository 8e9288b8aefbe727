import Foundation
import WebhookAuth
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge-bench idle-connections`: the slowloris check. Holds N connections open (idle, or with a
/// request head that never finishes), then sends one signed event on a new connection and requires a
/// prompt 200.
enum IdleConnectionsCommand {
    static let usage = """
    usage: ecbridge-bench idle-connections --url URL --secret S [--connections 1000] [--mode idle|half-open|mixed]
                                           [--hold 2] [--max-latency-ms 1000] [--json]

    Opens --connections connections (half-open ones send an unfinished request head and then a byte per
    second), waits --hold seconds, then POSTs one unique signed event. Passes when it is answered 200
    within --max-latency-ms. Keep --connections below the server's listen.maxConnections (default 1024).
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: ["url", "secret", "connections", "mode", "hold", "max-latency-ms", "scheme"])
        let target = try TargetURL(try arguments.required("url"))
        let count = max(1, try arguments.int("connections", default: 1000))
        let mode = arguments.string("mode", default: "mixed")
        guard ["idle", "half-open", "mixed"].contains(mode) else { throw BenchError("--mode must be idle, half-open or mixed") }
        let hold = max(0, try arguments.double("hold", default: 2))
        let maxLatency = try arguments.double("max-latency-ms", default: 1000)
        let factory = SignedEventFactory(target: target, scheme: .spark, secret: try arguments.required("secret"),
                                         bodySize: 1024, runId: SignedEventFactory.makeRunId())

        var descriptors: [Int32] = []
        defer { for fd in descriptors { close(fd) } }
        var failures = 0
        let partialHead = Array("POST \(target.path) HTTP/1.1\r\nHost: \(target.authority)\r\nContent-Type: application/json\r\n".utf8)
        for index in 0 ..< count {
            let fd = target.connectSocket(nonBlocking: false)
            guard fd >= 0 else {
                failures += 1
                continue
            }
            descriptors.append(fd)
            if mode == "half-open" || (mode == "mixed" && index % 2 == 1) {
                _ = partialHead.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
        // Trickle one header byte per second on the half-open ones while holding.
        let holdStart = MonotonicClock.now()
        while MonotonicClock.seconds(MonotonicClock.now() - holdStart) < hold {
            usleep(1_000_000 / 4)
            for (index, fd) in descriptors.enumerated() where mode == "half-open" || (mode == "mixed" && index % 2 == 1) {
                var byte = UInt8(ascii: "X")
                _ = send(fd, &byte, 1, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            }
        }
        let started = MonotonicClock.now()
        let answer = SimpleHTTP.request(target, raw: try factory.request(0, timestamp: Int(Date().timeIntervalSince1970)),
                                        timeout: 10)
        let latencyMs = MonotonicClock.seconds(MonotonicClock.now() - started) * 1000
        // How many held connections the server still keeps (a peer that closed reads as EOF).
        var stillOpen = 0
        for fd in descriptors {
            var pollItem = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pollItem, 1, 0) == 0 { stillOpen += 1 }
        }
        let passed = answer?.status == 200 && latencyMs <= maxLatency
        var report = BenchReport("idle connections: \(count) \(mode)")
        report.add("heldConnections", descriptors.count)
        report.add("connectFailures", failures)
        report.add("stillOpenAfter", stillOpen)
        report.add("signedStatus", answer?.status ?? 0)
        report.add("signedLatencyMs", latencyMs, digits: 1)
        report.add("passed", .bool(passed))
        report.print(json: arguments.has("json"))
        return passed ? 0 : 1
    }
}
