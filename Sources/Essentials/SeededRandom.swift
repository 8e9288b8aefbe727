/// SplitMix64: a tiny deterministic generator, so a stand-in's faults, retry jitter in tests, the bench's
/// kill timing, fuzz mutations, generated events and every property test repeat exactly for a given seed
/// (`SystemRandomNumberGenerator` cannot be seeded). One copy for the whole package.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(UInt64(1) << 53)
    }
}
