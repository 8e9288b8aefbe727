import Essentials

/// Writes a response head into a reusable byte buffer: status line, the handler's headers (minus the ones
/// the server owns, and minus any that could split the response), then `Content-Length`, `Date` and
/// `Connection`.
enum ResponseSerializer {
    /// Appends the head to `buffer` and returns whether a body may follow.
    static func writeHead(_ response: HTTPResponse, requestMethod: String, requestVersion: HTTPVersion, close: Bool,
                          date: [UInt8], into buffer: inout [UInt8]) -> Bool {
        let status = (100 ... 999).contains(response.status) ? response.status : 500
        buffer.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &buffer)
        buffer.append(ASCII.space)
        buffer.append(contentsOf: reasonPhrase(status).utf8)
        buffer.append(contentsOf: crlf)
        var hasDate = false
        for field in response.headers {
            if field.name.equalsIgnoringASCIICase("Content-Length") || field.name.equalsIgnoringASCIICase("Transfer-Encoding")
                || field.name.equalsIgnoringASCIICase("Connection") {
                continue
            }
            guard isSafeName(field.name), isSafeValue(field.value) else { continue }
            if field.name.equalsIgnoringASCIICase("Date") { hasDate = true }
            buffer.append(contentsOf: field.name.utf8)
            buffer.append(contentsOf: ": ".utf8)
            buffer.append(contentsOf: field.value.utf8)
            buffer.append(contentsOf: crlf)
        }
        let bodyAllowed = !(status < 200 || status == 204 || status == 304)
        if bodyAllowed {
            buffer.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(response.body.count, to: &buffer)
            buffer.append(contentsOf: crlf)
        }
        if !hasDate {
            buffer.append(contentsOf: "Date: ".utf8)
            buffer.append(contentsOf: date)
            buffer.append(contentsOf: crlf)
        }
        if close {
            buffer.append(contentsOf: "Connection: close\r\n".utf8)
        } else if requestVersion == .http1_0 {
            buffer.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        buffer.append(contentsOf: crlf)
        return bodyAllowed && requestMethod != "HEAD"
    }

    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    private static let crlf: [UInt8] = [ASCII.cr, ASCII.lf]

    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        guard value > 0 else {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0, count < raw.count {
                raw[raw.count - 1 - count] = UInt8(rest % 10) + UInt8(ascii: "0")
                rest /= 10
                count += 1
            }
            buffer.append(contentsOf: raw[(raw.count - count)...])
        }
    }

    private static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(HTTPToken.isTokenByte)
    }

    private static func isSafeValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { ($0 >= 0x20 || $0 == ASCII.tab) && $0 != 0x7F }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }
}
