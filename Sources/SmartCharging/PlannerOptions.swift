/// Planner settings that are not per target; every default is documented in the README.
public struct PlannerOptions: Sendable, Equatable {
    /// How long an open-ended cap is written for on channels that need an end time (OSCP blocks,
    /// GreenFlux scenarios): the last period ends this many seconds after it starts. Default 24 h.
    public var openEndedHorizonSeconds: Int
    /// Charging profile ids are `profileIdBase + hash(event id, target key) mod profileIdRange`.
    /// Defaults 100 000 and 900 000 000 (ids 100000…900099999, clear of small hand-made ids and of Int32.max).
    public var profileIdBase: Int
    public var profileIdRange: Int
    /// Most periods / blocks / scenario entries in one message; more → the target is skipped with a reason.
    /// Default 1024 (OCPP 2.0.1's schema limit; chargers may allow fewer: `ChargingScheduleMaxPeriods`).
    public var maxPeriods: Int

    public init(openEndedHorizonSeconds: Int = 86_400, profileIdBase: Int = 100_000,
                profileIdRange: Int = 900_000_000, maxPeriods: Int = 1024) {
        self.openEndedHorizonSeconds = openEndedHorizonSeconds
        self.profileIdBase = profileIdBase
        self.profileIdRange = profileIdRange
        self.maxPeriods = maxPeriods
    }
}
