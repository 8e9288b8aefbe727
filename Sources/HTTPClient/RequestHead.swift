import Essentials

/// Serialises a request head, refusing anything that could split or smuggle a request: a method or
/// field name that is not a token, a CR, LF or NUL in a field value.
///
/// The client owns the framing: caller-supplied `Content-Length`, `Transfer-Encoding` and `Connection`
/// are replaced, and `Host` defaults to the URL's authority (a caller's `Host` wins, as signers need).
enum RequestHead {
    static func serialize(method: String, target: String, authority: String, headers: [(String, String)],
                          bodyCount: Int?, userAgent: String?, extra: [(String, String)] = []) throws(HTTPClientError) -> [UInt8] {
        guard HTTPToken.isToken(method) else { throw .invalidRequest("the method is not an HTTP token") }
        var fields: [(String, String)] = []
        var host = authority
        var hasUserAgent = false, hasAccept = false
        for (name, value) in headers {
            guard HTTPToken.isToken(name) else { throw .invalidRequest("a header name is not an HTTP token") }
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw .invalidRequest("the value of header \(name) holds CR, LF or NUL")
            }
            let lower = name.lowercased()
            switch lower {
            case "host": host = value.trimmingOWS()
            case "content-length", "transfer-encoding", "connection": continue
            default:
                if lower == "user-agent" { hasUserAgent = true }
                if lower == "accept" { hasAccept = true }
                fields.append((name, value.trimmingOWS()))
            }
        }
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        if !hasUserAgent, let userAgent { text += "User-Agent: \(userAgent)\r\n" }
        if !hasAccept { text += "Accept: */*\r\n" }
        for (name, value) in fields + extra { text += "\(name): \(value)\r\n" }
        if let bodyCount {
            text += "Content-Length: \(bodyCount)\r\n"
        } else if ["POST", "PUT", "PATCH"].contains(method) {
            text += "Content-Length: 0\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }
}
