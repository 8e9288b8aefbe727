/// A 64-bit FNV-1a hash over UTF-8 bytes.
///
/// Why not `Hasher`: Swift seeds it per process, so it cannot derive ids that must be the same on every
/// run and platform (charging profile ids, randomised start offsets, request ids). FNV-1a is tiny,
/// well known and fully specified, which is all a stable identifier needs (it is not a security hash).
public struct StableHash: Sendable, Equatable {
    public private(set) var value: UInt64

    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    public init(seed: UInt64 = StableHash.offsetBasis) { value = seed }

    /// Adds the UTF-8 bytes of `text`, then a 0xFF separator (never part of UTF-8), so that
    /// `("ab", "c")` and `("a", "bc")` hash differently.
    public mutating func combine(_ text: String) {
        // Over the contiguous UTF-8 when the string has it (native strings do): the byte iterator costs
        // several times the hash itself, and every delivery body is hashed.
        var hash = value
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* StableHash.prime }
        }
        if hashed == nil {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* StableHash.prime }
        }
        value = hash
        add(0xFF)
    }

    public mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* StableHash.prime
    }

    /// The hash of the given parts, in order.
    public static func of(_ parts: String..., seed: UInt64 = StableHash.offsetBasis) -> UInt64 {
        of(parts, seed: seed)
    }

    public static func of(_ parts: [String], seed: UInt64 = StableHash.offsetBasis) -> UInt64 {
        var h = StableHash(seed: seed)
        for part in parts { h.combine(part) }
        return h.value
    }

    /// 16 lower-case hex digits.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16, uppercase: false)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A UUID-shaped string (version 8 "custom", RFC 9562 variant) from two independent hashes of `text`,
    /// e.g. for `X-Request-ID` headers that must be the same when a delivery is planned again.
    public static func uuid(from text: String) -> String {
        let high = of(text)
        let low = of(text, seed: 0x6c62_272e_07bb_0142)
        let versioned = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_8000
        let varianted = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let a = hex(versioned), b = hex(varianted)
        func slice(_ s: String, _ from: Int, _ count: Int) -> Substring {
            let start = s.index(s.startIndex, offsetBy: from)
            return s[start..<s.index(start, offsetBy: count)]
        }
        return "\(slice(a, 0, 8))-\(slice(a, 8, 4))-\(slice(a, 12, 4))-\(slice(b, 0, 4))-\(slice(b, 4, 12))"
    }
}
