import COpenSSL

/// The client side TLS policy (an OpenSSL `SSL_CTX`): TLS 1.2 or newer, peer certificates verified
/// against the trust store, ALPN `http/1.1`.
///
/// Trust comes from the system store (OpenSSL's default paths, which honour `SSL_CERT_FILE` and
/// `SSL_CERT_DIR`) or from one PEM file of trusted certificates. `@unchecked Sendable`: configured once
/// in `init`, then only read by `SSL_new`, which OpenSSL allows from any thread.
public final class TLSClientContext: @unchecked Sendable {
    /// Where trusted root certificates come from.
    public enum Trust: Sendable, Equatable {
        /// The system store: OpenSSL's default file and directory, or `SSL_CERT_FILE`/`SSL_CERT_DIR`.
        case system
        /// Only the certificates in this PEM file (a private CA, or a test's self-signed certificate).
        case certificateFile(String)
    }

    let context: OpaquePointer

    public init(trust: Trust) throws(HTTPClientError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .tls(host: "-", reason: "SSL_CTX_new failed")
        }
        self.context = context
        guard ecb_SSL_CTX_set_min_proto_version(context, ecb_TLS1_2_VERSION()) == 1 else {
            throw .tls(host: "-", reason: "cannot require TLS 1.2")
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        let alpn: [UInt8] = [8] + Array("http/1.1".utf8)
        _ = SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count))  // 0 = success; optional anyway
        switch trust {
        case .system:
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                throw .tls(host: "-", reason: "cannot load the system trust store")
            }
        case .certificateFile(let path):
            guard SSL_CTX_load_verify_locations(context, path, nil) == 1 else {
                ERR_clear_error()
                throw .tls(host: "-", reason: "cannot load trusted certificates from \(path)")
            }
        }
        ERR_clear_error()
    }

    deinit {
        SSL_CTX_free(context)
    }
}
