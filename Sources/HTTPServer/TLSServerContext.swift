import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// One loaded certificate and key with the listener's TLS policy (an OpenSSL `SSL_CTX`).
///
/// It exists as its own value so that a reload (SIGHUP) can build a fresh context from the files while
/// the old one keeps serving: connections hold a reference on the context they started with (OpenSSL
/// counts them), so replacing it never disturbs a live connection.
///
/// Policy: TLS 1.2 minimum; for 1.2 only ECDHE key exchange with AEAD ciphers; TLS 1.3 with OpenSSL's
/// default suites; no compression; no renegotiation; the server's cipher order; ALPN `http/1.1` only.
/// `@unchecked Sendable`: the context is configured once in `init` and only read afterwards (`SSL_new`),
/// which OpenSSL allows from any thread.
public final class TLSServerContext: @unchecked Sendable {
    /// ECDHE + AEAD suites for TLS 1.2 (Mozilla "intermediate" without DHE), strongest first.
    public static let tls12CipherList = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    public let certificatePath: String
    public let privateKeyPath: String
    let context: OpaquePointer

    /// Loads a PEM certificate chain (leaf first) and its PEM private key (unencrypted).
    public init(certificatePath: String, privateKeyPath: String) throws(TLSContextError) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw .setup(reason: Self.lastErrorReason(default: "SSL_CTX_new failed"))
        }
        self.context = context
        // From here on, `deinit` frees the context when an error is thrown.
        guard ecb_SSL_CTX_set_min_proto_version(context, ecb_TLS1_2_VERSION()) == 1 else {
            throw .setup(reason: Self.lastErrorReason(default: "cannot require TLS 1.2"))
        }
        guard SSL_CTX_set_cipher_list(context, Self.tls12CipherList) == 1 else {
            throw .setup(reason: Self.lastErrorReason(default: "no usable TLS 1.2 cipher"))
        }
        _ = SSL_CTX_set_options(context, ecb_SSL_OP_server_hardening())
        _ = ecb_SSL_CTX_set_mode(context, ecb_SSL_MODE_nonblocking_writes())
        // An encrypted key must fail, not prompt on the terminal.
        SSL_CTX_set_default_passwd_cb(context) { _, _, _, _ in 0 }
        SSL_CTX_set_alpn_select_cb(context, { _, selected, selectedLength, offered, offeredLength, _ in
            guard let selected, let selectedLength, let offered else { return ecb_SSL_TLSEXT_ERR_NOACK() }
            return TLSServerContext.selectHTTP11(offered, Int(offeredLength), selected, selectedLength)
        }, nil)

        guard access(certificatePath, R_OK) == 0 else {
            throw .certificate(path: certificatePath, reason: "file is missing or not readable")
        }
        ERR_clear_error()
        guard SSL_CTX_use_certificate_chain_file(context, certificatePath) == 1 else {
            throw .certificate(path: certificatePath,
                               reason: "not a PEM certificate chain (OpenSSL: \(Self.lastErrorReason(default: "no details")))")
        }
        guard access(privateKeyPath, R_OK) == 0 else {
            throw .privateKey(path: privateKeyPath, reason: "file is missing or not readable")
        }
        ERR_clear_error()
        guard SSL_CTX_use_PrivateKey_file(context, privateKeyPath, ecb_SSL_FILETYPE_PEM()) == 1 else {
            throw .privateKey(path: privateKeyPath, reason: "not an unencrypted PEM private key for this certificate "
                                                          + "(OpenSSL: \(Self.lastErrorReason(default: "no details")))")
        }
        ERR_clear_error()
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .privateKey(path: privateKeyPath, reason: "the key does not match the certificate")
        }
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// A new server-side session for an accepted socket, or nil when OpenSSL is out of memory.
    func makeSession(fileDescriptor: Int32) -> OpaquePointer? {
        guard let ssl = SSL_new(context) else { return nil }
        guard SSL_set_fd(ssl, fileDescriptor) == 1 else {
            SSL_free(ssl)
            return nil
        }
        SSL_set_accept_state(ssl)
        return ssl
    }

    /// ALPN: pick `http/1.1` when the client offers it; otherwise carry on without ALPN (a client that
    /// only offers h2 then fails on its side, which is the honest outcome).
    private static func selectHTTP11(_ offered: UnsafePointer<UInt8>, _ length: Int,
                                     _ selected: UnsafeMutablePointer<UnsafePointer<UInt8>?>,
                                     _ selectedLength: UnsafeMutablePointer<UInt8>) -> Int32 {
        let wanted: [UInt8] = Array("http/1.1".utf8)
        var index = 0
        while index < length {
            let nameLength = Int(offered[index])
            let start = index + 1
            guard start + nameLength <= length else { break }
            if nameLength == wanted.count,
               (0 ..< nameLength).allSatisfy({ offered[start + $0] == wanted[$0] }) {
                selected.pointee = offered + start
                selectedLength.pointee = UInt8(nameLength)
                return ecb_SSL_TLSEXT_ERR_OK()
            }
            index = start + nameLength
        }
        return ecb_SSL_TLSEXT_ERR_NOACK()
    }

    /// OpenSSL's reason text for the most recent error (e.g. "no start line"), then clears the queue.
    /// Reason strings describe the failure, never the data.
    static func lastErrorReason(default fallback: String) -> String {
        let code = ERR_peek_last_error()
        defer { ERR_clear_error() }
        guard code != 0, let text = ERR_reason_error_string(code) else { return fallback }
        return String(cString: text)
    }
}
