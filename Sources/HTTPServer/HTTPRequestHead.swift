import Essentials

/// A parsed request line and header section, handed to `HTTPHandler.accept(_:)` before any body byte is read
/// so a handler can refuse early (404, 405, 415, …) without the server buffering an unwanted body.
public struct HTTPRequestHead: Sendable {
    public var method: String
    /// The request-target exactly as received.
    public var target: String
    /// The path part of the target (still percent-encoded; for absolute-form, the path after the authority).
    public var path: String
    /// The query part of the target without the `?`, if any (still percent-encoded).
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The peer's address (IP or socket description).
    public var remoteAddress: String
    /// The declared body length, when the request carries `Content-Length`.
    public var contentLength: Int?
    /// Whether the body uses chunked transfer coding.
    public var isChunked: Bool
    /// Whether the client sent `Expect: 100-continue` (HTTP/1.1 only).
    public var expectsContinue: Bool
    /// Whether the connection stays open after this request (HTTP/1.1 default unless `Connection: close`;
    /// HTTP/1.0 only with `Connection: keep-alive`).
    public var keepAlive: Bool

    public init(method: String, target: String, path: String, query: String?, version: HTTPVersion,
                headers: HTTPHeaders, remoteAddress: String = "", contentLength: Int? = nil,
                isChunked: Bool = false, expectsContinue: Bool = false, keepAlive: Bool = true) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.remoteAddress = remoteAddress
        self.contentLength = contentLength
        self.isChunked = isChunked
        self.expectsContinue = expectsContinue
        self.keepAlive = keepAlive
    }

    /// Whether a body follows the head (a positive Content-Length or chunked coding).
    public var hasBody: Bool { isChunked || (contentLength ?? 0) > 0 }

    /// The first value of the query parameter `name`, percent-decoded (`+` is a space, as in forms).
    /// A parameter without `=` yields an empty string.
    public func queryItem(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first else { continue }
            guard PercentDecoding.decode(rawName) == name else { continue }
            return parts.count > 1 ? PercentDecoding.decode(parts[1]) : ""
        }
        return nil
    }
}

/// Percent-decoding for query strings: `%XX` becomes the byte, `+` a space; malformed escapes stay literal.
enum PercentDecoding {
    static func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                if first != bytes.endIndex {
                    let second = bytes.index(after: first)
                    if second != bytes.endIndex, let high = ASCIIHex.value(bytes[first]), let low = ASCIIHex.value(bytes[second]) {
                        output.append(high << 4 | low)
                        index = bytes.index(after: second)
                        continue
                    }
                }
                output.append(byte)
            } else {
                output.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(decoding: output, as: UTF8.self)
    }
}
