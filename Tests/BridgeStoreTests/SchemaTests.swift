import CSQLite
import Foundation
import Testing
@testable import BridgeStore

@Suite struct SchemaTests {
    @Test func migratesFromEmptyAndReopensIdempotently() throws {
        let temp = TemporaryStore()
        let first = try temp.open()
        _ = try first.admitNow(record("a"))
        first.close()

        let second = try temp.open()
        defer { second.close() }
        #expect(try second.inbox(limit: 10).count == 1)

        let db = try Database(path: temp.path, flags: SQLITE_OPEN_READONLY, busyTimeoutMs: 1000)
        #expect(try db.pragmaInteger("user_version") == Int64(Schema.currentVersion))
        #expect(try db.pragmaInteger("application_id") == Schema.applicationID)
        let mode = try db.queryFirst("PRAGMA journal_mode") { $0.string(0) } ?? nil
        #expect(mode == "wal")
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            $0.string(0) ?? ""
        }
        #expect(tables == ["deliveries", "delivery_attempts", "inbox", "quarantine", "reports"])
    }

    @Test func version3MarksDeliveriesQueuedBehindAnUnfinishedOneAsBlocked() throws {
        let temp = TemporaryStore()
        try FileManager.default.createDirectory(atPath: (temp.path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        do {
            // A version-2 store with a target that has a finished, an open and a waiting delivery.
            let db = try Database(path: temp.path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                  busyTimeoutMs: 1000)
            try db.exec(Schema.version1 + Schema.version2)
            try db.exec("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = 2")
            try db.exec("""
                INSERT INTO inbox (id, dedupe_key, raw_body, received_at) VALUES (1, 'n1', x'', 0);
                INSERT INTO deliveries (id, inbox_id, target_key, channel, idempotency_key, sequence, request_json,
                                        state, next_attempt_at, created_at, updated_at)
                VALUES (1, 1, 'A', 'c', 'a1', 1, '{}', 'done', NULL, 0, 0),
                       (2, 1, 'A', 'c', 'a2', 2, '{}', 'pending', 0, 0, 0),
                       (3, 1, 'A', 'c', 'a3', 3, '{}', 'pending', 0, 0, 0),
                       (4, 1, 'B', 'c', 'b1', 1, '{}', 'pending', 0, 0, 0);
                """)
            db.close()
        }
        let store = try temp.open()
        defer { store.close() }
        let blocked = try store.read { (db) throws(StoreError) in
            try db.query("SELECT id FROM deliveries WHERE blocked = 1 ORDER BY id") { $0.int64(0) }
        }
        #expect(blocked == [3])
        #expect(try store.claimDueDeliveries(now: Date(unixMilliseconds: 1), limit: 10).map(\.id).sorted() == [2, 4])
    }

    @Test func refusesAStoreFromANewerVersion() throws {
        let temp = TemporaryStore()
        try temp.open().close()
        do {
            let db = try Database(path: temp.path, flags: SQLITE_OPEN_READWRITE, busyTimeoutMs: 1000)
            try db.exec("PRAGMA user_version = 99")
            db.close()
        }
        #expect(throws: StoreError.unsupportedVersion(found: 99, supported: Schema.currentVersion)) {
            try temp.open()
        }
        let message = StoreError.unsupportedVersion(found: 99, supported: 1).description
        #expect(message.contains("99") && message.contains("newer"))
    }

    @Test func refusesAForeignDatabase() throws {
        let temp = TemporaryStore()
        try FileManager.default.createDirectory(atPath: (temp.path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        do {
            let db = try Database(path: temp.path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                  busyTimeoutMs: 1000)
            try db.exec("CREATE TABLE something_else (x)")
            db.close()
        }
        #expect(throws: StoreError.self) { try temp.open() }
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let temp = TemporaryStore()
        try FileManager.default.createDirectory(atPath: (temp.path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: temp.path))
        do {
            _ = try temp.open()
            Issue.record("opened a file that is not a database")
        } catch let error as StoreError {
            guard case .corrupt = error else {
                Issue.record("expected .corrupt, got \(error)")
                return
            }
        }
    }

    @Test func sqliteErrorsCarryCodeAndMessage() throws {
        let temp = TemporaryStore()
        let store = try temp.open()
        store.close()
        let db = try Database(path: temp.path, flags: SQLITE_OPEN_READWRITE, busyTimeoutMs: 1000)
        do {
            try db.exec("SELECT * FROM no_such_table")
            Issue.record("expected an error")
        } catch {
            guard case let .sqlite(code, message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(code & 0xFF == SQLITE_ERROR)
            #expect(message.contains("no_such_table"))
        }
    }
}
