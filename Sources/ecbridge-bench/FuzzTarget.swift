/// One thing the fuzz harness exercises: its seeds, the bytes worth inserting, and the invariants checked
/// on every input (`check` returns a violation, or nil).
protocol FuzzTarget {
    var name: String { get }
    /// Whether inputs are JSON (structure-aware mutations apply).
    var structured: Bool { get }
    var interestingBytes: [UInt8] { get }
    mutating func check(_ input: [UInt8], cut: Int) -> String?
    /// A short account of what the inputs did (accepted/refused…).
    var tally: String { get }
    /// Violations already reported to the owning module: text contained in the message → why it is known.
    /// They are counted and shown, not failed, so CI stays a signal for new problems.
    var knownIssues: [(pattern: String, note: String)] { get }
}

extension FuzzTarget {
    var knownIssues: [(pattern: String, note: String)] { [] }

    func knownIssue(_ problem: String) -> String? {
        knownIssues.first { problem.contains($0.pattern) }?.note
    }
}
