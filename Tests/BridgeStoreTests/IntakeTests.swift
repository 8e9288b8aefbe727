import Foundation
import Testing
@testable import BridgeStore

@Suite struct IntakeTests {
    @Test func admitsAndReadsBack() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let original = record("n-1", eventId: "e-1", operation: "Create", body: "{\"a\":1}")
        let admission = try store.admitNow(original)
        guard case let .stored(id, operation) = admission else {
            Issue.record("expected stored, got \(admission)")
            return
        }
        #expect(operation == "Create")
        let row = try #require(try store.inboxRow(id: id))
        #expect(row.dedupeKey == "n-1")
        #expect(row.eventId == "e-1")
        #expect(row.dialect == "ec-v1")
        #expect(row.payloadType == "CurrentLevel")
        #expect(row.state == InboxState.received)
        #expect(row.rawBody == Array("{\"a\":1}".utf8))
        #expect(row.headersJSON == original.headersJSON)
        #expect(row.webhookPath == original.webhookPath)
        #expect(row.receivedAt == original.receivedAt)
        #expect(row.plannedAt == nil)
        #expect(try store.inboxRow(id: id + 100) == nil)
    }

    @Test func duplicateChangesNothing() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let first = try store.admitNow(record("n-1", eventId: "e-1", body: "first"))
        let second = try store.admitNow(record("n-1", eventId: "e-1", body: "second"))
        #expect(second == .duplicate(id: first.id))
        let rows = try store.inbox(limit: 10)
        #expect(rows.count == 1)
        #expect(rows.first?.rawBody == Array("first".utf8))
    }

    @Test func duplicateWithinOneBatch() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        store.writer.pause()
        let results = Collector<InboxAdmission>()
        let group = DispatchGroup()
        for _ in 0..<2 {
            group.enter()
            store.admit(record("same", eventId: "e")) { result in
                results.append(result)
                group.leave()
            }
        }
        store.writer.resume()
        group.wait()
        let admissions = try results.values.map { try $0.get() }
        #expect(admissions.count == 2)
        let stored = admissions.filter { if case .stored = $0 { true } else { false } }
        #expect(stored.count == 1)
        #expect(admissions.contains(.duplicate(id: admissions[0].id)))
        #expect(store.statistics.batches == 1)
        #expect(try store.inbox(limit: 10).count == 1)
    }

    @Test func infersTheOperationOfABareEvent() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        #expect(try store.admitNow(record("k1", eventId: "e-1")) == .stored(id: 1, operation: "Create"))
        #expect(try store.admitNow(record("k2", eventId: "e-1")) == .stored(id: 2, operation: "Update"))
        #expect(try store.admitNow(record("k3", eventId: "e-2")) == .stored(id: 3, operation: "Create"))
        #expect(try store.admitNow(record("k4", eventId: "e-1", operation: "Delete"))
                == .stored(id: 4, operation: "Delete"))
        #expect(try store.inboxRow(id: 2)?.operation == "Update")
        #expect(try store.inboxRows(eventId: "e-1").map(\.id) == [1, 2, 4])
    }

    @Test func infersWithinOneBatch() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        store.writer.pause()
        let results = Collector<InboxAdmission>()
        let group = DispatchGroup()
        for key in ["k1", "k2"] {
            group.enter()
            store.admit(record(key, eventId: "e-1")) { result in
                results.append(result)
                group.leave()
            }
        }
        store.writer.resume()
        group.wait()
        let operations = try results.values.map { result -> String? in
            if case let .stored(_, operation) = try result.get() { return operation }
            return nil
        }
        #expect(operations.sorted { ($0 ?? "") < ($1 ?? "") } == ["Create", "Update"])
    }

    @Test func quarantineStoresAndLists() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let id1 = try store.quarantineNow(QuarantineRecord(webhookPath: "/w", reason: "not JSON", rawBody: [0xFF, 0x00],
                                                           headersJSON: "{}", dedupeHint: "n-9"))
        let done = DispatchSemaphore(value: 0)
        let second = Collector<Int64>()
        store.quarantine(QuarantineRecord(reason: "unknown dialect", rawBody: [])) { result in
            second.append(result)
            done.signal()
        }
        done.wait()
        let id2 = try #require(try second.values.first?.get())
        let list = try store.quarantineList(limit: 10)
        #expect(list.map(\.id) == [id2, id1])
        let row = try #require(try store.quarantineRow(id: id1))
        #expect(row.rawBody == [0xFF, 0x00])
        #expect(row.reason == "not JSON")
        #expect(row.dedupeHint == "n-9")
        #expect(try store.quarantineRow(id: id2)?.rawBody == [])
        #expect(try store.counts().quarantine == 2)
    }

    @Test func listsNewestFirstWithPagingAndStateFilter() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        for index in 1...5 {
            _ = try store.admitNow(record("k\(index)", eventId: "e\(index)",
                                          state: index % 2 == 0 ? InboxState.ignored : InboxState.received))
        }
        #expect(try store.inbox(limit: 2, offset: 0, state: nil).map(\.id) == [5, 4])
        #expect(try store.inbox(limit: 2, offset: 2, state: nil).map(\.id) == [3, 2])
        #expect(try store.inbox(limit: 2, offset: 4, state: nil).map(\.id) == [1])
        #expect(try store.inbox(limit: 10, offset: 0, state: "ignored").map(\.id) == [4, 2])
        #expect(try store.unplannedInbox(limit: 2).map(\.id) == [1, 3])
        let counts = try store.counts()
        #expect(counts.inbox == ["received": 3, "ignored": 2])
        #expect(counts.deliveries.isEmpty)
    }

    @Test func durableAcrossCloseAndReopen() throws {
        let temp = TemporaryStore()
        do {
            let store = try temp.open()
            for index in 1...20 { _ = try store.admitNow(record("k\(index)")) }
            store.close()
        }
        #expect(!FileManager.default.fileExists(atPath: temp.path + "-wal"))  // checkpointed on close
        let reopened = try temp.open()
        defer { reopened.close() }
        #expect(try reopened.inbox(limit: 100).count == 20)
        #expect(try reopened.admitNow(record("k3")) == .duplicate(id: 3))
    }

    /// A crash leaves the database and its WAL on disk without a checkpoint. Copying both files while the
    /// store is still open (and never closing the copy's writer) reproduces that state.
    @Test func committedRowsSurviveACrash() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        for index in 1...10 { _ = try store.admitNow(record("k\(index)")) }
        #expect(FileManager.default.fileExists(atPath: temp.path + "-wal"))

        let crashed = TemporaryStore()
        try FileManager.default.createDirectory(atPath: (crashed.path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: temp.path, toPath: crashed.path)
        try FileManager.default.copyItem(atPath: temp.path + "-wal", toPath: crashed.path + "-wal")
        let recovered = try crashed.open()
        defer { recovered.close() }
        #expect(try recovered.inbox(limit: 100).count == 10)
    }

    @Test func closedStoreRefusesWork() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        store.close()
        store.close()
        #expect(throws: StoreError.closed) { try store.admitNow(record("k")) }
        #expect(throws: StoreError.closed) { try store.inbox(limit: 1) }
    }

    @Test func errorsHoldNoRecordContents() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        defer { store.close() }
        let secretish = "very-private-notification-body-4711"
        _ = try store.admitNow(record(secretish))
        do {
            // Bypass the duplicate check to provoke SQLite's own constraint error.
            _ = try store.writeNow { (db) throws(StoreError) in
                try db.run("INSERT INTO inbox (dedupe_key, raw_body, received_at) VALUES (?, ?, 0)",
                           [secretish, Array(secretish.utf8)])
            }
            Issue.record("expected a constraint error")
        } catch {
            guard case let .sqlite(code, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(code & 0xFF == 19)  // SQLITE_CONSTRAINT
            #expect(!error.description.contains(secretish))
            #expect(error.description.contains("inbox.dedupe_key"))
        }
    }
}

/// Collects results from completion handlers on other threads.
final class Collector<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<T, StoreError>] = []

    func append(_ result: Result<T, StoreError>) {
        lock.lock()
        stored.append(result)
        lock.unlock()
    }

    var values: [Result<T, StoreError>] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
