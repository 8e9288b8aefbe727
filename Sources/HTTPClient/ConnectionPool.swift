import Synchronization

/// Kept-alive connections waiting for their next request, per origin (and proxy route).
///
/// A connection is handed out to one request at a time and comes back only after a complete,
/// self-delimited response. Before reuse it is checked: too old, or readable while idle (the peer closed
/// it or sent stray bytes) means it is closed instead.
final class ConnectionPool: Sendable {
    private struct Idle {
        let stream: any ClientStream
        let since: UInt64
    }

    private struct Entries {
        var byKey: [String: [Idle]] = [:]
    }

    private let entries = Mutex(Entries())
    let maxIdlePerKey: Int
    let idleTimeoutNanoseconds: UInt64

    init(maxIdlePerKey: Int, idleTimeout: Double) {
        self.maxIdlePerKey = max(0, maxIdlePerKey)
        self.idleTimeoutNanoseconds = UInt64(max(0, idleTimeout) * 1e9)
    }

    deinit {
        for list in entries.withLock({ $0.byKey.values }) {
            for idle in list { idle.stream.close() }
        }
    }

    /// The most recently returned healthy connection for `key`, if any.
    func checkout(_ key: String) -> (any ClientStream)? {
        let now = Deadline.now()
        var expired: [any ClientStream] = []
        defer { for stream in expired { stream.close() } }
        while true {
            let candidate: Idle? = entries.withLock { $0.byKey[key]?.popLast() }
            guard let candidate else { return nil }
            if now &- candidate.since <= idleTimeoutNanoseconds, candidate.stream.isQuietWhileIdle {
                return candidate.stream
            }
            expired.append(candidate.stream)
        }
    }

    /// Keeps `stream` for later, closing the oldest idle one of the key when the key is full.
    func checkin(_ stream: any ClientStream, key: String) {
        guard maxIdlePerKey > 0 else { return stream.close() }
        let now = Deadline.now()
        let closing: [any ClientStream] = entries.withLock { entries in
            var closing: [any ClientStream] = []
            for (otherKey, list) in entries.byKey {
                let fresh = list.filter { now &- $0.since <= idleTimeoutNanoseconds }
                guard fresh.count != list.count else { continue }
                closing += list.filter { now &- $0.since > idleTimeoutNanoseconds }.map(\.stream)
                entries.byKey[otherKey] = fresh.isEmpty ? nil : fresh
            }
            var list = entries.byKey[key] ?? []
            list.append(Idle(stream: stream, since: now))
            if list.count > maxIdlePerKey { closing.append(list.removeFirst().stream) }
            entries.byKey[key] = list
            return closing
        }
        for stream in closing { stream.close() }
    }

    /// Idle connections held now (tests, diagnostics).
    var idleCount: Int { entries.withLock { $0.byKey.values.reduce(0) { $0 + $1.count } } }
}
