#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with a condition variable, used like Foundation's `NSCondition`: `lock()`, then `wait()` until
/// the state it guards is right (waiting unlocks it meanwhile), `signal()` or `broadcast()` after changing
/// that state, `unlock()`.
///
/// Why: `NSCondition` is not in FoundationEssentials, and `Synchronization.Mutex` has no condition to
/// wait on. Plain pthread objects, allocated once so they never move.
public final class MutexCondition: @unchecked Sendable {
    // Safety: the pthread objects are made for use from any thread; they are only reached through these
    // methods and destroyed in deinit, when no thread can hold them any more.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deinitialize(count: 1)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }

    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Unlocks, sleeps until signalled (or spuriously: re-check the state in a loop), locks again.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes one waiter.
    public func signal() { pthread_cond_signal(condition) }

    /// Wakes every waiter.
    public func broadcast() { pthread_cond_broadcast(condition) }
}
