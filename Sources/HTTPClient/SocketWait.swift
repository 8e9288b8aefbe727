import CSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
