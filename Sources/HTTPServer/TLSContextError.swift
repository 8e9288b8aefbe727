/// Why a TLS context could not be built. It names the file that failed and OpenSSL's one-line reason,
/// and never the file's contents, so the message can go to logs and terminals without leaking a key.
public enum TLSContextError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The certificate (chain) file is missing, unreadable or not a PEM certificate.
    case certificate(path: String, reason: String)
    /// The private key file is missing, unreadable, encrypted, not a PEM key, or does not match the certificate.
    case privateKey(path: String, reason: String)
    /// OpenSSL refused a setting (out of memory, or a library built without TLS 1.2).
    case setup(reason: String)

    public var description: String {
        switch self {
        case .certificate(let path, let reason): "cannot load the TLS certificate \(path): \(reason)"
        case .privateKey(let path, let reason): "cannot load the TLS private key \(path): \(reason)"
        case .setup(let reason): "cannot set up TLS: \(reason)"
        }
    }
}
