/// Why an outbound request got no usable HTTP answer.
///
/// Descriptions name the phase and the peer's host, never header values, bodies or query strings, so
/// they are safe to log next to a signed request.
public enum HTTPClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URL is not an absolute `http`/`https` URL this client can send to.
    case invalidURL(String)
    /// A header name or value would break the request framing (CR, LF, NUL, a non-token name).
    case invalidRequest(String)
    /// The host name did not resolve.
    case resolution(host: String, reason: String)
    /// No address of the host accepted a TCP connection.
    case connection(host: String, reason: String)
    /// The TLS handshake failed, including certificate or host-name verification.
    case tls(host: String, reason: String)
    /// The request deadline passed (`phase`: connecting, TLS handshake, sending, waiting for the response…).
    case timedOut(host: String, phase: String, seconds: Double)
    /// Reading or writing failed after the connection was up, or the peer closed it early.
    case io(host: String, reason: String)
    /// The answer is not well-formed HTTP/1.x.
    case malformedResponse(host: String, reason: String)
    /// The answer's head or body exceeded a configured limit.
    case responseTooLarge(host: String, what: String, limit: Int)
    /// The proxy refused or broke the tunnel, or the proxy settings are unusable.
    case proxy(String)

    public var description: String {
        switch self {
        case .invalidURL(let reason): return "invalid URL: \(reason)"
        case .invalidRequest(let reason): return "invalid request: \(reason)"
        case .resolution(let host, let reason): return "\(host): cannot resolve the host name (\(reason))"
        case .connection(let host, let reason): return "\(host): cannot connect (\(reason))"
        case .tls(let host, let reason): return "\(host): TLS handshake failed (\(reason))"
        case .timedOut(let host, let phase, let seconds):
            return "\(host): timed out after \(Self.seconds(seconds)) s while \(phase)"
        case .io(let host, let reason): return "\(host): \(reason)"
        case .malformedResponse(let host, let reason): return "\(host): malformed HTTP response (\(reason))"
        case .responseTooLarge(let host, let what, let limit):
            return "\(host): response \(what) is larger than the limit of \(limit) bytes"
        case .proxy(let reason): return "proxy: \(reason)"
        }
    }

    /// An I/O failure: on a reused connection before any byte of an answer, the sign of a stale kept-alive
    /// connection (the peer closed it while it sat in the pool), so the request may go once more on a new one.
    var isStaleConnectionSymptom: Bool {
        if case .io = self { return true }
        return false
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
