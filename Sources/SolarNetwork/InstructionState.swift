/// The state of a SolarNetwork node instruction (`InstructionStatus.InstructionState`).
///
/// Why it matters: `/instr/add` answering `success:true` only means *stored*; the tracker polls until a
/// final state. Only `Completed` and `Declined` are final (the server's own wait loop uses the same test).
/// An OSCP instruction seen in `Queued` was never delivered (the queue hook only claims `Queuing`).
public enum InstructionState: String, Sendable, CaseIterable, Equatable {
    case unknown = "Unknown"
    case queued = "Queued"
    case queuing = "Queuing"
    case received = "Received"
    case executing = "Executing"
    case declined = "Declined"
    case completed = "Completed"

    /// The state for a wire value; anything unrecognised is `.unknown` (as the server's own parser does).
    public init(parsing text: String) {
        self = InstructionState(rawValue: text) ?? .unknown
    }

    /// `true` for `Completed` and `Declined`.
    public var isFinal: Bool {
        self == .completed || self == .declined
    }
}
