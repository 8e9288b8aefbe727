import Essentials
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single writer of the store: one thread owns the write connection and commits queued operations in
/// batches, so many requests share one fsync instead of paying one each.
///
/// The thread drains up to `maxBatch` queued jobs, runs them inside one `BEGIN IMMEDIATE … COMMIT` (again
/// each under its own SAVEPOINT when one of them failed, so a failing job is rolled back alone), and only
/// after the COMMIT returns calls each job's completion (on the writer thread). If BEGIN or COMMIT fails, every job in the batch gets
/// that error. The queue is bounded by `maxQueue`; a full queue refuses new work at once (`.overloaded`).
final class GroupCommitWriter: @unchecked Sendable {
    // Safety: all mutable state below is guarded by `condition`, except `connection`, which only the
    // writer thread touches once it has started (it also closes it when the queue is drained).

    private let connection: Database
    private let maxBatch: Int
    private let maxQueue: Int
    private let condition = MutexCondition()
    private var queue: [WriteJob] = []
    private var head = 0
    private var paused = false
    private var stopping = false
    private var statistics = StoreStatistics()
    private var started = false
    /// The writer thread, once it runs.
    private var writerThread: pthread_t?
    private var finished = false
    /// Wraps the delivery of each batch's completions (see `BridgeStore.setCompletionScope`).
    private var completionScope: @Sendable (() -> Void) -> Void = { $0() }

    init(connection: Database, maxBatch: Int, maxQueue: Int) {
        self.connection = connection
        self.maxBatch = max(1, maxBatch)
        self.maxQueue = max(1, maxQueue)
    }

    func start() {
        condition.lock()
        started = true
        condition.unlock()
        DetachedThread.start(name: "ecbridge-store-writer") { [self] in run() }
    }

    /// `true` on the writer thread (completions run there).
    var isWriterThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isWriterThreadLocked
    }

    /// `isWriterThread`, with `condition` held.
    private var isWriterThreadLocked: Bool {
        writerThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    /// Queues a job; returns the reason when it was refused (the job's completion is then NOT called).
    func submit(_ job: WriteJob) -> StoreError? {
        condition.lock()
        defer { condition.unlock() }
        if stopping { return .closed }
        if queue.count - head >= maxQueue {
            statistics.overloadRejections += 1
            return .overloaded
        }
        queue.append(job)
        condition.signal()
        return nil
    }

    /// Runs a job right away in its own transaction. Only for the writer thread itself (a completion that
    /// calls back into the store), where waiting for the queue would deadlock; the connection is idle then.
    func performInline(_ job: WriteJob) {
        do throws(StoreError) {
            try connection.exec("BEGIN IMMEDIATE")
        } catch {
            job.complete(error)
            return
        }
        if job.perform(connection) != nil {
            // The job reports its own failure; undo whatever it did.
            if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
            job.complete(nil)
            return
        }
        do throws(StoreError) {
            try connection.exec("COMMIT")
            job.complete(nil)
        } catch {
            if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
            job.complete(error)
        }
    }

    /// Stops accepting work, lets the thread drain the queue, and waits for it to finish (every caller
    /// waits, except the writer thread itself, which cannot wait for its own end).
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        paused = false
        condition.broadcast()
        guard started, !isWriterThreadLocked else { return }
        while !finished { condition.wait() }
    }

    /// `false` once stopping or while the queue is full: what `/readyz` reports.
    var isAcceptingWrites: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !stopping && !finished && queue.count - head < maxQueue
    }

    var currentStatistics: StoreStatistics {
        condition.lock()
        defer { condition.unlock() }
        var copy = statistics
        copy.queueDepth = queue.count - head
        return copy
    }

    func setCompletionScope(_ scope: @escaping @Sendable (() -> Void) -> Void) {
        condition.lock()
        completionScope = scope
        condition.unlock()
    }

    /// Calls `complete` for every job of a batch inside the completion scope.
    private func complete(_ batch: [WriteJob], with error: StoreError?) {
        condition.lock()
        let scope = completionScope
        condition.unlock()
        scope { for job in batch { job.complete(error) } }
    }

    /// Test hook: hold the writer between batches (queued work waits, new work still queues up to the bound).
    func pause() {
        condition.lock()
        paused = true
        condition.unlock()
    }

    func resume() {
        condition.lock()
        paused = false
        condition.broadcast()
        condition.unlock()
    }

    // MARK: The writer thread

    private func run() {
        condition.lock()
        writerThread = pthread_self()
        condition.unlock()
        while let batch = nextBatch() {
            commit(batch)
        }
        connection.close()
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for work; `nil` once stopping and the queue is drained.
    private func nextBatch() -> [WriteJob]? {
        condition.lock()
        defer { condition.unlock() }
        while (queue.count == head || paused) && !stopping {
            condition.wait()
        }
        if queue.count == head { return nil }
        let end = min(queue.count, head + maxBatch)
        let batch = Array(queue[head..<end])
        head = end
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 4096 {
            queue.removeFirst(head)
            head = 0
        }
        return batch
    }

    /// Commits `batch` in one transaction. First without savepoints: each one journals every page its
    /// job touches (the group commit's largest overhead after the writes themselves), and jobs almost
    /// never fail. If a job does fail, the transaction is rolled back and the batch runs again with one
    /// savepoint per job, so the failing job is rolled back alone (jobs are pure functions of the
    /// database, and each remembers only the result of its last run).
    private func commit(_ batch: [WriteJob]) {
        switch commitWithoutSavepoints(batch) {
        case .committed:
            record {
                $0.batches += 1
                $0.operations += batch.count
                $0.largestBatch = max($0.largestBatch, batch.count)
            }
            complete(batch, with: nil)
        case .jobFailed:
            commitIsolatingJobs(batch)
        case let .failed(error):
            record { $0.failedBatches += 1 }
            complete(batch, with: error)
        }
    }

    private enum FirstAttempt {
        case committed
        /// A job failed; nothing was committed.
        case jobFailed
        /// BEGIN or COMMIT failed; nothing was committed.
        case failed(StoreError)
    }

    private func commitWithoutSavepoints(_ batch: [WriteJob]) -> FirstAttempt {
        connection.isolatesFailures = false
        defer { connection.isolatesFailures = true }
        // Prepared once and cached (`run`), not parsed again per batch as `exec` would.
        do throws(StoreError) {
            try connection.run("BEGIN IMMEDIATE")
        } catch {
            return .failed(error)
        }
        for job in batch where job.perform(connection) != nil {
            if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
            return .jobFailed
        }
        do throws(StoreError) {
            try connection.run("COMMIT")
        } catch {
            if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
            return .failed(error)
        }
        return .committed
    }

    private func commitIsolatingJobs(_ batch: [WriteJob]) {
        var failedOperations = 0
        do throws(StoreError) {
            try connection.run("BEGIN IMMEDIATE")
            for job in batch {
                try connection.savepoint(.job)
                if job.perform(connection) != nil {
                    failedOperations += 1
                    // Some errors (disk full, I/O) make SQLite abandon the whole transaction.
                    guard !connection.isAutocommit else {
                        throw StoreError.sqlite(code: -1, message: "the batch transaction was rolled back by SQLite")
                    }
                    try connection.rollback(to: .job)
                }
                try connection.release(.job)
            }
            try connection.run("COMMIT")
        } catch {
            if !connection.isAutocommit { try? connection.exec("ROLLBACK") }
            record { $0.failedBatches += 1 }
            complete(batch, with: error)
            return
        }
        record {
            $0.batches += 1
            $0.operations += batch.count
            $0.failedOperations += failedOperations
            $0.largestBatch = max($0.largestBatch, batch.count)
        }
        complete(batch, with: nil)
    }

    private func record(_ change: (inout StoreStatistics) -> Void) {
        condition.lock()
        change(&statistics)
        condition.unlock()
    }
}
