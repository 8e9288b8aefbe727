import Foundation
import Testing
@testable import BridgeStore

@Suite struct GroupCommitTests {
    @Test func concurrentAdmitsShareBatches() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let results = Collector<InboxAdmission>()
        let group = DispatchGroup()
        let threads = 8
        let perThread = 125
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in 0..<perThread {
                group.enter()
                store.admit(record("t\(thread)-\(index)", eventId: "e\(thread)-\(index)")) { result in
                    results.append(result)
                    group.leave()
                }
            }
        }
        group.wait()
        let values = results.values
        #expect(values.count == 1000)
        #expect(values.allSatisfy { (try? $0.get()).map { if case .stored = $0 { true } else { false } } ?? false })
        #expect(try store.counts().inbox["received"] == 1000)
        let statistics = store.statistics
        #expect(statistics.operations == 1000)
        #expect(statistics.batches < 1000)
        #expect(statistics.largestBatch <= 256)
    }

    @Test func batchesRespectMaxBatch() throws {
        let temp = TemporaryStore()
        let store = try temp.open { $0.maxBatch = 10 }
        defer { store.close() }
        store.writer.pause()
        let group = DispatchGroup()
        for index in 0..<35 {
            group.enter()
            store.admit(record("k\(index)")) { _ in group.leave() }
        }
        store.writer.resume()
        group.wait()
        let statistics = store.statistics
        #expect(statistics.batches == 4)
        #expect(statistics.largestBatch == 10)
    }

    @Test func fullQueueIsOverloaded() throws {
        let temp = TemporaryStore()
        let store = try temp.open { $0.maxQueue = 3 }
        defer { store.close() }
        store.writer.pause()
        let results = Collector<InboxAdmission>()
        let group = DispatchGroup()
        for index in 0..<5 {
            group.enter()
            store.admit(record("k\(index)")) { result in
                results.append(result)
                group.leave()
            }
        }
        // The two refusals were reported at once, before the writer ran.
        #expect(results.values.count == 2)
        #expect(results.values.allSatisfy { if case .failure(.overloaded) = $0 { true } else { false } })
        #expect(store.statistics.overloadRejections == 2)
        #expect(store.statistics.queueDepth == 3)
        store.writer.resume()
        group.wait()
        #expect(results.values.filter { (try? $0.get()) != nil }.count == 3)
        #expect(try store.inbox(limit: 10).count == 3)
    }

    @Test func failingOperationIsIsolated() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        store.writer.pause()
        let results = Collector<Int>()
        let group = DispatchGroup()
        for index in 0..<3 {
            group.enter()
            store.write({ (db) throws(StoreError) -> Int in
                try db.run("INSERT INTO quarantine (received_at, reason, raw_body) VALUES (0, ?, x'00')",
                           ["r\(index)"])
                if index == 1 {
                    try db.run("INSERT INTO no_such_table VALUES (1)")
                }
                return index
            }, completion: { result in
                results.append(result)
                group.leave()
            })
        }
        store.writer.resume()
        group.wait()
        let successes = results.values.compactMap { try? $0.get() }.sorted()
        #expect(successes == [0, 2])
        #expect(results.values.count == 3)
        #expect(try store.quarantineList(limit: 10).map(\.reason).sorted() == ["r0", "r2"])
        #expect(store.statistics.batches == 1)
        #expect(store.statistics.failedOperations == 1)
    }

    @Test func aBatchRunAgainAfterAFailureReportsEachJobsOwnResult() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        store.writer.pause()
        let admissions = Collector<InboxAdmission>()
        let failures = Collector<Int>()
        let group = DispatchGroup()
        group.enter()
        store.admit(record("k1")) { admissions.append($0); group.leave() }
        group.enter()
        store.write({ (db) throws(StoreError) -> Int in
            try db.run("INSERT INTO quarantine (received_at, reason, raw_body) VALUES (0, 'lost', x'00')")
            try db.run("INSERT INTO no_such_table VALUES (1)")
            return 0
        }, completion: { failures.append($0); group.leave() })
        group.enter()
        store.admit(record("k1")) { admissions.append($0); group.leave() }
        group.enter()
        store.admit(record("k2")) { admissions.append($0); group.leave() }
        store.writer.resume()
        group.wait()
        // In order of completion: stored, duplicate of it, stored; the failing job alone rolled back.
        #expect(admissions.values.map { try? $0.get() } == [.stored(id: 1, operation: "Create"), .duplicate(id: 1),
                                                            .stored(id: 2, operation: "Create")])
        #expect(failures.values.count == 1)
        #expect((try? failures.values.first?.get()) == nil)
        #expect(try store.inbox(limit: 10).count == 2)
        #expect(try store.quarantineList(limit: 10).isEmpty)
        #expect(store.statistics.batches == 1)
        #expect(store.statistics.operations == 4)
        #expect(store.statistics.failedOperations == 1)
    }

    @Test func eachBatchsCompletionsRunInsideOneCompletionScope() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let events = Collector<String>()
        store.setCompletionScope { deliver in
            events.append(.success("begin"))
            deliver()
            events.append(.success("end"))
        }
        store.writer.pause()
        let group = DispatchGroup()
        for index in 0..<3 {
            group.enter()
            store.admit(record("k\(index)")) { _ in
                events.append(.success("done"))
                group.leave()
            }
        }
        store.writer.resume()
        group.wait()
        store.close()
        #expect(events.values.compactMap { try? $0.get() } == ["begin", "done", "done", "done", "end"])
    }

    @Test func closeDrainsTheQueue() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        store.writer.pause()
        let results = Collector<InboxAdmission>()
        for index in 0..<50 {
            store.admit(record("k\(index)")) { results.append($0) }
        }
        store.close()
        #expect(results.values.count == 50)
        #expect(results.values.allSatisfy { (try? $0.get()) != nil })
        let reopened = try temp.open()
        defer { reopened.close() }
        #expect(try reopened.inbox(limit: 100).count == 50)
    }

    @Test func completionMayCallBackIntoTheStore() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let done = DispatchSemaphore(value: 0)
        let inner = Collector<InboxAdmission>()
        store.admit(record("outer")) { _ in
            // On the writer thread: a synchronous call must not deadlock.
            inner.append(Result { () throws(StoreError) in try store.admitNow(record("inner")) })
            done.signal()
        }
        done.wait()
        #expect((try inner.values.first?.get())?.id == 2)
        #expect(try store.inbox(limit: 10).count == 2)
    }
}
