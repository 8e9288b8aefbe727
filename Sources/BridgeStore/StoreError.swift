/// Why a store operation failed.
///
/// Callers map these to behaviour: `.overloaded` and `.closed` become HTTP 503 (the sender retries),
/// `.notFound` a CLI "no such id". Descriptions never contain record contents (bodies, headers, events),
/// only SQLite's own message, which names tables and columns but not values.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The write queue is full; nothing was stored. Try again later.
    case overloaded
    /// The store has been closed.
    case closed
    /// SQLite reported an error (extended result code and its message).
    case sqlite(code: Int32, message: String)
    /// The requested row does not exist.
    case notFound
    /// The file is not a (healthy) ecbridge store.
    case corrupt(String)
    /// The store was written by a newer ecbridge whose schema this code does not know.
    case unsupportedVersion(found: Int, supported: Int)

    public var description: String {
        switch self {
        case .overloaded: return "store overloaded: the write queue is full"
        case .closed: return "store is closed"
        case let .sqlite(code, message): return "SQLite error \(code): \(message)"
        case .notFound: return "not found"
        case let .corrupt(message): return "store is corrupt or not an ecbridge store: \(message)"
        case let .unsupportedVersion(found, supported):
            return "store schema version \(found) is newer than this ecbridge supports (\(supported)); "
                + "upgrade ecbridge or use another store path"
        }
    }

    /// Any error thrown inside the store as a `StoreError` (foreign errors should not occur).
    static func wrap(_ error: any Error) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        return .sqlite(code: -1, message: String(describing: type(of: error)))
    }
}
