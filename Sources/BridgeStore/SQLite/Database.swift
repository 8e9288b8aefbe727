import CSQLite
import FoundationEssentials

/// One SQLite connection: open with flags, `exec`, prepared (and cached) statements, transactions.
///
/// Errors carry SQLite's extended result code and message. Not thread-safe by design: the store gives
/// each connection to exactly one owner (the writer thread, or a reader behind a lock).
final class Database {
    private(set) var handle: OpaquePointer
    private var cache: [String: Statement] = [:]
    /// The same statements found by the address of the SQL text: the store's SQL strings are constants,
    /// so their address is stable and hashing it is much cheaper than hashing the text (hundreds of
    /// bytes, several statements per request). A hit is confirmed by comparing the text.
    private var cacheByAddress: [UInt: (sql: String, statement: Statement)] = [:]
    private var isOpen = true
    /// `false` while the group-commit writer runs a batch without savepoints: an operation over many
    /// independent items (`BridgeStore.plan(batch:)`) may then fail as a whole instead of isolating each
    /// item, because the writer reruns the batch with savepoints (and this `true`) after any failure.
    var isolatesFailures = true

    /// Opens `path` with `sqlite3_open_v2` flags (e.g. `SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE`).
    init(path: String, flags: Int32, busyTimeoutMs: Int) throws(StoreError) {
        var connection: OpaquePointer?
        let rc = sqlite3_open_v2(path, &connection, flags, nil)
        guard rc == SQLITE_OK, let connection else {
            let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
                ?? String(cString: sqlite3_errstr(rc))
            if let connection { sqlite3_close_v2(connection) }
            throw Database.classify(code: rc, message: message)
        }
        handle = connection
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeoutMs))
    }

    deinit { close() }

    /// Finalises cached statements and closes the connection (idempotent).
    func close() {
        guard isOpen else { return }
        isOpen = false
        cacheByAddress.removeAll()
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// The error for result code `rc`, with the connection's current message.
    func error(_ rc: Int32) -> StoreError {
        Database.classify(code: rc, message: String(cString: sqlite3_errmsg(handle)))
    }

    static func classify(code: Int32, message: String) -> StoreError {
        switch code & 0xFF {
        case SQLITE_CORRUPT, SQLITE_NOTADB: return .corrupt(message)
        default: return .sqlite(code: code, message: message)
        }
    }

    /// Runs one or more SQL statements without parameters (DDL, pragmas, BEGIN/COMMIT).
    func exec(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw Database.classify(code: rc, message: text)
        }
    }

    /// A freshly prepared statement (the caller owns it).
    func prepare(_ sql: String) throws(StoreError) -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` with a cached prepared statement bound to `parameters`, resetting it afterwards.
    func withStatement<T>(_ sql: String, _ parameters: [any SQLValueConvertible],
                          _ body: (Statement) throws(StoreError) -> T) throws(StoreError) -> T {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        return try statement.withBindings(parameters) { () throws(StoreError) in try body(statement) }
    }

    private func cachedStatement(_ sql: String) throws(StoreError) -> Statement {
        let address = sql.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) } ?? 0
        if address != 0, let entry = cacheByAddress[address], entry.sql == sql { return entry.statement }
        let statement: Statement
        if let cached = cache[sql] {
            statement = cached
        } else {
            statement = try prepare(sql)
            cache[sql] = statement
        }
        if address != 0 {
            // A text built per call leaves a dead address behind: start over rather than grow.
            if cacheByAddress.count >= 256 { cacheByAddress.removeAll(keepingCapacity: true) }
            cacheByAddress[address] = (sql, statement)
        }
        return statement
    }

    /// Executes a statement to completion; returns the number of rows changed.
    @discardableResult
    func run(_ sql: String, _ parameters: [any SQLValueConvertible] = []) throws(StoreError) -> Int {
        try withStatement(sql, parameters) { (statement) throws(StoreError) in
            while try statement.step() {}
        }
        return Int(sqlite3_changes(handle))
    }

    /// All rows of a query, each mapped by `row`.
    func query<T>(_ sql: String, _ parameters: [any SQLValueConvertible] = [],
                  _ row: (Statement) throws(StoreError) -> T) throws(StoreError) -> [T] {
        try withStatement(sql, parameters) { (statement) throws(StoreError) in
            var rows: [T] = []
            while try statement.step() { rows.append(try row(statement)) }
            return rows
        }
    }

    /// The first row of a query, if any.
    func queryFirst<T>(_ sql: String, _ parameters: [any SQLValueConvertible] = [],
                       _ row: (Statement) throws(StoreError) -> T) throws(StoreError) -> T? {
        try withStatement(sql, parameters) { (statement) throws(StoreError) in
            try statement.step() ? try row(statement) : nil
        }
    }

    /// The rowid of the most recent successful INSERT on this connection.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// `true` when no transaction is open (SQLite rolls back by itself after some errors).
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE` for writers, deferred for readers).
    func transaction<T>(immediate: Bool = true, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let value = try body()
            try exec("COMMIT")
            return value
        } catch {
            if !isAutocommit { try? exec("ROLLBACK") }
            throw error
        }
    }

    /// Opens the savepoint `name` inside the current transaction. The statement is prepared once and
    /// cached: `exec` would parse it again on every call, and the writer opens one per job.
    func savepoint(_ name: Savepoint) throws(StoreError) {
        try run(name.open)
    }

    /// Ends the savepoint `name`, keeping its changes.
    func release(_ name: Savepoint) throws(StoreError) {
        try run(name.release)
    }

    /// Undoes every change since the savepoint `name` (which stays open until released).
    func rollback(to name: Savepoint) throws(StoreError) {
        try run(name.rollback)
    }

    /// An integer pragma's value (e.g. `user_version`).
    func pragmaInteger(_ name: String) throws(StoreError) -> Int64 {
        let statement = try prepare("PRAGMA \(name)")
        return try statement.step() ? statement.int64(0) : 0
    }
}
