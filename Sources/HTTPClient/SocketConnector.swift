import CSystem
#if canImport(Glibc)
import Glibc
#endif

/// Resolves a host and opens a non-blocking TCP connection to the first address that answers, within
/// the request's deadline.
///
/// Name resolution uses `getaddrinfo`, which the C library bounds by its own resolver timeouts
/// (`/etc/resolv.conf`); connection attempts are bounded by the deadline.
enum SocketConnector {
    static func connect(host: String, port: Int, deadline: Deadline) throws(HTTPClientError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            let reason = resolved == EAI_SYSTEM ? SystemError.text(ecb_errno()) : String(cString: gai_strerror(resolved))
            throw .resolution(host: host, reason: reason)
        }
        defer { freeaddrinfo(first) }
        var lastReason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            entry = current.pointee.ai_next
            let descriptor = socket(current.pointee.ai_family,
                                    current.pointee.ai_socktype | ecb_SOCK_NONBLOCK() | ecb_SOCK_CLOEXEC(),
                                    current.pointee.ai_protocol)
            guard descriptor >= 0 else {
                lastReason = SystemError.text(ecb_errno())
                continue
            }
            switch attempt(descriptor, current.pointee.ai_addr, current.pointee.ai_addrlen, deadline: deadline) {
            case .connected:
                var one: Int32 = 1
                _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return descriptor
            case .failed(let reason):
                _ = Glibc.close(descriptor)
                lastReason = reason
            case .timedOut:
                _ = Glibc.close(descriptor)
                throw .timedOut(host: host, phase: "connecting", seconds: deadline.seconds)
            }
        }
        throw .connection(host: host, reason: lastReason)
    }

    private enum Attempt {
        case connected, failed(String), timedOut
    }

    private static func attempt(_ descriptor: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
                                deadline: Deadline) -> Attempt {
        if Glibc.connect(descriptor, address, length) == 0 { return .connected }
        var error = ecb_errno()
        guard error == EINPROGRESS || error == EINTR else { return .failed(SystemError.text(error)) }
        while true {
            let milliseconds = deadline.remainingMilliseconds
            guard milliseconds > 0 else { return .timedOut }
            var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { break }
            if ready < 0, ecb_errno() != EINTR { return .failed(SystemError.text(ecb_errno())) }
        }
        var length = socklen_t(MemoryLayout<Int32>.size)
        error = 0
        guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else {
            return .failed(SystemError.text(ecb_errno()))
        }
        return error == 0 ? .connected : .failed(SystemError.text(error))
    }
}
