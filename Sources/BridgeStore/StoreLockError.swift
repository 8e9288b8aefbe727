/// Why `StoreLock.acquire` could not make this process the store's only `serve`.
///
/// `.held` is the expected refusal (a second `serve` on the same store) and its description is the one
/// line the operator sees; `.unavailable` means the lock file itself could not be opened or locked.
public enum StoreLockError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another open file description (normally another `ecbridge serve` process) holds the lock.
    /// `ownerPid` is what the holder wrote into the lock file, when it could be read.
    case held(storePath: String, ownerPid: Int32?)
    /// The lock file could not be created, opened or locked (`reason` is the system's message).
    case unavailable(lockPath: String, reason: String)

    public var description: String {
        switch self {
        case let .held(storePath, ownerPid):
            let owner = ownerPid.map { " (pid \($0))" } ?? ""
            return "another ecbridge serve\(owner) is using the store at \(storePath)"
        case let .unavailable(lockPath, reason):
            return "cannot lock \(lockPath): \(reason)"
        }
    }
}
