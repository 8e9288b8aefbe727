import CSQLite
import FoundationEssentials

/// A prepared SQLite statement with typed binding and column access.
///
/// Not thread-safe: it belongs to its `Database`, which is used by one thread at a time.
final class Statement {
    let handle: OpaquePointer
    private unowned let database: Database

    init(database: Database, sql: String) throws(StoreError) {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw database.error(rc) }
        self.handle = statement
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `values` to parameters 1…n (after clearing earlier bindings).
    func bind(_ values: [any SQLValueConvertible]) throws(StoreError) {
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value.sqlValue, at: Int32(offset + 1))
        }
    }

    /// Binds `values` to parameters 1…n for the duration of `body` only, without SQLite copying text
    /// and blobs (`SQLITE_STATIC`): each value's bytes are lent while `body` runs, which is when the
    /// statement is stepped. The caller resets the statement afterwards and every later use binds
    /// again, so SQLite never reads a lent buffer after `body` returns. Saves a malloc, a copy and a
    /// free per text parameter (event JSON, request JSON, raw body: kilobytes per request).
    func withBindings<T>(_ values: [any SQLValueConvertible],
                         _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        sqlite3_clear_bindings(handle)
        let sqlValues = values.map(\.sqlValue)
        return try bindLent(sqlValues, from: 0, body)
    }

    private func bindLent<T>(_ values: [SQLValue], from index: Int,
                             _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        guard index < values.count else { return try body() }
        let position = Int32(index + 1)
        /// Binds the remaining values (and runs `body`) while the bytes just bound are still lent.
        func bindRest(after rc: Int32) -> Result<T, StoreError> {
            guard rc == SQLITE_OK else { return .failure(database.error(rc)) }
            do throws(StoreError) {
                return .success(try bindLent(values, from: index + 1, body))
            } catch {
                return .failure(error)
            }
        }
        switch values[index] {
        case var .text(text):
            let result: Result<T, StoreError> = text.withUTF8 { bytes in
                let rc: Int32
                if let base = bytes.baseAddress {
                    rc = sqlite3_bind_text(handle, position, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                           Int32(bytes.count), nil)  // nil is SQLITE_STATIC
                } else {
                    // A zero-length text must stay text, not NULL: SQLite needs a pointer (and copies it).
                    rc = sqlite3_bind_text(handle, position, "", 0, ecb_sqlite_transient())
                }
                return bindRest(after: rc)
            }
            return try result.get()
        case let .blob(blob) where !blob.isEmpty:
            let result: Result<T, StoreError> = blob.withUnsafeBytes { raw in
                bindRest(after: sqlite3_bind_blob(handle, position, raw.baseAddress, Int32(raw.count), nil))  // nil is SQLITE_STATIC
            }
            return try result.get()
        case let value:
            try bind(value, at: position)
            return try bindLent(values, from: index + 1, body)
        }
    }

    func bind(_ value: SQLValue, at index: Int32) throws(StoreError) {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case let .integer(v): rc = sqlite3_bind_int64(handle, index, v)
        case let .real(v): rc = sqlite3_bind_double(handle, index, v)
        case let .text(v): rc = sqlite3_bind_text(handle, index, v, -1, ecb_sqlite_transient())
        case let .blob(v):
            rc = v.withUnsafeBytes { raw in
                // A zero-length blob must still be a blob, not NULL: use zeroblob for the empty case.
                if raw.isEmpty { return sqlite3_bind_zeroblob(handle, index, 0) }
                return sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), ecb_sqlite_transient())
            }
        }
        guard rc == SQLITE_OK else { throw database.error(rc) }
    }

    /// Advances to the next row: `true` when a row is available, `false` when done.
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(rc)
        }
    }

    /// Makes the statement ready to run again (bindings are kept until the next `bind`).
    func reset() { sqlite3_reset(handle) }

    // MARK: Columns (0-based)

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func int(_ column: Int32) -> Int { Int(int64(column)) }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func bytes(_ column: Int32) -> [UInt8] {
        guard let blob = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: blob, count: count))
    }

    func date(_ column: Int32) -> Date? { optionalInt64(column).map(Date.init(unixMilliseconds:)) }
}
