import CSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small blocking socket client for the end-to-end tests: raw bytes out, responses parsed just enough to
/// check status, headers and body. Every read has a receive timeout, so a broken server fails a test
/// instead of hanging it.
final class TestClient {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, receiveTimeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        // Every stored property is set, so a throw runs `deinit`, which closes `fd`: closing it here too
        // would close whatever descriptor a parallel test opened in between.
        guard result == 0 else { throw Failure(description: "connect errno \(errno)") }
        setReceiveTimeout(receiveTimeout)
    }

    /// Wraps one end of a socketpair.
    init(fileDescriptor: Int32, receiveTimeout: Double = 5) {
        fd = fileDescriptor
        setReceiveTimeout(receiveTimeout)
    }

    deinit { Glibc.close(fd) }

    func setReceiveTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, ecb_MSG_NOSIGNAL()) }
            guard written > 0 else { throw Failure(description: "send errno \(errno)") }
            offset += written
        }
    }

    /// Reads more bytes; false on EOF, reset or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0 ..< count])
        return true
    }

    /// Reads one response (Content-Length framed; no body for HEAD when `head` is true).
    func readResponse(head: Bool = false) throws -> Response {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            if let range = buffer.firstRange(of: terminator) {
                end = range.upperBound
            } else if !fill() {
                throw Failure(description: "connection ended before a response head (\(buffer.count) bytes)")
            }
        }
        guard let headEnd = end else { throw Failure(description: "no head") }
        let headText = String(decoding: buffer[0 ..< headEnd - 4], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        buffer.removeFirst(headEnd)
        var response = Response(status: status, headers: headers, body: [])
        let length = head || status < 200 ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        while buffer.count < length {
            guard fill() else { throw Failure(description: "connection ended inside a body") }
        }
        response.body = Array(buffer[0 ..< length])
        buffer.removeFirst(length)
        return response
    }

    /// True when the peer closed (EOF or reset) without sending anything more before the timeout.
    func isClosedByPeer() -> Bool {
        guard buffer.isEmpty else { return false }
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, 0)
        if count == 0 { return true }
        if count < 0 { return errno == ECONNRESET }
        buffer.append(byte)
        return false
    }

    /// Convenience: one GET, one response.
    func get(_ path: String, headers: String = "") throws -> Response {
        try send("GET \(path) HTTP/1.1\r\nHost: test\r\n\(headers)\r\n")
        return try readResponse()
    }
}
