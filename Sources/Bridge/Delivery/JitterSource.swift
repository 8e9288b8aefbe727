import Synchronization

/// Random numbers for retry jitter, from a seed when given (SplitMix64).
///
/// Why injectable: full jitter makes retry times random by design; a seeded source lets tests replay
/// exactly the same schedule, while production seeds from the system generator.
public final class JitterSource: Sendable {
    private let state: Mutex<UInt64>

    /// `seed` `nil` draws one from the system's random generator.
    public init(seed: UInt64? = nil) {
        var system = SystemRandomNumberGenerator()
        state = Mutex(seed ?? system.next())
    }

    /// A uniformly distributed number in `[0, 1)`.
    public func unit() -> Double {
        let value = state.withLock { state -> UInt64 in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return Double(value >> 11) / Double(UInt64(1) << 53)
    }
}
