internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG, for generating webhook secrets and ids.
public enum SecureRandom {
    /// Raised when OpenSSL cannot supply random bytes (e.g. the entropy source is unavailable).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String { "the system random number generator failed" }
    }

    /// `count` random bytes.
    public static func bytes(_ count: Int) throws -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "byte count out of range")
        if count == 0 { return [] }
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw Failure() }
        return out
    }
}
