import CSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain TCP.
final class PlainClientStream: ClientStream, @unchecked Sendable {
    let fileDescriptor: Int32
    let host: String
    private var isClosed = false

    init(fileDescriptor: Int32, host: String) {
        self.fileDescriptor = fileDescriptor
        self.host = host
    }

    deinit { close() }

    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(HTTPClientError) -> Int {
        while true {
            let count = recv(fileDescriptor, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            let error = ecb_errno()
            if error == EINTR { continue }
            guard error == EAGAIN || error == EWOULDBLOCK else {
                throw .io(host: host, reason: "read failed: \(SystemError.text(error))")
            }
            try SocketWait.until(fileDescriptor, readable: true, deadline: deadline, host: host,
                                 phase: "waiting for the response")
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(HTTPClientError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let count = send(fileDescriptor, base + offset, bytes.count - offset, ecb_MSG_NOSIGNAL())
            if count > 0 {
                offset += count
                continue
            }
            let error = ecb_errno()
            if error == EINTR { continue }
            guard error == EAGAIN || error == EWOULDBLOCK else {
                throw .io(host: host, reason: "write failed: \(SystemError.text(error))")
            }
            try SocketWait.until(fileDescriptor, readable: false, deadline: deadline, host: host, phase: "sending the request")
        }
    }

    var isQuietWhileIdle: Bool { !isClosed && SocketWait.isQuiet(fileDescriptor) }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(fileDescriptor)
    }

    fileprivate func markDetached() { isClosed = true }
}

extension PlainClientStream {
    /// Hands the socket to another owner (TLS over a proxy tunnel) without closing it.
    func detach() -> Int32 {
        markDetached()
        return fileDescriptor
    }
}
