#if os(Linux)
import CSystem
#endif

/// Lowers the scheduling priority of the calling thread only.
///
/// Why per thread: on Linux each thread has its own niceness (`setpriority` with the thread id), so the
/// planner can yield to the intake without slowing the event loops or the store writer. Raising niceness
/// needs no privileges; failure only means the thread keeps its priority, so it is not an error.
enum ThreadPriority {
    static func lowerCurrentThread(by niceness: Int32) {
        #if os(Linux)
        _ = ecb_renice_current_thread(niceness)
        #endif
    }

    /// The calling thread's niceness (0 where threads have none).
    static func currentThreadNiceness() -> Int32 {
        #if os(Linux)
        return ecb_current_thread_niceness()
        #else
        return 0
        #endif
    }
}
