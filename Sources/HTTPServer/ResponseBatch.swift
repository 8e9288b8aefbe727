#if canImport(Glibc)
import Glibc
#endif

/// Lets a thread that answers many requests in a row (the store's writer, completing a committed batch)
/// wake each event loop once at the end instead of once per answer.
///
/// Why: on a busy core, each wake-up let the event loop preempt the answering thread after a single
/// response, so a batch of 60 answers cost up to 60 context switches and eventfd writes each way.
/// Inside `deliver(_:)`, answers are queued to their loops as usual but the loops are only woken when
/// the outermost call returns. Nested calls share the outermost batch.
public enum ResponseBatch {
    /// Runs `body`, deferring the event-loop wake-ups its answers (on this thread) cause until it returns.
    public static func deliver<T>(_ body: () throws -> T) rethrows -> T {
        if PendingWakeups.current != nil { return try body() }
        let pending = PendingWakeups()
        PendingWakeups.current = pending
        defer {
            PendingWakeups.current = nil
            for loop in pending.loops { loop.wake() }
        }
        return try body()
    }
}

/// The loops to wake when the current thread's `ResponseBatch.deliver` returns.
final class PendingWakeups {
    var loops: [EventLoop] = []

    func add(_ loop: EventLoop) {
        if !loops.contains(where: { $0 === loop }) { loops.append(loop) }
    }

    /// The current thread's batch, if it is inside `ResponseBatch.deliver` (a pthread key: no Foundation
    /// thread dictionary on this path).
    static var current: PendingWakeups? {
        get {
            guard let raw = pthread_getspecific(key) else { return nil }
            return Unmanaged<PendingWakeups>.fromOpaque(raw).takeUnretainedValue()
        }
        set {
            if let old = pthread_getspecific(key) { Unmanaged<PendingWakeups>.fromOpaque(old).release() }
            pthread_setspecific(key, newValue.map { Unmanaged.passRetained($0).toOpaque() })
        }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}
