import Essentials
import FoundationEssentials
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes one `ecbridge serve` process the only one working on a store: an exclusive, non-blocking
/// advisory `flock` on a lock file next to it (`<store path>.lock`, created 0600), held until `release()`.
///
/// Why: delivery and report claims (`claimed_until`) keep two workers from sending the same row, but a
/// claim cannot tell a live process from a dead one, so after a crash the dead process's claims hold its
/// deliveries back until the lease ends. The kernel drops this lock the moment its holder dies, however
/// it dies, so a `serve` that holds it knows every claim in the store belongs to no running process and
/// may release them all at start-up (`BridgeStore.releaseAllClaims`). It also refuses a second `serve`
/// on the same store, which would deliver twice. The other CLI verbs never take it: they run next to
/// `serve` and claim nothing.
///
/// `flock`, not `fcntl`: an `fcntl` lock belongs to the process (a second lock in the same process
/// succeeds, and closing any descriptor of the file drops it), a `flock` lock to the open file
/// description, so two opens conflict even within one process — what the tests and in-process
/// runtimes rely on. The descriptor is close-on-exec, so no child process inherits the lock.
public final class StoreLock: Sendable {
    /// The lock file.
    public let path: String
    /// The store the lock protects (named in the refusal).
    public let storePath: String
    private let descriptor: Mutex<Int32?>

    private init(path: String, storePath: String, descriptor: Int32) {
        self.path = path
        self.storePath = storePath
        self.descriptor = Mutex(descriptor)
    }

    deinit { release() }

    /// The lock file belonging to the store at `storePath`.
    public static func lockPath(forStore storePath: String) -> String { storePath + ".lock" }

    /// Takes the lock for the store at `storePath`, creating the lock file (and its directory) when
    /// missing. Never waits: a lock held elsewhere fails at once with `.held`.
    public static func acquire(storePath: String) throws(StoreLockError) -> StoreLock {
        let path = lockPath(forStore: storePath)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .unavailable(lockPath: path, reason: "cannot create directory \(directory)")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { throw .unavailable(lockPath: path, reason: systemMessage(errno)) }
        var result: Int32
        repeat {
            result = flock(fd, LOCK_EX | LOCK_NB)
        } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            defer { close(fd) }
            if code == EWOULDBLOCK {
                throw .held(storePath: storePath, ownerPid: readOwner(fd))
            }
            throw .unavailable(lockPath: path, reason: systemMessage(code))
        }
        writeOwner(fd)
        return StoreLock(path: path, storePath: storePath, descriptor: fd)
    }

    /// Whether this object still holds the lock.
    public var isHeld: Bool { descriptor.withLock { $0 != nil } }

    /// Drops the lock (closing the descriptor drops it). Idempotent. The lock file stays: removing it
    /// would let a process that opened it just before lock a file no one else can find any more.
    public func release() {
        guard let fd = descriptor.withLock({ (value: inout Int32?) -> Int32? in
            defer { value = nil }
            return value
        }) else { return }
        close(fd)
    }

    /// Records the holder's pid in the file, for the refusal message and for operators (`cat`); the lock,
    /// not the content, is what counts, so failures here are ignored.
    private static func writeOwner(_ fd: Int32) {
        guard ftruncate(fd, 0) == 0 else { return }
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// The pid the holder wrote, if the file holds one (it may be empty for an instant after locking).
    private static func readOwner(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        return Int32(text.trimmingWhitespaceAndNewlines())
    }

    private static func systemMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
