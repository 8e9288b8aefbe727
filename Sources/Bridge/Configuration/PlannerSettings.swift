import Essentials

/// How the planner shares the machine with the intake (`planner` in the configuration).
///
/// Why settings: the intake must answer webhooks (the partner is waiting), while planning can lag a little
/// and catch up. On a small machine both share one core, so the planner runs at a lower scheduling
/// priority by default and stores its plans in short transactions that never hold the writer for long.
public struct PlannerSettings: Sendable, Equatable {
    /// Unix niceness added to the planner thread (0 = same priority as the intake, 19 = lowest). Default 10.
    /// Raising niceness needs no privileges; the planner still gets the CPU whenever the intake is idle.
    public var niceness = 10
    /// Inbox rows planned and stored per transaction. Smaller batches keep the intake's commits from waiting
    /// behind a long planning write; larger ones plan a backlog with fewer transactions. Default 32.
    public var batchSize = 32

    public init() {}

    init(_ source: ConfigObject) throws(ConfigError) {
        var o = source
        niceness = try o.int("niceness", default: niceness, range: 0...19)
        batchSize = try o.int("batchSize", default: batchSize, range: 1...1_024)
        try o.finish()
    }
}
