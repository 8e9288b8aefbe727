internal import COpenSSL

/// HMAC-SHA256 over OpenSSL, the one MAC every webhook scheme and SNWS2 rely on.
///
/// Why a wrapper: callers work with byte collections and must never touch OpenSSL pointers; an empty key
/// or message is valid input here (OpenSSL is always given a non-null pointer).
public enum HMACSHA256 {
    /// The 32-byte output length.
    public static let byteCount = 32

    /// HMAC-SHA256(key, message).
    public static func mac<K: Collection, M: Collection>(key: K, message: M) -> [UInt8]
    where K.Element == UInt8, M.Element == UInt8 {
        let keyBytes = Array(key)
        let messageBytes = Array(message)
        return mac(keyBytes: keyBytes, messageBytes: messageBytes)
    }

    static func mac(keyBytes: [UInt8], messageBytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outLength: UInt32 = 0
        // A one-byte stand-in keeps the pointers non-null for empty input; the lengths stay 0.
        let placeholder: [UInt8] = [0]
        let key = keyBytes.isEmpty ? placeholder : keyBytes
        let message = messageBytes.isEmpty ? placeholder : messageBytes
        let result = key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                out.withUnsafeMutableBufferPointer { o in
                    HMAC(EVP_sha256(), k.baseAddress, Int32(keyBytes.count),
                         m.baseAddress, messageBytes.count, o.baseAddress, &outLength)
                }
            }
        }
        // HMAC-SHA256 cannot fail for in-memory input short of allocation failure, which Swift treats as fatal too.
        precondition(result != nil && outLength == UInt32(byteCount), "OpenSSL HMAC-SHA256 failed")
        return Array(out.prefix(byteCount))
    }
}
