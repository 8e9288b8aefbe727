import Essentials
import Foundation
import Synchronization
import Testing
import WebhookAuth
@testable import Bridge
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge serve` as a real child process: SIGTERM while signed webhooks keep arriving must lose
/// nothing that was answered 200, and the process must exit 0 after draining.
@Suite(.serialized) struct OperationsShutdownTests {
    static let secret = "shutdown-test-secret"

    /// The built `ecbridge` next to the test bundle (or `ECBRIDGE_BINARY`); nil when it was not built.
    static func ecbridgeBinary() -> String? {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["ECBRIDGE_BINARY"] { candidates.append(path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0 ..< 4 {
            candidates.append(directory.appendingPathComponent("ecbridge").path)
            directory.deleteLastPathComponent()
        }
        candidates.append(TestFiles.repositoryRoot + "/.build/debug/ecbridge")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Reads the child's standard output line by line and remembers the bound port.
    final class OutputReader: Sendable {
        private let state = Mutex<(lines: [String], port: Int?)>(([], nil))
        private let portSeen = DispatchSemaphore(value: 0)

        func start(_ handle: FileHandle) {
            Thread {
                var pending = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: 10) {
                        let line = String(decoding: pending[pending.startIndex ..< newline], as: UTF8.self)
                        pending.removeSubrange(pending.startIndex ... newline)
                        self.take(line)
                    }
                }
                self.portSeen.signal()
            }.start()
        }

        private func take(_ line: String) {
            let port = (try? JSON.parse(Array(line.utf8))).flatMap { json -> Int? in
                guard json["msg"]?.stringValue == "listening", case let .number(text)? = json["port"] else { return nil }
                return Int(text)
            }
            let first = state.withLock { state -> Bool in
                state.lines.append(line)
                guard let port, state.port == nil else { return false }
                state.port = port
                return true
            }
            if first { portSeen.signal() }
        }

        func waitForPort(seconds: Double) -> Int? {
            _ = portSeen.wait(timeout: .now() + seconds)
            return state.withLock { $0.port }
        }

        var lines: [String] { state.withLock { $0.lines } }
    }

    @Test func sigtermDrainsAndKeepsEveryAcceptedWebhook() throws {
        guard let binary = Self.ecbridgeBinary() else {
            print("skipped: no ecbridge binary found next to the tests (build it, or set ECBRIDGE_BINARY)")
            return
        }
        let directory = NSTemporaryDirectory() + "ecbridge-shutdown-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configPath = directory + "/ecbridge.json"
        let config = """
        { "listen": { "host": "127.0.0.1", "port": 0, "eventLoops": 1, "drainTimeout": 5 },
          "store": { "path": "\(directory)/store.sqlite" },
          "webhooks": [ { "path": "/notify", "scheme": "spark", "secrets": ["\(Self.secret)"] } ] }
        """
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--config", configPath]
        process.environment = ["ECBRIDGE_LOG_LEVEL": "info", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let reader = OutputReader()
        try process.run()
        reader.start(output.fileHandleForReading)
        guard let port = reader.waitForPort(seconds: 30) else {
            process.terminate()
            process.waitUntilExit()
            Issue.record("serve did not report its port; output: \(reader.lines)")
            return
        }

        let template = try IntakeEndToEndTests.sample("ec-v1-current-create.json")
        let templateText = String(decoding: template, as: UTF8.self)
        let accepted = Mutex<[String]>([])
        let sent = Atomic<Int>(0)
        let stopSending = Atomic<Bool>(false)
        let senders = DispatchGroup()
        for worker in 0 ..< 3 {
            senders.enter()
            Thread {
                defer { senders.leave() }
                let client = OutboundHTTPClient(timeout: 5)
                var index = 0
                while !stopSending.load(ordering: .relaxed) {
                    index += 1
                    let notificationId = "shutdown-\(worker)-\(index)"
                    // A distinct notification and event per request, so each one is its own inbox row.
                    let body = Array(templateText
                        .replacingOccurrences(of: "7c0e5a2e-1d4b-4f8e-9a61-3f2b8c9d0e11", with: notificationId)
                        .replacingOccurrences(of: "3f0c9a52-7a1e-4c1b-9e55-1d2a6b7c8e90", with: notificationId).utf8)
                    let signature = Base64.encode(HMACSHA256.mac(key: Array(Self.secret.utf8), message: body))
                    guard let url = URL(string: "http://127.0.0.1:\(port)/notify") else { return }
                    sent.add(1, ordering: .relaxed)
                    let response = try? client.send(method: "POST", url: url,
                                                    headers: [("Content-Type", "application/json"), ("X-Payload-Signature", signature)],
                                                    body: body)
                    if response?.status == 200 { accepted.withLock { $0.append(notificationId) } }
                    if response == nil { Thread.sleep(forTimeInterval: 0.01) }  // refused: the listener is gone
                }
            }.start()
        }
        // Let traffic flow, then ask for a graceful stop while requests are still arriving.
        for _ in 0 ..< 500 where accepted.withLock({ $0.count }) < 30 { Thread.sleep(forTimeInterval: 0.01) }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        stopSending.store(true, ordering: .relaxed)
        senders.wait()

        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(reader.lines.contains { $0.contains("\"signal received, draining\"") })
        #expect(reader.lines.contains { $0.contains("\"stopped\"") })
        let acceptedIds = accepted.withLock { $0 }
        #expect(acceptedIds.count >= 30)

        // What the operator would run: the inbox as JSON.
        let list = Process()
        list.executableURL = URL(fileURLWithPath: binary)
        list.arguments = ["inbox", "list", "--json", "--limit", "100000", "--config", configPath]
        let listOutput = Pipe()
        list.standardOutput = listOutput
        list.standardError = FileHandle.nullDevice
        try list.run()
        let data = listOutput.fileHandleForReading.readDataToEndOfFile()
        list.waitUntilExit()
        #expect(list.terminationStatus == 0)
        let rows = try JSON.parse(Array(data)).arrayValue ?? []
        let stored = Set(rows.compactMap { $0["eventId"]?.stringValue })
        let missing = acceptedIds.filter { !stored.contains($0) }
        #expect(missing.isEmpty, "answered 200 but not in the inbox: \(missing.prefix(5))")
        #expect(stored.count >= acceptedIds.count)
    }
}
