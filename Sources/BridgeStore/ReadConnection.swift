import FoundationEssentials
import Synchronization

/// The store's read-only connection. WAL lets it read a consistent snapshot while the writer commits;
/// a lock gives it to one reader at a time.
final class ReadConnection: @unchecked Sendable {
    // Safety: `database` is only touched while `lock` is held. (Not a `Mutex<Database?>`: the caller's
    // closure uses the connection, and a mutex's value may not be shared with a non-Sendable closure.)
    private let lock = Mutex(())
    private var database: Database?

    init(database: Database) {
        self.database = database
    }

    /// Runs `body` inside one read transaction (a consistent snapshot across its queries).
    func read<T>(_ body: (Database) throws(StoreError) -> T) throws(StoreError) -> T {
        var outcome: Result<T, StoreError> = .failure(.closed)
        lock.withLock { _ in
            guard let database else { return }
            outcome = Result { () throws(StoreError) in
                try database.transaction(immediate: false) { () throws(StoreError) in try body(database) }
            }
        }
        return try outcome.get()
    }

    func close() {
        lock.withLock { _ in
            database?.close()
            database = nil
        }
    }
}
