internal import COpenSSL

/// SHA-256 over OpenSSL: body hashes for SNWS2 (`Digest`, canonical request line 6) and dedupe keys.
public enum SHA256 {
    /// The 32-byte digest length.
    public static let byteCount = 32

    /// The SHA-256 digest of `bytes`.
    public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        let input = Array(bytes)
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outLength: UInt32 = 0
        let placeholder: [UInt8] = [0]
        let data = input.isEmpty ? placeholder : input
        let ok = data.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                EVP_Digest(d.baseAddress, input.count, o.baseAddress, &outLength, EVP_sha256(), nil)
            }
        }
        precondition(ok == 1 && outLength == UInt32(byteCount), "OpenSSL SHA-256 failed")
        return Array(out.prefix(byteCount))
    }

    /// Lower-case hex of the SHA-256 digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        Hex.encode(hash(bytes))
    }
}
