/// Why a webhook request was refused. For metrics and logs only: the HTTP answer is 401 for every case,
/// without saying which check failed, so a prober learns nothing.
public enum WebhookRejection: String, Sendable {
    /// The scheme's header(s) are absent or empty.
    case missingSignature
    /// A header is present but cannot be parsed or decoded (bad Base64/hex, wrong length, bad timestamp).
    case malformedSignature
    /// Well-formed, but no configured secret produces any of the presented signatures.
    case signatureMismatch
    /// The signed timestamp is older than now − tolerance.
    case staleTimestamp
    /// The signed timestamp is newer than now + tolerance.
    case futureTimestamp
}
