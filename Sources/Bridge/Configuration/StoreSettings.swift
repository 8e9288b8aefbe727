import BridgeStore
import Essentials

/// The SQLite store file and its group-commit limits.
public struct StoreSettings: Sendable, Equatable {
    public var path = "var/ecbridge.sqlite"
    /// Most writes committed in one transaction.
    public var maxBatch = 256
    /// Queued writes before intake answers 503 (back-pressure).
    public var maxQueue = 10_000
    /// Rejected-signature bodies kept in quarantine (oldest dropped first); 0 keeps none.
    public var maxUnauthenticatedQuarantine = 1_000
    /// Seconds a worker holds a claimed delivery or report before it is offered again. After a crash,
    /// work the dead process had claimed waits this long. Keep it well above the longest batch a worker
    /// processes (`delivery.requestTimeout` × batch size), or a slow peer could get a message twice.
    /// Default 120.
    public var claimLease = 120.0
    /// SQLite page size in bytes for a new store file; an existing store keeps its own. Default 16 384.
    public var pageSize = 16_384
    /// Seconds a connection waits for a lock another process holds (a CLI command beside `serve`) before
    /// the operation fails. Default 5.
    public var busyTimeout = 5.0
    /// `"full"` (default): every acknowledged write is on disk. `"normal"`: no flush per commit, but a power
    /// loss may drop the last commits, whose events were already acknowledged (the file is never corrupted).
    public var synchronous = "full"

    public init() {}

    init(_ source: ConfigObject) throws(ConfigError) {
        var o = source
        path = try o.string("path") ?? path
        maxBatch = try o.int("maxBatch", default: maxBatch, range: 1...100_000)
        maxQueue = try o.int("maxQueue", default: maxQueue, range: 1...10_000_000)
        maxUnauthenticatedQuarantine = try o.int("maxUnauthenticatedQuarantine", default: maxUnauthenticatedQuarantine, range: 0...10_000_000)
        claimLease = try o.seconds("claimLease", default: claimLease)
        pageSize = try o.int("pageSize", default: pageSize, range: 512...65_536)
        busyTimeout = try o.seconds("busyTimeout", default: busyTimeout)
        synchronous = try o.choice("synchronous", ["full", "normal"]) ?? synchronous
        if pageSize & (pageSize - 1) != 0 {
            throw ConfigError(path: o.childPath("pageSize"), message: "must be a power of two")
        }
        if busyTimeout > 3_600 {
            throw ConfigError(path: o.childPath("busyTimeout"), message: "must be at most 3600 seconds")
        }
        if claimLease < 1 {
            throw ConfigError(path: o.childPath("claimLease"), message: "must be at least 1 second")
        }
        try o.finish()
    }
}

extension StoreSettings {
    /// The store options these settings describe (one place, so every verb opens the store alike).
    public var storeOptions: StoreOptions {
        var options = StoreOptions(path: path)
        options.maxBatch = maxBatch
        options.maxQueue = maxQueue
        options.claimLeaseSeconds = claimLease
        options.pageSize = pageSize
        options.busyTimeoutMs = Int((busyTimeout * 1_000).rounded())
        options.synchronousFull = synchronous == "full"
        return options
    }
}
