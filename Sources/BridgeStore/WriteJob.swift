/// One queued write: the operation the writer runs inside the batch transaction, and the completion it
/// calls after the batch's COMMIT (or with the batch's error when the COMMIT failed).
final class WriteJob: @unchecked Sendable {
    // Safety: `perform` and `complete` are only ever called on the writer thread, one after the other;
    // the job is handed over through the writer's lock.

    /// Runs the operation and remembers its result; returns its error, if any.
    let perform: (Database) -> StoreError?
    /// Reports the remembered result, or `override` when the whole batch failed.
    let complete: (_ override: StoreError?) -> Void

    private init(perform: @escaping (Database) -> StoreError?, complete: @escaping (StoreError?) -> Void) {
        self.perform = perform
        self.complete = complete
    }

    static func make<T: Sendable>(
        _ operation: @escaping @Sendable (Database) throws(StoreError) -> T,
        completion: @escaping @Sendable (Result<T, StoreError>) -> Void
    ) -> WriteJob {
        var outcome: Result<T, StoreError> = .failure(.closed)
        return WriteJob(
            perform: { db in
                do throws(StoreError) {
                    outcome = .success(try operation(db))
                    return nil
                } catch {
                    outcome = .failure(error)
                    return error
                }
            },
            complete: { override in
                if let override { completion(.failure(override)) } else { completion(outcome) }
            })
    }
}
