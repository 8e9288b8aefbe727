import BridgeStore
import Foundation
import Synchronization

/// `ecbridge-bench store`: raw group-commit throughput of `BridgeStore.admit` (no HTTP, no decoding).
enum StoreCommand {
    static let usage = """
    usage: ecbridge-bench store [--rows 50000] [--batch 256] [--body-size 1024] [--synchronous full|normal]
                                [--path DIR] [--json]

    Queues --rows inbox records at once into a fresh store with maxBatch = --batch and waits until every
    commit completion has run. --batch 1 shows the cost of one transaction (one fsync) per row.
    """

    static func run(_ argv: [String]) throws -> Int32 {
        let arguments = try BenchArguments(argv, valued: ["rows", "batch", "body-size", "synchronous", "path"])
        let rows = max(1, try arguments.int("rows", default: 50_000))
        let batch = max(1, try arguments.int("batch", default: 256))
        let bodySize = max(16, try arguments.int("body-size", default: 1024))
        let base = URL(fileURLWithPath: arguments.string("path", default: FileManager.default.temporaryDirectory.path))
        let directory = base.appendingPathComponent("ecbridge-bench-store-\(getpid())-\(UInt32.random(in: 0 ... UInt32.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = StoreOptions(path: directory.appendingPathComponent("store.sqlite").path)
        options.maxBatch = batch
        options.maxQueue = rows + 1
        options.synchronousFull = arguments.string("synchronous", default: "full") != "normal"
        let store = try BridgeStore.open(options)
        defer { store.close() }

        let body = [UInt8](repeating: UInt8(ascii: "x"), count: bodySize)
        let runId = SignedEventFactory.makeRunId()
        let records = (0 ..< rows).map { index in
            InboxRecord(dedupeKey: "\(runId)-\(index)", eventId: "\(runId)-e\(index)", notificationId: "\(runId)-\(index)",
                        dialect: "ec-v1", operation: "Create", payloadType: "CurrentLevel",
                        rawBody: body,
                        headersJSON: "{\"remoteAddress\":\"127.0.0.1\"}", webhookPath: "/webhooks/energy-coordination")
        }
        let outcome = Mutex((stored: 0, failed: 0))
        let done = DispatchGroup()
        let started = MonotonicClock.now()
        for record in records {
            done.enter()
            store.admit(record) { result in
                outcome.withLock { value in
                    if case .success(.stored) = result { value.stored += 1 } else { value.failed += 1 }
                }
                done.leave()
            }
        }
        done.wait()
        let seconds = MonotonicClock.seconds(MonotonicClock.now() - started)
        let counts = outcome.withLock { $0 }
        let statistics = store.statistics
        var report = BenchReport("store: \(rows) rows, maxBatch \(batch)")
        report.add("rows", rows)
        report.add("maxBatch", batch)
        report.add("synchronous", options.synchronousFull ? "FULL" : "NORMAL")
        report.add("seconds", seconds, digits: 3)
        report.add("rowsPerSecond", Double(rows) / seconds, digits: 0)
        report.add("transactions", statistics.batches)
        report.add("transactionsPerSecond", Double(statistics.batches) / seconds, digits: 0)
        report.add("largestBatch", statistics.largestBatch)
        report.add("stored", counts.stored)
        report.add("failed", counts.failed)
        report.print(json: arguments.has("json"))
        return counts.failed == 0 ? 0 : 1
    }
}
