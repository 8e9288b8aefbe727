import Essentials

/// Where a `ResponseReader` gets its bytes: a connection in the client, canned chunks in tests.
protocol ResponseByteSource {
    /// Reads what is available into `buffer`, waiting if nothing is; 0 means the peer ended the stream.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPClientError) -> Int
}

/// Parses one HTTP/1.x response from a byte stream: status line, header fields, and the body framed by
/// `Content-Length`, chunked transfer coding or the end of the stream (RFC 9112 §6.3).
///
/// Why a value with no socket: every framing rule (interim 1xx answers, conflicting lengths, chunk
/// extensions, trailers, limits) is tested on bytes split at arbitrary points, like the server's parser.
struct ResponseReader {
    struct Head: Equatable {
        var minorVersion: Int
        var status: Int
        var headers: [(name: String, value: String)]

        static func == (left: Head, right: Head) -> Bool {
            left.minorVersion == right.minorVersion && left.status == right.status
                && left.headers.map(\.name) == right.headers.map(\.name)
                && left.headers.map(\.value) == right.headers.map(\.value)
        }

        func values(_ name: String) -> [String] {
            headers.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
        }

        /// The comma-separated tokens of every `name` field, lowercased.
        func tokens(_ name: String) -> [String] {
            values(name).flatMap { $0.split(separator: ",") }
                .map { String($0).trimmingOWS().lowercased() }
                .filter { !$0.isEmpty }
        }
    }

    struct Outcome {
        var response: HTTPClientResponse
        /// The connection may carry another request: HTTP/1.1, no `Connection: close`, a self-delimited
        /// body read to its end and nothing unexpected after it.
        var keepAlive: Bool
    }

    private enum Framing {
        case empty, length(Int), chunked, untilClose
    }

    let host: String
    let limits: HTTPClientLimits
    private var buffer: [UInt8] = []
    private var position = 0
    /// Where each read lands before its bytes are appended to `buffer`.
    private var scratch: [UInt8] = []
    /// Any byte of an answer arrived (a failure before that may be a stale pooled connection).
    private(set) var receivedAny = false

    init(host: String, limits: HTTPClientLimits) {
        self.host = host
        self.limits = limits
    }

    /// Reads one complete response to a request made with `method`, skipping interim 1xx answers.
    mutating func readResponse<Source: ResponseByteSource>(from source: inout Source, method: String) throws(HTTPClientError) -> Outcome {
        var head = try readHead(from: &source)
        while (100 ..< 200).contains(head.status) {
            guard head.status != 101 else { throw malformed("unexpected 101 Switching Protocols") }
            head = try readHead(from: &source)
        }
        let framing = try framing(of: head, method: method)
        var body: [UInt8] = []
        var keepAlive = head.minorVersion >= 1 && !head.tokens("Connection").contains("close")
        switch framing {
        case .empty:
            break
        case .length(let length):
            body = try readExactly(length, from: &source)
        case .chunked:
            body = try readChunked(from: &source)
        case .untilClose:
            keepAlive = false
            body = try readUntilClose(from: &source)
        }
        if position < buffer.count { keepAlive = false }  // bytes nobody asked for: do not trust the stream
        return Outcome(response: HTTPClientResponse(status: head.status, headers: head.headers, body: body),
                       keepAlive: keepAlive)
    }

    /// Reads one response head (status line and fields), e.g. a proxy's answer to `CONNECT`.
    mutating func readHead<Source: ResponseByteSource>(from source: inout Source) throws(HTTPClientError) -> Head {
        var scanned = 0  // relative to `position`: `fill` may move the buffer
        while true {
            if let (end, next) = headEnd(from: position + scanned) {
                let head = try parseHead(buffer[position ..< end])
                position = next
                return head
            }
            guard buffer.count - position <= limits.maxHeadBytes else {
                throw .responseTooLarge(host: host, what: "head", limit: limits.maxHeadBytes)
            }
            scanned = max(0, buffer.count - position - 3)
            guard try fill(from: &source) else {
                throw receivedAny && buffer.count > position
                    ? .io(host: host, reason: "connection closed inside the response head")
                    : .io(host: host, reason: "connection closed before any response")
            }
        }
    }

    // MARK: - Head

    /// The end of the head's last field line and the index after the empty line, if a blank line is buffered.
    private func headEnd(from start: Int) -> (Int, Int)? {
        var index = start
        while index < buffer.count {
            if buffer[index] == 0x0A {
                if index + 1 < buffer.count, buffer[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < buffer.count, buffer[index + 1] == 0x0D, buffer[index + 2] == 0x0A { return (index, index + 3) }
            }
            index += 1
        }
        return nil
    }

    private func parseHead(_ bytes: ArraySlice<UInt8>) throws(HTTPClientError) -> Head {
        guard bytes.count <= limits.maxHeadBytes else {
            throw .responseTooLarge(host: host, what: "head", limit: limits.maxHeadBytes)
        }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
        // Tolerate empty lines before the status line (RFC 9112 §2.2 allows a recipient to skip them).
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        guard !lines.isEmpty else { throw malformed("empty head") }
        let (minor, status) = try parseStatusLine(lines.removeFirst())
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard !line.isEmpty else { continue }
            if line.first == 0x20 || line.first == 0x09 {
                // obs-fold: a user agent replaces it with a space (RFC 9112 §5.2).
                guard let last = headers.popLast() else { throw malformed("continuation line before any field") }
                let more = try fieldValue(line)
                headers.append((last.name, more.isEmpty ? last.value : last.value + " " + more))
                continue
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw malformed("field line without a colon") }
            let name = line[line.startIndex ..< colon]
            guard !name.isEmpty, name.allSatisfy(HTTPToken.isTokenByte) else { throw malformed("invalid field name") }
            headers.append((String(decoding: name, as: UTF8.self), try fieldValue(line[(colon + 1)...])))
            guard headers.count <= limits.maxHeaderCount else {
                throw .responseTooLarge(host: host, what: "header field count", limit: limits.maxHeaderCount)
            }
        }
        return Head(minorVersion: minor, status: status, headers: headers)
    }

    private func parseStatusLine(_ line: ArraySlice<UInt8>) throws(HTTPClientError) -> (Int, Int) {
        let bytes = Array(line)
        let prefix = Array("HTTP/1.".utf8)
        guard bytes.count >= 12, bytes[0 ..< 7].elementsEqual(prefix), bytes[7] == 0x30 || bytes[7] == 0x31,
              bytes[8] == 0x20, bytes[9 ..< 12].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              bytes.count == 12 || bytes[12] == 0x20
        else { throw malformed("invalid status line") }
        let status = bytes[9 ..< 12].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard status >= 100 else { throw malformed("invalid status code") }
        return (Int(bytes[7] - 0x30), status)
    }

    private func fieldValue(_ bytes: ArraySlice<UInt8>) throws(HTTPClientError) -> String {
        guard !bytes.contains(0), !bytes.contains(0x0D) else { throw malformed("NUL or bare CR in a field value") }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return String(decoding: bytes[start ..< end], as: UTF8.self)
    }

    // MARK: - Body

    private func framing(of head: Head, method: String) throws(HTTPClientError) -> Framing {
        if method == "HEAD" || head.status == 204 || head.status == 304 { return .empty }
        if method == "CONNECT", (200 ..< 300).contains(head.status) { return .empty }
        let codings = head.tokens("Transfer-Encoding")
        if !codings.isEmpty {
            // A length next to a transfer coding is ignored (RFC 9112 §6.3 rule 3); only a final
            // `chunked` delimits the body, anything else runs to the end of the stream.
            return codings.last == "chunked" ? .chunked : .untilClose
        }
        let lengths = head.values("Content-Length").flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { String($0).trimmingOWS() }
        guard let first = lengths.first else { return .untilClose }
        guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 18,
              first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(first)
        else { throw malformed("invalid or conflicting Content-Length") }
        guard length <= limits.maxBodyBytes else {
            throw .responseTooLarge(host: host, what: "body", limit: limits.maxBodyBytes)
        }
        return .length(length)
    }

    private mutating func readExactly<Source: ResponseByteSource>(_ count: Int, from source: inout Source) throws(HTTPClientError) -> [UInt8] {
        while buffer.count - position < count {
            guard try fill(from: &source) else {
                throw .io(host: host, reason: "connection closed after \(buffer.count - position) of \(count) body bytes")
            }
        }
        let body = Array(buffer[position ..< position + count])
        position += count
        return body
    }

    private mutating func readUntilClose<Source: ResponseByteSource>(from source: inout Source) throws(HTTPClientError) -> [UInt8] {
        while try fill(from: &source) {
            guard buffer.count - position <= limits.maxBodyBytes else {
                throw .responseTooLarge(host: host, what: "body", limit: limits.maxBodyBytes)
            }
        }
        let body = Array(buffer[position...])
        position = buffer.count
        return body
    }

    private mutating func readChunked<Source: ResponseByteSource>(from source: inout Source) throws(HTTPClientError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine(from: &source, limit: 4_096, what: "chunk size line")
            var digits = line[...]
            if let end = digits.firstIndex(where: { $0 == UInt8(ascii: ";") || $0 == 0x20 || $0 == 0x09 }) {
                digits = digits[..<end]
            }
            guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ ASCIIHex.value($0) != nil }),
                  let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
            else { throw malformed("invalid chunk size") }
            if size == 0 { break }
            guard body.count + size <= limits.maxBodyBytes else {
                throw .responseTooLarge(host: host, what: "body", limit: limits.maxBodyBytes)
            }
            body.append(contentsOf: try readExactly(size, from: &source))
            guard try readLine(from: &source, limit: 2, what: "chunk end").isEmpty else {
                throw malformed("chunk data longer than its size")
            }
        }
        var trailerBytes = 0
        while true {  // trailer fields are read and dropped
            let line = try readLine(from: &source, limit: limits.maxHeadBytes, what: "trailer")
            if line.isEmpty { return body }
            trailerBytes += line.count
            guard trailerBytes <= limits.maxHeadBytes else {
                throw .responseTooLarge(host: host, what: "trailer section", limit: limits.maxHeadBytes)
            }
        }
    }

    /// One line without its CRLF (or bare LF).
    private mutating func readLine<Source: ResponseByteSource>(from source: inout Source, limit: Int, what: String) throws(HTTPClientError) -> [UInt8] {
        var scanned = 0  // relative to `position`: `fill` may move the buffer
        while true {
            if let newline = buffer[(position + scanned)...].firstIndex(of: 0x0A) {
                var end = newline
                if end > position, buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[position ..< end])
                guard line.count <= limit else { throw malformed("\(what) too long") }
                position = newline + 1
                return line
            }
            guard buffer.count - position <= limit + 1 else { throw malformed("\(what) too long") }
            scanned = buffer.count - position
            guard try fill(from: &source) else {
                throw .io(host: host, reason: "connection closed inside a chunked body")
            }
        }
    }

    // MARK: - Buffer

    /// Appends what the source has; false at the end of the stream.
    private mutating func fill<Source: ResponseByteSource>(from source: inout Source) throws(HTTPClientError) -> Bool {
        if position > 0, position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        } else if position >= 65_536 {
            buffer.removeFirst(position)
            position = 0
        }
        if scratch.isEmpty { scratch = [UInt8](repeating: 0, count: 16_384) }
        let result = scratch.withUnsafeMutableBytes { raw in
            Result { () throws(HTTPClientError) in try source.read(into: raw) }
        }
        let count = try result.get()
        buffer.append(contentsOf: scratch[0 ..< count])
        if count > 0 { receivedAny = true }
        return count > 0
    }

    private func malformed(_ reason: String) -> HTTPClientError {
        .malformedResponse(host: host, reason: reason)
    }
}
