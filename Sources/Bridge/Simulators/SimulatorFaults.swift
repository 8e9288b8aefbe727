/// The failures a stand-in can inject, so retry, back-off, idempotency and "response lost" handling are
/// exercised against a local peer deterministically (a fixed seed gives the same faults in the same order).
public struct SimulatorFaults: Sendable, Equatable {
    /// Fraction of requests answered 503 (0 … 1). Default 0.
    public var failRate: Double
    /// Seed of the fault random generator. Default 1.
    public var seed: UInt64
    /// Every Nth request is answered 429 with `Retry-After: 1` (0 = never). Default 0.
    public var rateLimitEvery: Int
    /// Delay before every response, in milliseconds. Default 0.
    public var slowMilliseconds: Int
    /// Fraction of requests that are processed (an instruction is recorded) but whose response is lost:
    /// the connection is closed without a byte. Default 0.
    public var dropRate: Double
    /// Refuse every request as unauthenticated (403). Default false.
    public var rejectSignature: Bool
    /// SolarNetwork only: every OCPP instruction is `Declined` at queue time. Default false.
    public var declined: Bool

    public init(failRate: Double = 0, seed: UInt64 = 1, rateLimitEvery: Int = 0, slowMilliseconds: Int = 0,
                dropRate: Double = 0, rejectSignature: Bool = false, declined: Bool = false) {
        self.failRate = failRate
        self.seed = seed
        self.rateLimitEvery = rateLimitEvery
        self.slowMilliseconds = slowMilliseconds
        self.dropRate = dropRate
        self.rejectSignature = rejectSignature
        self.declined = declined
    }

    public static let none = SimulatorFaults()
}
