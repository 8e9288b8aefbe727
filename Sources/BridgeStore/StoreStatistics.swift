/// Counters of the group-commit writer, for metrics and for judging how well batching works.
public struct StoreStatistics: Sendable, Equatable {
    /// Transactions committed (each holding one or more operations).
    public var batches: Int = 0
    /// Operations that were part of a committed batch (including ones that failed alone).
    public var operations: Int = 0
    /// Operations that failed on their own (rolled back to their savepoint; the batch still committed).
    public var failedOperations: Int = 0
    /// Batches whose BEGIN or COMMIT failed (every operation in them got the error).
    public var failedBatches: Int = 0
    /// The largest number of operations in one batch so far.
    public var largestBatch: Int = 0
    /// Enqueue attempts refused with `.overloaded`.
    public var overloadRejections: Int = 0
    /// Operations waiting right now.
    public var queueDepth: Int = 0
}
