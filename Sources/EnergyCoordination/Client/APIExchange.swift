import Essentials
import FoundationEssentials

/// One HTTP request the client wants sent. Plain values so any transport (ecbridge's HTTPClient in the app, a
/// closure in tests) can carry it; the module itself never opens a socket.
public struct APIRequest: Sendable {
    public var method: String
    public var url: URL
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(method: String, url: URL, headers: [(String, String)], body: [UInt8]?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The answer to an `APIRequest`: status, header fields and the whole body.
public struct APIResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.equalsIgnoringASCIICase(name) }?.1
    }
}

/// Sends one request and returns the answer; throws only when no HTTP answer arrived.
///
/// Why a closure: the client stays testable without a network and without any HTTP stack; the
/// Bridge module passes its `OutboundHTTPClient` (no redirects, timeouts, User-Agent).
public typealias APITransport = @Sendable (APIRequest) throws -> APIResponse
