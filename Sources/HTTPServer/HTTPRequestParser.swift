import Essentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An incremental, allocation-light HTTP/1.x request parser: a small state machine over raw bytes with no
/// knowledge of sockets, so every rule (limits, smuggling defences) is testable and fuzzable on byte arrays.
///
/// Contract: call `feed(_:)` with the bytes not yet consumed (the caller keeps what `Step.consumed` did not
/// take and presents it again, followed by newer bytes). Lines are consumed only whole, bodies as they come.
/// After `.head`, the parser waits until `startBody()` (or `reset()`); after `.request` it is ready for the
/// next request on the same connection; after `.failure` it stays failed.
public struct HTTPRequestParser {
    /// What a call to `feed(_:)` produced.
    public enum Event {
        /// The head is complete; decide, then call `startBody()` to read the body.
        case head(HTTPRequestHead)
        /// The whole request, body included.
        case request(HTTPRequest)
        /// The request is refused; answer `error.status` and close.
        case failure(HTTPParseError)
    }

    /// Bytes taken from the input, and the event, if any (nil: more bytes are needed).
    public struct Step {
        public var consumed: Int
        public var event: Event?
    }

    private enum State {
        case requestLine, headers, awaitingBodyDecision, fixedBody, chunkSize, chunkData, chunkDataEnd,
             trailers, bodyComplete, failed
    }

    public let limits: HTTPParserLimits
    /// Copied into every head (the parser itself never looks at it).
    public var remoteAddress: String

    private var state = State.requestLine
    private var scanned = 0
    private var failure = HTTPParseError.malformed("")

    private var headBytes = 0
    private var headerCount = 0
    private var method = ""
    private var target = ""
    private var path = ""
    private var query: String?
    private var version = HTTPVersion.http1_1
    private var headers = HTTPHeaders()
    private var contentLength: Int?
    private var contentLengthCount = 0
    private var transferEncodingCount = 0
    private var transferEncodingMalformed = false
    private var isChunked = false
    private var hostCount = 0
    private var hostMalformed = false
    private var expectsContinue = false
    private var expectationUnsupported = false
    private var connectionClose = false
    private var connectionKeepAlive = false

    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var remaining = 0
    private var trailers = HTTPHeaders()
    private var trailerBytes = 0
    private var trailerCount = 0

    public init(limits: HTTPParserLimits = HTTPParserLimits(), remoteAddress: String = "") {
        self.limits = limits
        self.remoteAddress = remoteAddress
    }

    /// True before the first byte of a request has been consumed (used to start the read timeout and to
    /// tell idle connections from busy ones).
    public var isAtRequestStart: Bool { state == .requestLine && headBytes == 0 }

    /// True while the parser waits for `startBody()` after a `.head` event.
    public var isAwaitingBodyDecision: Bool { state == .awaitingBodyDecision }

    /// Continues after `.head`: the next `feed` reads the body (or reports `.request` at once if there is none).
    public mutating func startBody() {
        guard state == .awaitingBodyDecision else { return }
        if isChunked {
            state = .chunkSize
        } else if let contentLength, contentLength > 0 {
            body.reserveCapacity(min(contentLength, 65_536))  // a declared length is not yet a received one
            remaining = contentLength
            state = .fixedBody
        } else {
            state = .bodyComplete
        }
    }

    /// Forgets the current request and waits for the next request line.
    public mutating func reset() {
        state = .requestLine
        scanned = 0
        headBytes = 0
        headerCount = 0
        method = ""
        target = ""
        path = ""
        query = nil
        version = .http1_1
        headers = HTTPHeaders()
        contentLength = nil
        contentLengthCount = 0
        transferEncodingCount = 0
        transferEncodingMalformed = false
        isChunked = false
        hostCount = 0
        hostMalformed = false
        expectsContinue = false
        expectationUnsupported = false
        connectionClose = false
        connectionKeepAlive = false
        head = nil
        body = []
        remaining = 0
        trailers = HTTPHeaders()
        trailerBytes = 0
        trailerCount = 0
    }

    /// Consumes as much of `input` as the current state allows and reports at most one event.
    public mutating func feed(_ input: UnsafeBufferPointer<UInt8>) -> Step {
        var position = 0
        while true {
            switch state {
            case .failed:
                return Step(consumed: position, event: .failure(failure))
            case .awaitingBodyDecision:
                return Step(consumed: position, event: nil)
            case .bodyComplete:
                guard let head else { return fail(.malformed("Internal parser state."), position) }
                let request = HTTPRequest(head: head, body: body, trailers: trailers)
                reset()
                return Step(consumed: position, event: .request(request))
            case .fixedBody, .chunkData:
                let available = input.count - position
                guard available > 0 else { return Step(consumed: position, event: nil) }
                let count = min(available, remaining)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[position ..< position + count]))
                position += count
                remaining -= count
                if remaining == 0 { state = state == .fixedBody ? .bodyComplete : .chunkDataEnd }
            case .chunkDataEnd:
                let available = input.count - position
                guard available > 0 else { return Step(consumed: position, event: nil) }
                guard input[position] == ASCII.cr else { return fail(.malformed("Chunk data must end with CRLF."), position) }
                guard available > 1 else { return Step(consumed: position, event: nil) }
                guard input[position + 1] == ASCII.lf else { return fail(.malformed("Chunk data must end with CRLF."), position) }
                position += 2
                state = .chunkSize
            case .requestLine, .headers, .trailers, .chunkSize:
                let available = input.count - position
                guard let lineFeed = findLineFeed(input, from: position) else {
                    if let error = lineLimitError(length: available + 1) { return fail(error, position) }
                    return Step(consumed: position, event: nil)
                }
                let lineLength = lineFeed - position + 1
                if let error = lineLimitError(length: lineLength) { return fail(error, position) }
                guard lineFeed > position, input[lineFeed - 1] == ASCII.cr else {
                    return fail(.malformed("Lines must end with CRLF (bare LF)."), position)
                }
                let line = UnsafeBufferPointer(rebasing: input[position ..< lineFeed - 1])
                position = lineFeed + 1
                scanned = 0
                if let event = processLine(line, length: lineLength) {
                    if case .failure(let error) = event { return fail(error, position) }
                    return Step(consumed: position, event: event)
                }
            }
        }
    }

    // MARK: - Lines

    private mutating func findLineFeed(_ input: UnsafeBufferPointer<UInt8>, from position: Int) -> Int? {
        let available = input.count - position
        let start = min(scanned, available)
        guard available > start, let base = input.baseAddress else {
            scanned = available
            return nil
        }
        guard let found = memchr(base + position + start, Int32(ASCII.lf), available - start) else {
            scanned = available
            return nil
        }
        return position + start + (UnsafeRawPointer(found) - UnsafeRawPointer(base + position + start))
    }

    /// The error for a line (CRLF included) of `length` bytes in the current state, if it breaks a limit.
    private func lineLimitError(length: Int) -> HTTPParseError? {
        switch state {
        case .requestLine, .headers:
            if headBytes + length > limits.maxHeaderBytes {
                return .headersTooLarge("The request line and headers exceed \(limits.maxHeaderBytes) bytes.")
            }
        case .trailers:
            if trailerBytes + length > limits.maxHeaderBytes {
                return .headersTooLarge("The trailer section exceeds \(limits.maxHeaderBytes) bytes.")
            }
        case .chunkSize:
            if length > limits.maxChunkLineBytes {
                return .malformed("A chunk-size line exceeds \(limits.maxChunkLineBytes) bytes.")
            }
        default:
            break
        }
        return nil
    }

    private mutating func processLine(_ line: UnsafeBufferPointer<UInt8>, length: Int) -> Event? {
        switch state {
        case .requestLine:
            headBytes += length
            if line.isEmpty { return nil }  // RFC 9112 §2.2: ignore empty lines before a request line
            if let error = parseRequestLine(line) { return .failure(error) }
            state = .headers
            return nil
        case .headers:
            headBytes += length
            if line.isEmpty { return finishHead() }
            headerCount += 1
            guard headerCount <= limits.maxHeaderCount else {
                return .failure(.headersTooLarge("More than \(limits.maxHeaderCount) header fields."))
            }
            switch parseField(line) {
            case .failure(let error): return .failure(error)
            case .success(let (name, value)):
                if let error = noteSpecialField(name: name, value: value) { return .failure(error) }
                headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
                return nil
            }
        case .trailers:
            trailerBytes += length
            if line.isEmpty {
                state = .bodyComplete
                return nil
            }
            trailerCount += 1
            guard trailerCount <= limits.maxHeaderCount else {
                return .failure(.headersTooLarge("More than \(limits.maxHeaderCount) trailer fields."))
            }
            switch parseField(line) {
            case .failure(let error): return .failure(error)
            case .success(let (name, value)):
                trailers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
                return nil
            }
        case .chunkSize:
            if let error = parseChunkSize(line) { return .failure(error) }
            return nil
        default:
            return nil
        }
    }

    private mutating func fail(_ error: HTTPParseError, _ position: Int) -> Step {
        state = .failed
        failure = error
        return Step(consumed: position, event: .failure(error))
    }

    // MARK: - Request line

    private mutating func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) -> HTTPParseError? {
        guard let firstSpace = line.firstIndex(of: ASCII.space), firstSpace > 0 else {
            return .malformed("The request line must be 'METHOD target HTTP/1.x'.")
        }
        let methodBytes = UnsafeBufferPointer(rebasing: line[0 ..< firstSpace])
        guard methodBytes.allSatisfy(HTTPToken.isTokenByte) else {
            return .malformed("The method must be a token.")
        }
        let rest = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)...])
        guard let secondSpace = rest.firstIndex(of: ASCII.space), secondSpace > 0 else {
            return .malformed("The request line must be 'METHOD target HTTP/1.x'.")
        }
        let targetBytes = UnsafeBufferPointer(rebasing: rest[0 ..< secondSpace])
        let versionBytes = UnsafeBufferPointer(rebasing: rest[(secondSpace + 1)...])
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }) else {
            return .malformed("The request target contains a forbidden character.")
        }
        switch parseVersion(versionBytes) {
        case .failure(let error): return error
        case .success(let parsed): version = parsed
        }
        method = String(decoding: methodBytes, as: UTF8.self)
        target = String(decoding: targetBytes, as: UTF8.self)
        return splitTarget(targetBytes)
    }

    private func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<HTTPVersion, HTTPParseError> {
        let prefix: [UInt8] = Array("HTTP/".utf8)
        guard bytes.count == 8, bytes.starts(with: prefix), ASCII.isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."),
              ASCII.isDigit(bytes[7]) else {
            return .failure(.malformed("The protocol version must be HTTP/1.0 or HTTP/1.1."))
        }
        let major = Int(bytes[5] - UInt8(ascii: "0")), minor = Int(bytes[7] - UInt8(ascii: "0"))
        guard major == 1, minor <= 1 else { return .failure(.unsupportedVersion) }
        return .success(HTTPVersion(major: major, minor: minor))
    }

    /// Origin-form (`/path?query`), absolute-form (`http://host/path`, path kept) and `*` (OPTIONS only).
    private mutating func splitTarget(_ bytes: UnsafeBufferPointer<UInt8>) -> HTTPParseError? {
        var pathStart = 0
        if bytes[0] == UInt8(ascii: "/") {
            pathStart = 0
        } else if bytes.count == 1, bytes[0] == UInt8(ascii: "*") {
            guard method == "OPTIONS" else { return .malformed("The '*' target is only allowed with OPTIONS.") }
            path = "*"
            return nil
        } else if let authorityStart = ASCII.absoluteFormAuthorityStart(bytes) {
            var index = authorityStart
            while index < bytes.count, bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "?") { index += 1 }
            guard index > authorityStart else { return .malformed("The absolute-form target has no authority.") }
            if index == bytes.count {
                path = "/"
                return nil
            }
            pathStart = index
        } else {
            return .malformed("The request target must be in origin-form or absolute-form.")
        }
        let remainder = UnsafeBufferPointer(rebasing: bytes[pathStart...])
        if let questionMark = remainder.firstIndex(of: UInt8(ascii: "?")) {
            path = questionMark == 0 ? "/" : String(decoding: UnsafeBufferPointer(rebasing: remainder[0 ..< questionMark]), as: UTF8.self)
            query = String(decoding: UnsafeBufferPointer(rebasing: remainder[(questionMark + 1)...]), as: UTF8.self)
        } else {
            path = String(decoding: remainder, as: UTF8.self)
        }
        return nil
    }

    // MARK: - Fields

    private typealias FieldBytes = (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>)

    /// `token ":" OWS value OWS` with strict bytes; no obs-fold, no whitespace before the colon.
    private func parseField(_ line: UnsafeBufferPointer<UInt8>) -> Result<FieldBytes, HTTPParseError> {
        if line[0] == ASCII.space || line[0] == ASCII.tab {
            return .failure(.malformed("Folded header lines (obs-fold) are not accepted."))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            return .failure(.malformed("A header line has no field name or colon."))
        }
        let name = UnsafeBufferPointer(rebasing: line[0 ..< colon])
        guard name.allSatisfy(HTTPToken.isTokenByte) else {
            return .failure(.malformed("A header field name contains a forbidden character."))
        }
        var start = colon + 1, end = line.count
        while start < end, line[start] == ASCII.space || line[start] == ASCII.tab { start += 1 }
        while end > start, line[end - 1] == ASCII.space || line[end - 1] == ASCII.tab { end -= 1 }
        let value = UnsafeBufferPointer(rebasing: line[start ..< end])
        for byte in value where (byte < 0x20 && byte != ASCII.tab) || byte == 0x7F {
            return .failure(.malformed("A header field value contains a control character."))
        }
        return .success((name, value))
    }

    /// Records the fields that frame the message; line-local errors are returned at once, the rest are
    /// decided in `finishHead()` once the whole section is known.
    private mutating func noteSpecialField(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> HTTPParseError? {
        switch name.count {
        case 4 where ASCII.equalsLowercase(name, FieldName.host):
            hostCount += 1
            if value.contains(where: { $0 == ASCII.space || $0 == ASCII.tab || $0 == UInt8(ascii: ",") }) {
                hostMalformed = true
            }
        case 14 where ASCII.equalsLowercase(name, FieldName.contentLength):
            contentLengthCount += 1
            guard contentLengthCount == 1 else {
                return .malformed("Content-Length appears more than once.")
            }
            guard let length = ASCII.parseDecimal(value) else {
                return .malformed("Content-Length must be a non-negative decimal number.")
            }
            contentLength = length
        case 17 where ASCII.equalsLowercase(name, FieldName.transferEncoding):
            transferEncodingCount += 1
            if value.isEmpty || value.first == UInt8(ascii: ",") || value.last == UInt8(ascii: ",") {
                transferEncodingMalformed = true
            } else if transferEncodingCount == 1, ASCII.equalsLowercase(value, FieldName.chunked) {
                isChunked = true
            } else {
                isChunked = false
            }
        case 6 where ASCII.equalsLowercase(name, FieldName.expect):
            if version == .http1_1 {
                if ASCII.equalsLowercase(value, FieldName.continue100) { expectsContinue = true } else { expectationUnsupported = true }
            }
        case 10 where ASCII.equalsLowercase(name, FieldName.connection):
            for option in value.split(separator: UInt8(ascii: ",")) {
                var start = option.startIndex, end = option.endIndex
                while start < end, option[start] == ASCII.space || option[start] == ASCII.tab { start += 1 }
                while end > start, option[end - 1] == ASCII.space || option[end - 1] == ASCII.tab { end -= 1 }
                let token = UnsafeBufferPointer(rebasing: option[start ..< end])
                if ASCII.equalsLowercase(token, FieldName.close) { connectionClose = true }
                if ASCII.equalsLowercase(token, FieldName.keepAlive) { connectionKeepAlive = true }
            }
        default:
            break
        }
        return nil
    }

    private mutating func finishHead() -> Event {
        if version == .http1_1, hostCount == 0 { return .failure(.malformed("HTTP/1.1 requests need a Host header.")) }
        if hostCount > 1 { return .failure(.malformed("Host appears more than once.")) }
        if hostMalformed { return .failure(.malformed("The Host header is malformed.")) }
        if transferEncodingCount > 0 {
            if version == .http1_0 { return .failure(.malformed("Transfer-Encoding is not allowed in HTTP/1.0.")) }
            if contentLengthCount > 0 {
                return .failure(.malformed("Content-Length and Transfer-Encoding together are not accepted."))
            }
            if transferEncodingMalformed { return .failure(.malformed("Transfer-Encoding is malformed.")) }
            if !isChunked || transferEncodingCount > 1 { return .failure(.unsupportedTransferEncoding) }
        }
        if expectationUnsupported { return .failure(.unsupportedExpectation) }
        if contentLength == nil, !isChunked, method == "POST" || method == "PUT" || method == "PATCH" {
            return .failure(.lengthRequired)
        }
        if let contentLength, contentLength > limits.maxBodyBytes { return .failure(.bodyTooLarge(limit: limits.maxBodyBytes)) }
        let keepAlive = version == .http1_1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        let parsed = HTTPRequestHead(
            method: method, target: target, path: path, query: query, version: version, headers: headers,
            remoteAddress: remoteAddress, contentLength: contentLength, isChunked: isChunked,
            expectsContinue: expectsContinue && (isChunked || (contentLength ?? 0) > 0), keepAlive: keepAlive)
        head = parsed
        state = .awaitingBodyDecision
        return .head(parsed)
    }

    // MARK: - Chunked coding

    /// `1*HEXDIG [ BWS ";" extensions ]`: digits checked one by one, no sign, no `0x`, no overflow.
    private mutating func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>) -> HTTPParseError? {
        var index = 0, size = 0
        while index < line.count, let digit = ASCIIHex.value(line[index]) {
            guard size <= Int.max >> 4 else { return .malformed("The chunk size overflows.") }
            size = size << 4 | Int(digit)
            index += 1
        }
        guard index > 0 else { return .malformed("A chunk size must be hexadecimal digits.") }
        if index < line.count {
            while index < line.count, line[index] == ASCII.space || line[index] == ASCII.tab { index += 1 }
            guard index < line.count, line[index] == UInt8(ascii: ";") else {
                return .malformed("A chunk size must be hexadecimal digits.")
            }
            for byte in UnsafeBufferPointer(rebasing: line[index...]) where (byte < 0x20 && byte != ASCII.tab) || byte == 0x7F {
                return .malformed("A chunk extension contains a control character.")
            }
        }
        if size == 0 {
            state = .trailers
            return nil
        }
        guard size <= limits.maxBodyBytes - body.count else { return .bodyTooLarge(limit: limits.maxBodyBytes) }
        remaining = size
        state = .chunkData
        return nil
    }
}

/// Lower-case field names and tokens the parser recognises, as bytes.
private enum FieldName {
    static let host = Array("host".utf8)
    static let contentLength = Array("content-length".utf8)
    static let transferEncoding = Array("transfer-encoding".utf8)
    static let expect = Array("expect".utf8)
    static let connection = Array("connection".utf8)
    static let chunked = Array("chunked".utf8)
    static let continue100 = Array("100-continue".utf8)
    static let close = Array("close".utf8)
    static let keepAlive = Array("keep-alive".utf8)
}
