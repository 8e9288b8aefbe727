import Foundation
import HTTPServer
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Our `HTTPServer` over a real loopback socket: each input is written on a fresh connection, the client
/// half-closes, and the answers are read until the server closes. The server must answer exactly as its
/// own parser model says (one 200 per accepted request, in order, until a refusal or a non-keep-alive
/// request; then close), with well-formed responses, and must neither hang nor die.
///
/// Why beyond the parser target: the connection code (buffering, pipelining, early refusal, lingering,
/// closing) sits between the parser and the socket, and it is what a hostile client actually talks to.
final class ServerFuzzTarget: FuzzTarget {
    let name = "server"
    let structured = false
    let interestingBytes = HTTPParserFuzzTarget().interestingBytes
    private let server: HTTPServer
    private let target: TargetURL
    private var answered = 0
    private var refused = 0

    /// Answers 200 with the body length, so a response can be matched to its request.
    private struct EchoHandler: HTTPHandler {
        func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
            respond(HTTPResponse(status: 200, body: Array("n=\(request.body.count)".utf8)))
        }
    }

    init() throws {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let limits = HTTPParserFuzzTarget.limits
        configuration.maxHeaderBytes = limits.maxHeaderBytes
        configuration.maxHeaderCount = limits.maxHeaderCount
        configuration.maxBodyBytes = limits.maxBodyBytes
        configuration.maxChunkLineBytes = limits.maxChunkLineBytes
        configuration.requestReadTimeout = 2
        configuration.lingerTimeout = 0.2
        configuration.eventLoopCount = 1
        server = HTTPServer(configuration: configuration, handler: EchoHandler())
        let port = try server.start()
        target = TargetURL(host: "127.0.0.1", port: port, path: "/")
    }

    deinit { server.shutdown(drainTimeout: 1) }

    var tally: String { "\(answered) answered 200 at least once, \(refused) refused first" }

    func check(_ input: [UInt8], cut: Int) -> String? {
        guard let bytes = exchange(input) else { return "the server neither answered nor closed within 3 s after the client finished" }
        let statuses: [Int]
        switch Self.responses(bytes) {
        case let .success(list): statuses = list
        case let .failure(problem): return problem.description
        }
        let expected = Self.expectedStatuses(input)
        if statuses.first == 200 { answered += 1 } else if !statuses.isEmpty { refused += 1 }
        if statuses != expected { return "answered \(statuses), its parser model expects \(expected)" }
        return nil
    }

    /// What the connection should answer: a 200 per request the parser accepts, stopping after a
    /// request that does not keep the connection alive, then the refusal status if parsing failed.
    static func expectedStatuses(_ input: [UInt8]) -> [Int] {
        let (outcome, requests) = HTTPParserFuzzTarget.drive(input, pieces: [input[...]])
        var statuses: [Int] = []
        for request in requests {
            statuses.append(200)
            if !request.head.keepAlive { return statuses }
        }
        if let failure = outcome.failure { statuses.append(failure) }
        return statuses
    }

    /// Sends `input`, half-closes, reads to EOF (nil on timeout).
    private func exchange(_ input: [UInt8]) -> [UInt8]? {
        let fd = target.connectSocket(nonBlocking: false)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var limit = timeval(tv_sec: 3, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < input.count {
            let n = input.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return send(fd, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { break } // the server may close early (a refusal); read what it said
            sent += n
        }
        shutdown(fd, Int32(SHUT_WR))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: buffer[0 ..< n])
                continue
            }
            if n == 0 || errno == ECONNRESET { return received }
            return errno == EAGAIN || errno == EWOULDBLOCK ? nil : received
        }
    }

    /// The final statuses of the responses in `bytes` (interim 1xx skipped), or what is malformed.
    static func responses(_ bytes: [UInt8]) -> Result<[Int], FuzzProblem> {
        var statuses: [Int] = []
        var offset = 0
        let separator: [UInt8] = [13, 10, 13, 10]
        while offset < bytes.count {
            guard let end = find(separator, in: bytes, from: offset) else {
                return .failure(FuzzProblem("a response head without its blank line"))
            }
            let head = String(decoding: bytes[offset ..< end], as: UTF8.self)
            let lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.first ?? ""
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0] == "HTTP/1.1", parts[1].count == 3, let status = Int(parts[1]) else {
                return .failure(FuzzProblem("malformed status line \"\(statusLine.prefix(60))\""))
            }
            var length = 0
            for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
                guard let value = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else {
                    return .failure(FuzzProblem("malformed Content-Length in a response"))
                }
                length = value
            }
            offset = end + 4 + length
            guard offset <= bytes.count else { return .failure(FuzzProblem("a response body shorter than its Content-Length")) }
            if status >= 200 { statuses.append(status) }
        }
        return .success(statuses)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start ... haystack.count - needle.count where haystack[index ..< index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }
}

/// A malformed server answer, carried through `Result`.
struct FuzzProblem: Error {
    var description: String
    init(_ description: String) { self.description = description }
}
