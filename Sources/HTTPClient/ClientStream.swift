import CSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected byte stream with blocking semantics bounded by a deadline: plain TCP or TLS over it.
///
/// Why blocking: outbound calls run on delivery, report and CLI threads that have nothing else to do
/// while they wait; the sockets are non-blocking underneath so every wait goes through `poll` with the
/// request's deadline. `Sendable` because the pool hands a connection from one request's thread to the
/// next; one request uses it at a time (the implementations are `@unchecked` for that reason).
protocol ClientStream: AnyObject, Sendable {
    var fileDescriptor: Int32 { get }
    /// Bytes read (≥ 1), or 0 when the peer ended the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws(HTTPClientError) -> Int
    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws(HTTPClientError)
    /// Nothing is buffered or readable: the peer has neither closed the idle connection nor sent stray bytes.
    var isQuietWhileIdle: Bool { get }
    func close()
}

extension ClientStream {
    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8], deadline: Deadline) throws(HTTPClientError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(HTTPClientError) in try write(raw, deadline: deadline) }
        }
        try result.get()
    }
}

/// Waits on one descriptor with `poll`, bounded by the deadline.
enum SocketWait {
    static func until(_ fileDescriptor: Int32, readable: Bool, deadline: Deadline, host: String,
                      phase: String) throws(HTTPClientError) {
        while true {
            let milliseconds = deadline.remainingMilliseconds
            guard milliseconds > 0 else { throw .timedOut(host: host, phase: phase, seconds: deadline.seconds) }
            var entry = pollfd(fd: fileDescriptor, events: Int16(readable ? POLLIN : POLLOUT), revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0, ecb_errno() != EINTR {
                throw .io(host: host, reason: "poll failed: \(SystemError.text(ecb_errno()))")
            }
        }
    }

    /// True when nothing is readable right now (no bytes, no end of stream, no error).
    static func isQuiet(_ fileDescriptor: Int32) -> Bool {
        var entry = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 0
    }
}

/// `strerror` text for error messages.
enum SystemError {
    static func text(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

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
