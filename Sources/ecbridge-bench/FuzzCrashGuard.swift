import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Turns a crash or a hang of the fuzzed code into a saved reproducer and a non-zero exit, as libFuzzer
/// does: the input under test is copied into a pre-allocated buffer before every execution; a signal
/// handler (traps, segfaults, aborts) and a watchdog thread (no progress for `hangSeconds`) write that
/// buffer to a pre-opened file with async-signal-safe calls only, print where it is, and `_exit`.
enum FuzzCrashGuard {
    static let capacity = 1 << 20
    nonisolated(unsafe) private static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var length = 0
    nonisolated(unsafe) private static var fd: Int32 = -1
    nonisolated(unsafe) private static var message: [CChar] = []
    private static let executions = Atomic<Int>(0)

    /// Opens the reproducer file and installs the handlers. Call once, before fuzzing.
    static func install(reproducerPath: String, hangSeconds: Double) {
        fd = open(reproducerPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        message = Array("\nfuzz: CRASH (signal) — input saved to \(reproducerPath)\nchecks: 0 passed, 1 failed\n".utf8CString)
        let handler: @convention(c) (Int32) -> Void = { _ in
            FuzzCrashGuard.dump()
            _exit(70)
        }
        for signalNumber in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] { signal(signalNumber, handler) }
        let hangMessage = "\nfuzz: HANG (no progress for \(Int(hangSeconds)) s) — input saved to \(reproducerPath)\nchecks: 0 passed, 1 failed\n"
        Thread {
            var last = -1
            var still = 0.0
            while true {
                Thread.sleep(forTimeInterval: 0.25)
                let now = executions.load(ordering: .relaxed)
                if now == last && now >= 0 {
                    still += 0.25
                    if still >= hangSeconds {
                        message = Array(hangMessage.utf8CString)
                        dump()
                        _exit(71)
                    }
                } else {
                    still = 0
                    last = now
                }
            }
        }.start()
    }

    /// Records `input` as the one under test (bounded to `capacity` bytes).
    static func willExecute(_ input: [UInt8]) {
        let count = min(input.count, capacity)
        input.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.update(from: base, count: count) }
        }
        length = count
    }

    /// Counts one finished execution (the watchdog's sign of life).
    static func didExecute() { executions.add(1, ordering: .relaxed) }

    /// Pauses the watchdog (long deterministic phases such as corpus replay count as progress anyway).
    static func idle() { executions.store(-1, ordering: .relaxed) }

    /// Closes and removes the reproducer file after a clean run.
    static func finish(removing path: String) {
        if fd >= 0 { close(fd) }
        fd = -1
        unlink(path)
    }

    private static func dump() {
        if fd >= 0 {
            var written = 0
            while written < length {
                let n = write(fd, buffer + written, length - written)
                if n <= 0 { break }
                written += n
            }
            fsync(fd)
        }
        message.withUnsafeBufferPointer { text in
            if let base = text.baseAddress { _ = write(2, base, max(0, text.count - 1)) }
        }
    }
}
