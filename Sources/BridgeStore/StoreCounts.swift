/// Row counts by state, for `/metrics` and `doctor`-style summaries.
public struct StoreCounts: Sendable, Equatable {
    /// Inbox rows by state.
    public var inbox: [String: Int]
    /// Outbox deliveries by state.
    public var deliveries: [String: Int]
    /// Reports by state.
    public var reports: [String: Int]
    /// Quarantined bodies in total.
    public var quarantine: Int

    public init(inbox: [String: Int] = [:], deliveries: [String: Int] = [:], reports: [String: Int] = [:],
                quarantine: Int = 0) {
        self.inbox = inbox
        self.deliveries = deliveries
        self.reports = reports
        self.quarantine = quarantine
    }
}
