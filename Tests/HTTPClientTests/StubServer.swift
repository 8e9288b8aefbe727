import CSystem
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback server whose every connection runs a script on its own thread, so the client's
/// socket behaviour (reuse, stale connections, timeouts, proxies) is tested against exact bytes.
final class StubServer: Sendable {
    let port: Int
    private let listener: Int32
    private let state = StubState()

    private final class StubState: Sendable {
        let accepted = Atomic<Int>(0)
        let stopped = Atomic<Bool>(false)
    }

    /// `script(connectionIndex, socket)` runs for each accepted connection; the socket is closed after it.
    init(script: @escaping @Sendable (Int, StubSocket) -> Void) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw StubError.setup }
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            _ = Glibc.close(descriptor)
            throw StubError.setup
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        let state = self.state
        Thread {
            while !state.stopped.load(ordering: .relaxed) {
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else { return }
                let index = state.accepted.add(1, ordering: .relaxed).newValue - 1
                Thread {
                    let connection = StubSocket(fd: client)
                    script(index, connection)
                    connection.close()
                }.start()
            }
        }.start()
    }

    var connectionCount: Int { state.accepted.load(ordering: .relaxed) }

    /// Closes the listener once: `deinit` calls it again, and a second `close` could hit a descriptor
    /// number that a parallel test has opened since.
    func stop() {
        guard !state.stopped.exchange(true, ordering: .relaxed) else { return }
        _ = shutdown(listener, Int32(SHUT_RDWR))
        _ = Glibc.close(listener)
    }

    deinit { stop() }
}

enum StubError: Error { case setup }

/// One accepted connection: read a request head (and its Content-Length body), write bytes.
final class StubSocket: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    init(fd: Int32) {
        self.fd = fd
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next request's head text and body, or nil when the client closed the connection.
    func readRequest() -> (head: String, body: [UInt8])? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        while buffer.firstRange(of: terminator) == nil {
            guard fill() else { return nil }
        }
        guard let end = buffer.firstRange(of: terminator)?.upperBound else { return nil }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end)
        var length = 0
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        while buffer.count < length {
            guard fill() else { return nil }
        }
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return (head, body)
    }

    /// Reads whatever arrives next (raw relaying).
    func readSome() -> [UInt8]? {
        if !buffer.isEmpty {
            defer { buffer.removeAll() }
            return buffer
        }
        return fill() ? readSome() : nil
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, ecb_MSG_NOSIGNAL()) }
            guard count > 0 else { return }
            offset += count
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        _ = Glibc.close(fd)
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }
}
