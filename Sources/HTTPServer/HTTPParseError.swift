/// Why the server refused a request on its own, with the status it answers; the connection is always closed
/// afterwards because the byte stream can no longer be trusted.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var title: String
    public var detail: String

    public init(status: Int, title: String, detail: String) {
        self.status = status
        self.title = title
        self.detail = detail
    }

    public var description: String { "\(status) \(title): \(detail)" }

    static func malformed(_ detail: String) -> HTTPParseError {
        HTTPParseError(status: 400, title: "Bad Request", detail: detail)
    }
    static func headersTooLarge(_ detail: String) -> HTTPParseError {
        HTTPParseError(status: 431, title: "Request Header Fields Too Large", detail: detail)
    }
    static func bodyTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(status: 413, title: "Content Too Large", detail: "The body exceeds \(limit) bytes.")
    }
    static let lengthRequired = HTTPParseError(
        status: 411, title: "Length Required", detail: "A body needs Content-Length or chunked Transfer-Encoding.")
    static let unsupportedTransferEncoding = HTTPParseError(
        status: 501, title: "Not Implemented", detail: "Only Transfer-Encoding: chunked is supported.")
    static let unsupportedVersion = HTTPParseError(
        status: 505, title: "HTTP Version Not Supported", detail: "Only HTTP/1.0 and HTTP/1.1 are supported.")
    static let unsupportedExpectation = HTTPParseError(
        status: 417, title: "Expectation Failed", detail: "Only Expect: 100-continue is supported.")
    static let readTimeout = HTTPParseError(
        status: 408, title: "Request Timeout", detail: "The request was not received in time.")
    static let overloaded = HTTPParseError(
        status: 503, title: "Service Unavailable", detail: "Too many open connections.")

    /// The problem+json response for this error, with `Connection: close`.
    var response: HTTPResponse {
        var response = HTTPResponse.problem(status: status, title: title, detail: detail)
        response.closeConnection = true
        return response
    }
}
