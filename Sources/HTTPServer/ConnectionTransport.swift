import CSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of one non-blocking read or write.
enum TransportResult: Equatable {
    case bytes(Int)
    case wouldBlock
    case closed
    case failed(Int32)
}

/// The byte pipe under a connection. The HTTP layer only ever talks to this seam, so a TLS transport
/// (issue 6) can wrap the socket without touching parsing, timers or the event loop. Implementations are
/// used from one event-loop thread only.
protocol ConnectionTransport: AnyObject {
    /// The descriptor registered with epoll.
    var fileDescriptor: Int32 { get }
    /// Reads what is available into `buffer`.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult
    /// Writes `first` then `second` as far as possible, in one system call where the transport allows.
    func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult
    /// Sends FIN (no more writes) while still allowing reads (used for lingering close).
    func shutdownWrite()
    /// Releases the descriptor; idempotent.
    func close()
    /// True until a transport-level handshake (TLS) has completed; it counts against the read timeout.
    var isHandshaking: Bool { get }
    /// Input is buffered inside the transport (decrypted bytes, or an end of stream not yet reported),
    /// so a short read does not mean the socket is drained.
    var hasPendingInput: Bool { get }
    /// The last read stopped because the transport must write first (TLS handshake): retry on writable.
    var readWantsWritable: Bool { get }
    /// The last write stopped because the transport must read first: retry on readable.
    var writeWantsReadable: Bool { get }
}

/// Plain byte pipes have no handshake and buffer nothing.
extension ConnectionTransport {
    var isHandshaking: Bool { false }
    var hasPendingInput: Bool { false }
    var readWantsWritable: Bool { false }
    var writeWantsReadable: Bool { false }
}

/// A plain TCP (or Unix) stream socket.
final class SocketTransport: ConnectionTransport {
    let fileDescriptor: Int32
    private var isClosed = false

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult {
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

    func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> TransportResult {
        var vectors = (iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
                       iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count))
        let vectorCount: Int32 = second.isEmpty ? 1 : (first.isEmpty ? 1 : 2)
        while true {
            let written = withUnsafeMutablePointer(to: &vectors) { pointer in
                pointer.withMemoryRebound(to: iovec.self, capacity: 2) { base in
                    var header = msghdr()
                    header.msg_iov = first.isEmpty ? base + 1 : base
                    header.msg_iovlen = Int(vectorCount)
                    return sendmsg(fileDescriptor, &header, ecb_MSG_NOSIGNAL())
                }
            }
            if written >= 0 { return .bytes(written) }
            let error = ecb_errno()
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK { return .wouldBlock }
            return .failed(error)
        }
    }

    func shutdownWrite() {
        _ = shutdown(fileDescriptor, Int32(SHUT_WR))
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(fileDescriptor)
    }
}
