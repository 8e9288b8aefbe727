import CSystem
#if canImport(Glibc)
import Glibc
#endif

/// Creates the non-blocking listening sockets, one per event loop, all bound to the same address with
/// SO_REUSEPORT so the kernel spreads new connections across loops without a shared acceptor.
enum ListeningSocket {
    /// Binds and listens; returns the descriptor and the bound port (the kernel's choice when `port` is 0).
    static func open(host: String, port: Int, backlog: Int) throws -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
            throw HTTPServerError.cannotResolve(host: host, port: port)
        }
        defer { freeaddrinfo(result) }
        let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | ecb_SOCK_NONBLOCK() | ecb_SOCK_CLOEXEC(), 0)
        guard fd >= 0 else { throw HTTPServerError.system(call: "socket", errno: ecb_errno()) }
        var one: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, size) == 0,
              setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, size) == 0 else {
            let error = ecb_errno()
            close(fd)
            throw HTTPServerError.system(call: "setsockopt", errno: error)
        }
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let error = ecb_errno()
            close(fd)
            throw HTTPServerError.system(call: "bind", errno: error)
        }
        guard listen(fd, Int32(clamping: backlog)) == 0 else {
            let error = ecb_errno()
            close(fd)
            throw HTTPServerError.system(call: "listen", errno: error)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let boundPort: Int = withUnsafePointer(to: &storage) { pointer in
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET:
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            case AF_INET6:
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            default:
                port
            }
        }
        return (fd, boundPort)
    }
}
