import CSQLite
import Dispatch
import FoundationEssentials
import Synchronization

/// ecbridge's durable state in one SQLite file: the inbox of accepted notifications, quarantined bodies,
/// the outbox of downstream deliveries with their attempts, and the reports back to Energy Coordination.
///
/// Writes go through one group-commit writer thread (many requests share one fsync, see
/// `GroupCommitWriter`); reads use a separate connection that WAL lets run alongside. Every state change
/// is one transaction, so a crash at any point resumes where it stopped.
public final class BridgeStore: Sendable {
    let options: StoreOptions
    let writer: GroupCommitWriter
    let reader: ReadConnection

    private init(options: StoreOptions, writer: GroupCommitWriter, reader: ReadConnection) {
        self.options = options
        self.writer = writer
        self.reader = reader
    }

    deinit { close() }

    /// Opens (creating if needed) the store at `options.path`, migrating its schema to the current version.
    ///
    /// Refuses a store written by a newer ecbridge (`.unsupportedVersion`) and a file that is not an
    /// ecbridge store (`.corrupt`).
    public static func open(_ options: StoreOptions) throws(StoreError) -> BridgeStore {
        let directory = URL(fileURLWithPath: options.path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.sqlite(code: SQLITE_CANTOPEN, message: "cannot create directory \(directory)")
        }
        let write = try Database(path: options.path,
                                 flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 busyTimeoutMs: options.busyTimeoutMs)
        // Only takes effect while the file is still empty (before WAL mode and the schema are written).
        try write.exec("PRAGMA page_size = \(options.pageSize)")
        let mode = try write.queryFirst("PRAGMA journal_mode = WAL") { $0.string(0) } ?? nil
        guard mode?.lowercased() == "wal" else {
            throw StoreError.sqlite(code: SQLITE_CANTOPEN, message: "cannot switch the store to WAL mode")
        }
        try write.exec("PRAGMA synchronous = \(options.synchronousFull ? "FULL" : "NORMAL")")
        try write.exec("PRAGMA foreign_keys = ON")
        // Savepoints (one per job of a group commit) journal the pages they touch; past 64 KiB that
        // journal spills to a temporary file. In memory it never touches the disk (it only lives
        // until the batch commits; durability comes from the WAL, not from it).
        try write.exec("PRAGMA temp_store = MEMORY")
        try Schema.migrate(write)

        let read = try Database(path: options.path, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                busyTimeoutMs: options.busyTimeoutMs)
        try read.exec("PRAGMA query_only = ON")

        let writer = GroupCommitWriter(connection: write, maxBatch: options.maxBatch, maxQueue: options.maxQueue)
        writer.start()
        return BridgeStore(options: options, writer: writer, reader: ReadConnection(database: read))
    }

    /// Stops accepting writes, commits everything already queued, and closes the connections.
    /// Idempotent; later calls fail with `.closed`.
    ///
    /// The read connection closes first so that the writer's connection is the last one: closing it
    /// checkpoints the WAL into the database file and removes the WAL.
    public func close() {
        reader.close()
        writer.stop()
    }

    /// Whether a write queued now would be accepted (not closed, queue not full).
    public var isWritable: Bool { writer.isAcceptingWrites }

    /// Writer counters (batches, operations, queue depth…).
    public var statistics: StoreStatistics { writer.currentStatistics }

    /// Wraps the delivery of each committed batch's completions, on the writer thread: `scope` must call
    /// its argument exactly once. The intake uses it to answer a whole batch of webhooks before waking
    /// the event loops (`HTTPServer.ResponseBatch`). Default: no wrapping.
    public func setCompletionScope(_ scope: @escaping @Sendable (() -> Void) -> Void) {
        writer.setCompletionScope(scope)
    }

    // MARK: Writing through the group-commit writer

    /// Queues `operation`; `completion` runs on the writer thread after the batch commits. Refusals
    /// (`.overloaded`, `.closed`) are reported at once, on the calling thread.
    func write<T: Sendable>(_ operation: @escaping @Sendable (Database) throws(StoreError) -> T,
                            completion: @escaping @Sendable (Result<T, StoreError>) -> Void) {
        let job = WriteJob.make(operation, completion: completion)
        if writer.isWriterThread {
            writer.performInline(job)
        } else if let refusal = writer.submit(job) {
            completion(.failure(refusal))
        }
    }

    /// Like `write`, but waits for the commit and returns the result.
    func writeNow<T: Sendable>(_ operation: @escaping @Sendable (Database) throws(StoreError) -> T)
        throws(StoreError) -> T
    {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        write(operation) { result in
            box.set(result)
            done.signal()
        }
        done.wait()
        return try box.get()
    }

    /// Runs a read on the read connection.
    func read<T>(_ body: (Database) throws(StoreError) -> T) throws(StoreError) -> T {
        try reader.read(body)
    }
}

/// Carries a result from the writer thread to a waiting caller.
final class ResultBox<T: Sendable>: Sendable {
    // Written once before the semaphore is signalled, read after it was waited for; the mutex makes that
    // explicit.
    private let result = Mutex<Result<T, StoreError>>(.failure(.closed))

    func set(_ value: Result<T, StoreError>) {
        result.withLock { $0 = value }
    }

    func get() throws(StoreError) -> T {
        try result.withLock { $0 }.get()
    }
}
