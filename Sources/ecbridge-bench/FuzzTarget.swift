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
}
