import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An `http://host:port/path` the load generator talks to. Only loopback-style numeric addresses and
/// `localhost` are resolved: the bench is meant for this machine, never for remote hosts.
struct TargetURL: Sendable {
    var host: String
    var port: Int
    var path: String

    init(_ text: String) throws {
        guard let components = URLComponents(string: text), components.scheme == "http",
              let host = components.host, !host.isEmpty else {
            throw BenchError("expected an http:// URL, got \(text)")
        }
        self.host = host == "localhost" ? "127.0.0.1" : host
        port = components.port ?? 80
        let rawPath = components.percentEncodedPath
        path = (rawPath.isEmpty ? "/" : rawPath) + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        guard self.host.hasPrefix("127.") || self.host == "::1" else {
            throw BenchError("the bench only targets loopback addresses (127.0.0.0/8, ::1, localhost), got \(host)")
        }
    }

    init(host: String, port: Int, path: String) {
        self.host = host
        self.port = port
        self.path = path
    }

    /// `host:port` as the Host header wants it.
    var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// A blocking-or-not TCP connection (TCP_NODELAY set); returns the descriptor or -1 with errno set.
    func connectSocket(nonBlocking: Bool) -> Int32 {
        let isV6 = host.contains(":")
        let fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        let result: Int32
        if isV6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            _ = inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                close(fd)
                errno = EINVAL
                return -1
            }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        if result != 0 && !(nonBlocking && errno == EINPROGRESS) {
            let saved = errno
            close(fd)
            errno = saved
            return -1
        }
        return fd
    }
}
