import COpenSSL
import CSystem
#if canImport(Glibc)
import Glibc
#endif

/// TLS over a non-blocking socket, behind the same seam as `SocketTransport`, so parsing, timers and
/// the event loop stay unaware of encryption.
///
/// OpenSSL may need the opposite direction to make progress (a handshake read that must first flush
/// its own reply, a write that waits for a record). Those cases are reported through
/// `readWantsWritable`/`writeWantsReadable`, and the connection retries on the matching epoll edge.
/// Reads drain OpenSSL and the socket until OpenSSL says WANT_READ, so a short read still means "the
/// socket is empty" to the edge-triggered loop; an end-of-stream seen after some bytes is reported on
/// the next read (`hasPendingInput`).
final class TLSTransport: ConnectionTransport {
    let fileDescriptor: Int32
    private let ssl: OpaquePointer
    private var isClosed = false
    /// A fatal TLS error happened: OpenSSL forbids `SSL_shutdown` afterwards.
    private var isFailed = false
    /// After `shutdownWrite` (lingering close) incoming bytes are discarded raw, without decrypting.
    private var discardsRawBytes = false
    private var deferredEnd: TransportResult?
    private var scratch: [UInt8] = []
    private(set) var readWantsWritable = false
    private(set) var writeWantsReadable = false

    /// The largest head+body that is copied into one TLS record instead of two writes.
    private static let coalesceLimit = 16_384

    init?(fileDescriptor: Int32, context: TLSServerContext) {
        guard let ssl = context.makeSession(fileDescriptor: fileDescriptor) else { return nil }
        self.fileDescriptor = fileDescriptor
        self.ssl = ssl
    }

    deinit {
        close()
    }

    var isHandshaking: Bool { !isClosed && SSL_is_init_finished(ssl) == 0 }

    var hasPendingInput: Bool { deferredEnd != nil || (!isClosed && !discardsRawBytes && SSL_pending(ssl) > 0) }

    /// The negotiated protocol version (e.g. `TLS1_3_VERSION`), 0 before the handshake.
    var protocolVersion: Int32 { isClosed ? 0 : SSL_version(ssl) }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult {
        if isClosed { return .closed }
        if discardsRawBytes { return rawRead(into: buffer) }
        if let end = deferredEnd {
            deferredEnd = nil
            return end
        }
        readWantsWritable = false
        guard let base = buffer.baseAddress else { return .wouldBlock }
        var total = 0
        while total < buffer.count {
            ERR_clear_error()
            var count = 0
            let status = SSL_read_ex(ssl, base + total, buffer.count - total, &count)
            if status == 1 {
                total += count
                continue
            }
            switch classify(SSL_get_error(ssl, status)) {
            case .wantRead:
                return total > 0 ? .bytes(total) : .wouldBlock
            case .wantWrite:
                readWantsWritable = true
                return total > 0 ? .bytes(total) : .wouldBlock
            case .end(let result):
                guard total > 0 else { return result }
                deferredEnd = result
                return .bytes(total)
            }
        }
        return .bytes(total)
    }

    func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult {
        if isClosed || discardsRawBytes { return .closed }
        writeWantsReadable = false
        if !first.isEmpty, !second.isEmpty, first.count + second.count <= Self.coalesceLimit {
            // One record for a small response. A retry after WANT_WRITE passes the same bytes again, which
            // SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER allows even though `scratch` may have moved.
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: first)
            scratch.append(contentsOf: second)
            return scratch.withUnsafeBytes { writeAll([$0]) }
        }
        return writeAll([first, second])
    }

    private func writeAll(_ parts: [UnsafeRawBufferPointer]) -> TransportResult {
        var total = 0
        for part in parts {
            guard let base = part.baseAddress, !part.isEmpty else { continue }
            var offset = 0
            while offset < part.count {
                ERR_clear_error()
                var count = 0
                let status = SSL_write_ex(ssl, base + offset, part.count - offset, &count)
                if status == 1 {
                    offset += count
                    total += count
                    continue
                }
                switch classify(SSL_get_error(ssl, status)) {
                case .wantWrite:
                    return total > 0 ? .bytes(total) : .wouldBlock
                case .wantRead:
                    writeWantsReadable = true
                    return total > 0 ? .bytes(total) : .wouldBlock
                case .end(let result):
                    return total > 0 ? .bytes(total) : result
                }
            }
        }
        return .bytes(total)
    }

    func shutdownWrite() {
        guard !isClosed, !discardsRawBytes else { return }
        sendCloseNotify()
        discardsRawBytes = true
        _ = shutdown(fileDescriptor, Int32(SHUT_WR))
    }

    func close() {
        guard !isClosed else { return }
        if !discardsRawBytes { sendCloseNotify() }
        isClosed = true
        SSL_free(ssl)
        _ = Glibc.close(fileDescriptor)
    }

    /// Best effort, never blocking: tells the peer the stream ended on purpose (not truncated).
    private func sendCloseNotify() {
        guard !isFailed, SSL_is_init_finished(ssl) == 1 else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    // MARK: - Helpers

    private enum Outcome {
        case wantRead, wantWrite, end(TransportResult)
    }

    private func classify(_ error: Int32) -> Outcome {
        switch error {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            return .end(.closed)  // close_notify from the peer
        case SSL_ERROR_SYSCALL:
            isFailed = true
            let code = ecb_errno()
            ERR_clear_error()
            return .end(code == 0 ? .closed : .failed(code))
        default:
            // A protocol error: plain HTTP on the TLS port, a bad handshake, a version or cipher mismatch.
            isFailed = true
            ERR_clear_error()
            return .end(.failed(EPROTO))
        }
    }

    private func rawRead(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult {
        while true {
            let count = recv(fileDescriptor, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .closed }
            let error = ecb_errno()
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK { return .wouldBlock }
            return .failed(error)
        }
    }
}
