internal import COpenSSL

extension HMACSHA256 {
    /// An HMAC-SHA256 key whose key schedule (algorithm fetch, inner and outer pads) is done once.
    ///
    /// Why: the one-shot `HMAC()` of OpenSSL 3 looks the algorithm up by name and derives both pads on
    /// every call, which cost about as much as hashing a 1 KB webhook body twice over. A verifier keeps one
    /// `Key` per configured secret and copies its keyed context per message. The context is only ever read
    /// after `init`, so one `Key` may be used from several threads at once. Never printable: no key bytes
    /// are kept on the Swift side unless OpenSSL refused to build the template.
    public final class Key: @unchecked Sendable, CustomStringConvertible {
        /// The keyed template; `nil` when OpenSSL could not build one, then `mac` falls back to `HMAC()`.
        private let keyed: OpaquePointer?
        /// Only for the fallback path.
        private let fallbackKey: [UInt8]

        public init<K: Collection>(_ key: K) where K.Element == UInt8 {
            let bytes = Array(key)
            // A one-byte stand-in keeps the pointer non-null for an empty key; the length stays 0.
            let pointerSafe = bytes.isEmpty ? [0] : bytes
            let context = pointerSafe.withUnsafeBufferPointer { ecb_hmac_sha256_keyed($0.baseAddress, bytes.count) }
            keyed = context
            fallbackKey = context == nil ? bytes : []
        }

        deinit {
            if let keyed { EVP_MAC_CTX_free(keyed) }
        }

        public var description: String { "HMACSHA256.Key(redacted)" }

        /// HMAC-SHA256(key, message), identical to `HMACSHA256.mac(key:message:)`.
        public func mac(_ message: [UInt8]) -> [UInt8] {
            guard let keyed else { return HMACSHA256.mac(keyBytes: fallbackKey, messageBytes: message) }
            var out = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
            let placeholder: [UInt8] = [0]
            let ok = (message.isEmpty ? placeholder : message).withUnsafeBufferPointer { m in
                out.withUnsafeMutableBufferPointer { o in
                    ecb_hmac_sha256_with(keyed, m.baseAddress, message.count, o.baseAddress)
                }
            }
            // Only an allocation failure inside OpenSSL can fail here, which Swift treats as fatal too.
            precondition(ok == 1, "OpenSSL HMAC-SHA256 failed")
            return out
        }
    }
}
