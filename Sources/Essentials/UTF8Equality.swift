#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Whether both strings have the same UTF-8 bytes: how JSON object keys compare (RFC 8259 §8.3,
    /// code unit by code unit).
    ///
    /// Why not `==`: Swift compares strings by Unicode canonical equivalence, so `"\u{212A}"` (KELVIN
    /// SIGN) equals `"K"`. A webhook body whose key only looks like a field name to us would then be read
    /// differently by every other JSON parser, which compares bytes. It costs about what `==` did
    /// (callgrind, the intake's decoding): keys of another length are refused before any byte is read.
    @inlinable
    public func hasSameUTF8(as other: String) -> Bool {
        let count = utf8.count
        guard count == other.utf8.count else { return false }
        // Native and small strings lend their bytes without a copy; only bridged strings (not on Linux)
        // take the slower element-by-element path.
        let compared: Bool?? = utf8.withContiguousStorageIfAvailable { left in
            other.utf8.withContiguousStorageIfAvailable { right in
                guard let a = left.baseAddress, let b = right.baseAddress else { return true }  // both empty
                return memcmp(a, b, count) == 0
            }
        }
        if let compared, let compared { return compared }
        return utf8.elementsEqual(other.utf8)
    }
}
