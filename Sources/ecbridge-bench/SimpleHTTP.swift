import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One blocking request on a fresh connection (readiness probes, single signed sends): small and
/// dependency-free, with a receive timeout so a hung server cannot hang the bench.
enum SimpleHTTP {
    struct Answer {
        var status: Int
        var body: String
    }

    static func request(_ target: TargetURL, raw: [UInt8], timeout: Double = 5) -> Answer? {
        let fd = target.connectSocket(nonBlocking: false)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - floor(timeout)) * 1e6))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < raw.count {
            let n = raw.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return -1 }
                return Glibc.send(fd, base + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { return nil }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            if let response = ResponseScanner.scan(received) {
                let head = String(decoding: received[0 ..< response.length], as: UTF8.self)
                let body = head.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
                return Answer(status: response.status, body: body)
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            received.append(contentsOf: buffer[0 ..< n])
        }
    }

    static func get(_ target: TargetURL, path: String, timeout: Double = 5) -> Answer? {
        request(target, raw: Array("GET \(path) HTTP/1.1\r\nHost: \(target.authority)\r\nConnection: close\r\n\r\n".utf8),
                timeout: timeout)
    }

    /// A free loopback port (bound and released; good enough for a bench on a quiet machine).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : 18_080
    }
}
