#if os(Linux)
import CSystem
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a detached POSIX thread that runs a closure: the event loops, the store writer and the workers.
///
/// Why: Foundation's `Thread` is not in FoundationEssentials, and linking Foundation for it costs
/// megabytes of resident memory. The thread gets the system's default attributes (the same stack size
/// `Thread` gets) and `name` as its OS thread name, cut to the 15 bytes Linux keeps (`Thread` never
/// passed its name to Linux, so `top -H` used to show every thread as `ecbridge`).
public enum DetachedThread {
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Entry(name: name, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let result = pthread_create(&thread, &attributes, { raw in
            #if canImport(Glibc)
            let entry = Unmanaged<Entry>.fromOpaque(raw!).takeRetainedValue()
            #else
            let entry = Unmanaged<Entry>.fromOpaque(raw).takeRetainedValue()
            #endif
            entry.run()
            return nil
        }, box)
        if result != 0 {
            Unmanaged<Entry>.fromOpaque(box).release()
            fatalError("cannot start thread \(name): pthread_create failed with error \(result)")
        }
    }

    /// The closure and name, carried across `pthread_create`.
    private final class Entry {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }

        func run() {
            // Linux refuses names longer than 15 bytes (ERANGE) rather than cutting them.
            let cut = name.utf8.prefix(15).map { CChar(bitPattern: $0) } + [0]
            #if os(Linux)
            _ = ecb_set_current_thread_name(cut)
            #elseif canImport(Darwin)
            _ = pthread_setname_np(cut)
            #endif
            body()
        }
    }
}
