import COpenSSL
import CSystem
#if canImport(Glibc)
import Glibc
#endif

/// TLS over a connected socket (directly, or through a proxy's `CONNECT` tunnel), with the peer's
/// certificate chain and host name verified during the handshake.
final class TLSClientStream: ClientStream, @unchecked Sendable {
    let fileDescriptor: Int32
    let host: String
    private let ssl: OpaquePointer
    private var isClosed = false
    private var isFailed = false

    /// OpenSSL writes to the socket with plain `send`, without `MSG_NOSIGNAL`: a peer that closed would
    /// kill the process with SIGPIPE (the CLI commands too, not only `serve`, which ignores it already).
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Runs the handshake; on failure the socket is closed and the reason thrown.
    init(fileDescriptor: Int32, url: ClientURL, context: TLSClientContext, deadline: Deadline) throws(HTTPClientError) {
        Self.ignoreBrokenPipes
        self.fileDescriptor = fileDescriptor
        self.host = url.host
        guard let ssl = SSL_new(context.context) else {
            _ = Glibc.close(fileDescriptor)
            throw .tls(host: url.host, reason: "SSL_new failed")
        }
        self.ssl = ssl
        // From here on `deinit` frees the session and closes the socket.
        guard SSL_set_fd(ssl, fileDescriptor) == 1 else { throw .tls(host: url.host, reason: "SSL_set_fd failed") }
        if url.isIPAddress {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url.host) == 1 else {
                throw .tls(host: url.host, reason: "cannot check the certificate against this IP address")
            }
        } else {
            guard ecb_SSL_set_tlsext_host_name(ssl, url.host) == 1, SSL_set1_host(ssl, url.host) == 1 else {
                throw .tls(host: url.host, reason: "cannot set the server name")
            }
        }
        SSL_set_connect_state(ssl)
        while true {
            ERR_clear_error()
            let status = SSL_connect(ssl)
            if status == 1 { break }
            let code = SSL_get_error(ssl, status)
            switch code {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                try SocketWait.until(fileDescriptor, readable: code == SSL_ERROR_WANT_READ, deadline: deadline,
                                     host: url.host, phase: "in the TLS handshake")
            default:
                isFailed = true
                throw .tls(host: url.host, reason: handshakeFailureReason(code))
            }
        }
    }

    deinit { close() }

    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(HTTPClientError) -> Int {
        while true {
            ERR_clear_error()
            var count = 0
            let status = SSL_read_ex(ssl, buffer.baseAddress, buffer.count, &count)
            if status == 1 { return count }
            let code = SSL_get_error(ssl, status)
            switch code {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                try SocketWait.until(fileDescriptor, readable: code == SSL_ERROR_WANT_READ, deadline: deadline,
                                     host: host, phase: "waiting for the response")
            case SSL_ERROR_ZERO_RETURN:
                return 0  // close_notify
            case SSL_ERROR_SYSCALL where ecb_errno() == 0:
                isFailed = true
                return 0  // the peer closed without close_notify; framing decides whether that truncated anything
            default:
                isFailed = true
                throw .io(host: host, reason: "TLS read failed: \(failureReason(code))")
            }
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(HTTPClientError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            var count = 0
            let status = SSL_write_ex(ssl, base + offset, bytes.count - offset, &count)
            if status == 1 {
                offset += count
                continue
            }
            let code = SSL_get_error(ssl, status)
            switch code {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                try SocketWait.until(fileDescriptor, readable: code == SSL_ERROR_WANT_READ, deadline: deadline,
                                     host: host, phase: "sending the request")
            default:
                isFailed = true
                throw .io(host: host, reason: "TLS write failed: \(failureReason(code))")
            }
        }
    }

    var isQuietWhileIdle: Bool { !isClosed && !isFailed && SSL_pending(ssl) == 0 && SocketWait.isQuiet(fileDescriptor) }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        if !isFailed, SSL_is_init_finished(ssl) == 1 {
            ERR_clear_error()
            _ = SSL_shutdown(ssl)  // best effort close_notify; the socket is non-blocking
        }
        ERR_clear_error()
        SSL_free(ssl)
        _ = Glibc.close(fileDescriptor)
    }

    private func handshakeFailureReason(_ code: Int32) -> String {
        let verification = SSL_get_verify_result(ssl)
        if verification != Int(X509_V_OK), let text = X509_verify_cert_error_string(verification) {
            ERR_clear_error()
            return "certificate verification failed: \(String(cString: text))"
        }
        return failureReason(code)
    }

    private func failureReason(_ code: Int32) -> String {
        if code == SSL_ERROR_SYSCALL {
            let error = ecb_errno()
            ERR_clear_error()
            return error == 0 ? "connection closed by the peer" : SystemError.text(error)
        }
        let error = ERR_peek_last_error()
        defer { ERR_clear_error() }
        guard error != 0, let text = ERR_reason_error_string(error) else { return "TLS error \(code)" }
        return String(cString: text)
    }
}
