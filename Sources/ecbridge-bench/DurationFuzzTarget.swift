import EnergyCoordination

/// `EventDuration`: never traps; a parsed duration is non-negative and below the open-ended threshold,
/// and both printed forms parse back to the same value.
struct DurationFuzzTarget: FuzzTarget {
    let name = "duration"
    let structured = false
    let interestingBytes: [UInt8] = Array("PTHMSDWY0123456789.:-+,  ".utf8) + [0x00, 0xC3, 0xFF]
    private var accepted = 0
    private var refused = 0

    var tally: String { "\(accepted) parsed, \(refused) refused" }

    mutating func check(_ input: [UInt8], cut: Int) -> String? {
        let text = String(decoding: input, as: UTF8.self)
        guard let value = EventDuration.parse(text) else {
            refused += 1
            return nil
        }
        accepted += 1
        guard case let .seconds(seconds) = value else { return nil }
        if seconds < 0 { return "negative duration \(seconds)" }
        if seconds >= EventDuration.openEndedThresholdSeconds { return "\(seconds) s should be open-ended" }
        if EventDuration.parse(EventDuration.timeSpanText(seconds: seconds)) != value { return "timeSpanText(\(seconds)) does not parse back" }
        if EventDuration.parse(EventDuration.iso8601Text(seconds: seconds)) != value { return "iso8601Text(\(seconds)) does not parse back" }
        return nil
    }
}
