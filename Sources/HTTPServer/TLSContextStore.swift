import Synchronization

/// The TLS context new connections start with, replaceable while the server runs (certificate reload).
/// Each event loop reads it once per accepted connection; connections keep the context they began with.
final class TLSContextStore: Sendable {
    private let current: Mutex<TLSServerContext>

    init(_ context: TLSServerContext) {
        current = Mutex(context)
    }

    var context: TLSServerContext { current.withLock { $0 } }

    func replace(with context: TLSServerContext) {
        current.withLock { $0 = context }
    }
}
