import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An `ecbridge serve` child process on a generated configuration (temporary store, free port, one
/// spark webhook, log level warning), optionally pinned to CPUs with `taskset`.
final class ServerUnderTest {
    let directory: URL
    let port: Int
    let secret: String
    let process = Process()
    private(set) var startedAt: UInt64 = 0

    static let webhookPath = "/webhooks/energy-coordination"

    /// - Parameters:
    ///   - targets: include two sample SolarNetwork targets so every event is also planned (realistic),
    ///     or none (planning still runs but skips every target).
    init(executable: String, cpus: String?, secret: String, targets: Bool, extraStore: [String: String] = [:],
         extraListen: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ecbridge-bench-\(getpid())-\(UInt32.random(in: 0 ... UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = SimpleHTTP.freePort()
        self.secret = secret
        let targetsJSON = targets ? """
            [{"resourceId":"vehicle-1","channel":"solarnetwork-ocpp","nodeId":123,"chargePointId":5,"connectorId":1,
              "ocppVersion":"1.6","rateUnit":"A","phases":3,"voltage":230,"minCurrent":6,"maxCurrent":32},
             {"resourceId":"vehicle-2","channel":"solarnetwork-oscp","nodeId":123,"capacityOptimizerId":1,
              "groupIdentifier":"foo-group","forecastType":"CONSUMPTION","phase":"ALL","unit":"KW","phases":3,"voltage":230}]
            """ : "[]"
        let store = (["\"path\"": BenchReport.quote(directory.appendingPathComponent("store.sqlite").path)]
            .merging(extraStore.map { (BenchReport.quote($0.key), $0.value) }, uniquingKeysWith: { a, _ in a }))
            .map { "\($0.key):\($0.value)" }.joined(separator: ",")
        let listen = (["\"host\"": "\"127.0.0.1\"", "\"port\"": String(port)]
            .merging(extraListen.map { (BenchReport.quote($0.key), $0.value) }, uniquingKeysWith: { a, _ in a }))
            .map { "\($0.key):\($0.value)" }.joined(separator: ",")
        let config = """
            {"listen":{\(listen)},"store":{\(store)},
             "webhooks":[{"path":"\(Self.webhookPath)","scheme":"spark","secrets":[\(BenchReport.quote(secret))]}],
             "solarNetwork":{"baseUrl":"http://127.0.0.1:9","token":"bench-token","secret":"bench-secret"},
             "log":{"level":"warning"},"targets":\(targetsJSON)}
            """
        let configPath = directory.appendingPathComponent("config.json")
        try Data(config.utf8).write(to: configPath)
        if let cpus {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            process.arguments = ["-c", cpus, executable, "serve", "--config", configPath.path]
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["serve", "--config", configPath.path]
        }
        var environment = ProcessInfo.processInfo.environment
        environment["ECBRIDGE_LOG_LEVEL"] = "warning"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.standardError
    }

    var configPath: String { directory.appendingPathComponent("config.json").path }

    var target: TargetURL { TargetURL(host: "127.0.0.1", port: port, path: Self.webhookPath) }

    var probe: ProcessProbe { ProcessProbe(pid: process.processIdentifier) }

    /// Starts the child and polls `/readyz` every millisecond; returns seconds from spawn to the first 200.
    func startAndWaitUntilReady(timeout: Double = 10) throws -> Double {
        startedAt = MonotonicClock.now()
        try process.run()
        let deadline = startedAt + UInt64(timeout * 1e9)
        while MonotonicClock.now() < deadline {
            if let answer = SimpleHTTP.get(target, path: "/readyz", timeout: 1), answer.status == 200 {
                return MonotonicClock.seconds(MonotonicClock.now() - startedAt)
            }
            guard process.isRunning else { throw BenchError("ecbridge serve exited with status \(process.terminationStatus) before it was ready") }
            usleep(1_000)
        }
        throw BenchError("ecbridge serve was not ready within \(timeout) s")
    }

    /// SIGTERM and wait (graceful drain); then remove the temporary directory unless `keep`.
    func stop(keep: Bool = false) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if !keep { try? FileManager.default.removeItem(at: directory) }
    }
}

/// Where `ecbridge` is: `--ecbridge PATH`, else next to this executable (same build directory).
func locateECBridge(_ arguments: BenchArguments) throws -> String {
    if let path = arguments.string("ecbridge") { return path }
    let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let sibling = own.deletingLastPathComponent().appendingPathComponent("ecbridge").path
    guard FileManager.default.isExecutableFile(atPath: sibling) else {
        throw BenchError("cannot find ecbridge next to \(own.path); pass --ecbridge PATH")
    }
    return sibling
}
