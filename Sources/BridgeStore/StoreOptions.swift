import FoundationEssentials

/// Where the store lives and how its writer behaves. Every limit has a documented default.
public struct StoreOptions: Sendable, Equatable {
    /// The SQLite file; its parent directory is created when missing.
    public var path: String
    /// Most operations committed in one transaction (one fsync). Default 256.
    public var maxBatch = 256
    /// Most operations waiting for the writer; beyond it writes fail at once with `.overloaded` (HTTP 503).
    /// Default 10 000.
    public var maxQueue = 10_000
    /// How long a connection waits for a lock held by another process before failing. Default 5 000 ms.
    public var busyTimeoutMs = 5_000
    /// `PRAGMA synchronous=FULL` (every commit is on disk before it is acknowledged). `false` uses NORMAL,
    /// which in WAL mode may lose the last commits on power loss (never corrupts). Default `true`.
    public var synchronousFull = true
    /// How long `claimDueDeliveries` hands a delivery to a worker before offering it again (a worker that
    /// crashed mid-send). Default 120 s.
    public var claimLeaseSeconds: Double = 120
    /// SQLite page size in bytes for a NEW store file (a power of two, 512…65 536); an existing store keeps
    /// the size it was created with. Larger pages mean fewer WAL frames (two writes each) per commit: the
    /// intake's group commits cost about a quarter less writer time at 16 KiB than at 4 KiB. Default 16 384.
    public var pageSize = 16_384

    public init(path: String) {
        self.path = path
    }
}
