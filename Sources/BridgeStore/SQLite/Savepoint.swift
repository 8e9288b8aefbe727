/// A named savepoint and its three statements, built once: the texts stay at one address, which is
/// how `Database` finds their cached prepared statements without hashing the text.
struct Savepoint: Sendable {
    let open: String
    let release: String
    let rollback: String

    init(_ name: String) {
        open = "SAVEPOINT \(name)"
        release = "RELEASE \(name)"
        rollback = "ROLLBACK TO \(name)"
    }

    /// Around each job of a group commit.
    static let job = Savepoint("job")
    /// Around each row of `BridgeStore.plan(batch:)`.
    static let planRow = Savepoint("plan_row")
}
