import Foundation

/// The store's read-only connection. WAL lets it read a consistent snapshot while the writer commits;
/// a lock gives it to one reader at a time.
final class ReadConnection: @unchecked Sendable {
    // Safety: `database` is only touched while `lock` is held.
    private let lock = NSLock()
    private var database: Database?

    init(database: Database) {
        self.database = database
    }

    /// Runs `body` inside one read transaction (a consistent snapshot across its queries).
    func read<T>(_ body: (Database) throws(StoreError) -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let database else { throw StoreError.closed }
        return try database.transaction(immediate: false) { () throws(StoreError) in try body(database) }
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        database?.close()
        database = nil
    }
}
