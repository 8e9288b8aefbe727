import EnergyCoordination
import FoundationEssentials

/// A `CapSchedule` pinned to absolute time for one target: start resolved against the planner's clock,
/// randomised start applied, periods sorted and cut to the window.
///
/// Why a separate step: every channel needs the same window and periods, and every odd input (no
/// periods, negative offsets, empty or absurd windows) is rejected here once, with a reason.
public struct ResolvedSchedule: Sendable, Equatable {
    public struct Period: Sendable, Equatable {
        /// Seconds from `start`; the first is 0, then strictly increasing, all `< duration`.
        public var offset: Int
        public var cap: CapValue
    }

    /// Whole seconds.
    public var start: Date
    /// Seconds; `nil` = open-ended.
    public var duration: Int?
    public var periods: [Period]

    /// The end of the window, or `nil` when open-ended.
    public var end: Date? { duration.map { start.addingTimeInterval(Double($0)) } }

    /// When period `index` ends: the next period's start, the window end, or (open-ended, last period)
    /// `horizon` seconds after the period starts.
    public func periodEnd(_ index: Int, horizon: Int) -> Date {
        if index + 1 < periods.count { return start.addingTimeInterval(Double(periods[index + 1].offset)) }
        if let duration { return start.addingTimeInterval(Double(duration)) }
        return start.addingTimeInterval(Double(periods[index].offset + horizon))
    }

    public func periodStart(_ index: Int) -> Date { start.addingTimeInterval(Double(periods[index].offset)) }

    /// The latest time ecbridge writes (9999-12-31T23:59:59Z): later windows are rejected.
    static let latestSupported: Double = 253_402_300_799
    /// Offsets, durations and random start windows must fit OCPP's 32-bit integers.
    static let longestSeconds = Int(Int32.max)

    /// Resolves `schedule`. `randomOffset` is the already chosen offset in `[0, randomizeStart)`;
    /// `horizon` bounds open-ended windows for the range check. Throws the skip reason.
    public static func resolve(_ schedule: CapSchedule, now: Date, randomOffset: Int, horizon: Int) throws(PlanningIssue) -> ResolvedSchedule {
        guard !schedule.periods.isEmpty else { throw PlanningIssue("the cap schedule has no periods") }
        if let bad = schedule.periods.first(where: { $0.offset < 0 || $0.offset > longestSeconds }) {
            throw PlanningIssue("period offset \(bad.offset) s is outside 0…\(longestSeconds)")
        }
        if let duration = schedule.duration, duration <= 0 || duration > longestSeconds {
            throw PlanningIssue("window duration \(duration) s is outside 1…\(longestSeconds)")
        }
        if let bad = schedule.periods.first(where: { $0.cap.value < 0 || $0.cap.value.isNaN }) {
            throw PlanningIssue("negative or invalid cap \(bad.cap.value) \(bad.cap.unit.rawValue)")
        }
        // Stable sort by offset; of several periods at one offset, the last one given wins.
        var byOffset: [(offset: Int, cap: Cap)] = []
        byOffset.reserveCapacity(schedule.periods.count)
        if zip(schedule.periods, schedule.periods.dropFirst()).allSatisfy({ $0.offset < $1.offset }) {
            // Already strictly increasing (the usual case): the sort below would keep it as it is.
            for period in schedule.periods { byOffset.append((period.offset, period.cap)) }
        } else {
            for period in schedule.periods.enumerated().sorted(by: { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }).map(\.element) {
                if let last = byOffset.last, last.offset == period.offset { byOffset.removeLast() }
                byOffset.append((period.offset, period.cap))
            }
        }
        // The schedule starts at its first period (OCPP requires startPeriod 0 first).
        let shift = byOffset.first?.offset ?? 0
        let duration = schedule.duration.map { $0 - shift }
        if let d = duration, d <= 0 { throw PlanningIssue("no period starts inside the window") }
        var periods = byOffset.map { Period(offset: $0.offset - shift, cap: CapValue($0.cap)) }
        if let d = duration { periods.removeAll { $0.offset >= d } }

        let base: Double
        switch schedule.start {
        case .now: base = now.timeIntervalSince1970
        case let .at(date): base = date.timeIntervalSince1970
        }
        guard base.isFinite, base >= 0, base <= latestSupported else {
            throw PlanningIssue("window start is outside 1970…9999")
        }
        let startSeconds = base.rounded(.down) + Double(shift) + Double(randomOffset)
        let lastEnd = startSeconds + Double(duration ?? ((periods.last?.offset ?? 0) + horizon))
        guard lastEnd <= latestSupported else { throw PlanningIssue("window end is after 9999-12-31") }
        return ResolvedSchedule(start: Date(timeIntervalSince1970: startSeconds), duration: duration, periods: periods)
    }
}

/// Why a target was not planned; the text goes into `skipped[].reason`.
public struct PlanningIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
