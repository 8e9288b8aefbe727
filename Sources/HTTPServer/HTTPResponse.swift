/// A complete response. The server adds `Content-Length`, `Date` and `Connection` itself, so handlers only
/// state what is specific to them.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Close the connection after this response is written.
    public var closeConnection: Bool
    /// Write nothing at all and close the connection (a lost response, for test stand-ins).
    public var abortConnection = false

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], closeConnection: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }

    /// No response: the server closes the connection without writing a byte, so the client sees the
    /// request as sent but unanswered (used by local stand-ins to simulate a lost response).
    public static var aborted: HTTPResponse {
        var response = HTTPResponse(status: 0, closeConnection: true)
        response.abortConnection = true
        return response
    }

    /// An RFC 9457 problem document (`application/problem+json`) with `type` `about:blank`.
    public static func problem(status: Int, title: String, detail: String? = nil) -> HTTPResponse {
        var json = "{\"type\":\"about:blank\",\"title\":"
        JSONText.appendString(title, to: &json)
        json += ",\"status\":\(status)"
        if let detail {
            json += ",\"detail\":"
            JSONText.appendString(detail, to: &json)
        }
        json += "}"
        return HTTPResponse(status: status, headers: ["Content-Type": "application/problem+json"],
                            body: Array(json.utf8))
    }

    /// A plain-text response (`text/plain; charset=utf-8`).
    public static func text(status: Int = 200, _ text: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        if !headers.contains("Content-Type") { headers.add("Content-Type", "text/plain; charset=utf-8") }
        return HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }

    /// A JSON response from already-serialised text (`application/json`).
    public static func json(status: Int = 200, _ text: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        if !headers.contains("Content-Type") { headers.add("Content-Type", "application/json") }
        return HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }
}

/// Minimal JSON string escaping for problem documents (the module does not depend on Essentials).
enum JSONText {
    static func appendString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
