import Essentials
import Synchronization

/// Random numbers for retry jitter, from a seed when given (`SeededRandom`).
///
/// Why injectable: full jitter makes retry times random by design; a seeded source lets tests replay
/// exactly the same schedule, while production seeds from the system generator.
public final class JitterSource: Sendable {
    private let random: Mutex<SeededRandom>

    /// `seed` `nil` draws one from the system's random generator.
    public init(seed: UInt64? = nil) {
        var system = SystemRandomNumberGenerator()
        random = Mutex(SeededRandom(seed: seed ?? system.next()))
    }

    /// A uniformly distributed number in `[0, 1)`.
    public func unit() -> Double {
        random.withLock { $0.nextUnit() }
    }
}
