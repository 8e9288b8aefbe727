internal import COpenSSL

/// Comparison whose running time does not depend on where two byte strings differ.
///
/// Why: comparing MACs with `==` leaks, through timing, how many leading bytes of a forged signature are
/// right. Lengths are compared first (MAC lengths are public), then every byte via `CRYPTO_memcmp`.
public enum ConstantTime {
    /// `true` when `a` and `b` have the same length and the same bytes.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in
                CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0
            }
        }
    }
}
