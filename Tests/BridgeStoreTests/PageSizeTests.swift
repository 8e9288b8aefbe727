import Testing
@testable import BridgeStore

/// `StoreOptions.pageSize` applies to a new store file only; an existing store keeps its own.
@Suite struct PageSizeTests {
    private func pageSize(_ store: BridgeStore) throws -> Int? {
        try store.read { (db) throws(StoreError) in try db.queryFirst("PRAGMA page_size") { $0.int(0) } }
    }

    @Test func newStoreUsesTheOptionAndKeepsIt() throws {
        let temporary = TemporaryStore()
        do {
            let store = try temporary.open { $0.pageSize = 8192 }
            defer { store.close() }
            #expect(try pageSize(store) == 8192)
            _ = try store.admitNow(record("k1", eventId: "e1"))
        }
        let reopened = try temporary.open { $0.pageSize = 4096 }
        defer { reopened.close() }
        #expect(try pageSize(reopened) == 8192)
        #expect(try reopened.inbox(limit: 10).count == 1)
    }

    @Test func defaultIsSixteenKiB() throws {
        let temporary = TemporaryStore()
        let store = try temporary.open()
        defer { store.close() }
        #expect(StoreOptions(path: "x").pageSize == 16_384)
        #expect(try pageSize(store) == 16_384)
    }
}
