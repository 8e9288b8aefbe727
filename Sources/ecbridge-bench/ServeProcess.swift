import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge serve --config FILE` as a child process that can be SIGKILLed and started again on the same
/// configuration and store — the crash half of the end-to-end resilience runs. Its output is appended
/// to a log file so a failed run can be read afterwards.
final class ServeProcess {
    let executable: String
    let configPath: String
    let logPath: String
    let target: TargetURL
    private(set) var process: Process?
    private(set) var starts = 0
    /// Arguments before `serve` (e.g. `taskset -c 0 PATH` when `executable` is taskset).
    let prefix: [String]

    init(executable: String, configPath: String, logPath: String, port: Int, prefix: [String] = []) {
        self.executable = executable
        self.prefix = prefix
        self.configPath = configPath
        self.logPath = logPath
        target = TargetURL(host: "127.0.0.1", port: port, path: ServerUnderTest.webhookPath)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    }

    var pid: Int32? { process?.processIdentifier }

    /// Starts the child and waits until `/readyz` answers 200.
    func start(timeout: Double = 30) throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = prefix + ["serve", "--config", configPath]
        child.standardInput = FileHandle.nullDevice
        if let log = FileHandle(forWritingAtPath: logPath) {
            log.seekToEndOfFile()
            child.standardOutput = log
            child.standardError = log
        }
        try child.run()
        process = child
        starts += 1
        let deadline = MonotonicClock.now() + UInt64(timeout * 1e9)
        while MonotonicClock.now() < deadline {
            if let answer = SimpleHTTP.get(target, path: "/readyz", timeout: 1), answer.status == 200 { return }
            guard child.isRunning else {
                throw BenchError("ecbridge serve exited with status \(child.terminationStatus) before it was ready (log: \(logPath))")
            }
            usleep(5_000)
        }
        throw BenchError("ecbridge serve was not ready within \(timeout) s (log: \(logPath))")
    }

    /// SIGKILL (no drain, no clean-up: a crash) and reap.
    func kill() {
        guard let child = process, child.isRunning else { return }
        Glibc.kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        process = nil
    }

    /// SIGTERM (graceful drain) and wait.
    func stop() {
        guard let child = process else { return }
        if child.isRunning {
            child.terminate()
            child.waitUntilExit()
        }
        process = nil
    }

    var isRunning: Bool { process?.isRunning ?? false }
}
