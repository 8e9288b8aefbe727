import Essentials
import FoundationEssentials

/// The raw HTTP answer a `SolarNetworkClientTransport` hands back.
///
/// Why a plain value: the SolarNetwork module stays free of any HTTP stack and of the Bridge's client, so
/// tests can answer with canned bytes and the Bridge can plug in its own blocking client.
public struct SolarNetworkHTTPResponse: Sendable {
    public var status: Int
    /// Response headers; looked up case-insensitively through `header(_:)`.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first(where: { $0.name.equalsIgnoringASCIICase(name) })?.value
    }
}

/// Sends one HTTP request: `(method, url, headers, body)`. Throws only when no HTTP answer arrived
/// (connection refused or reset, timeout); the client counts that as a transient failure.
public typealias SolarNetworkClientTransport =
    @Sendable (_ method: String, _ url: URL, _ headers: [(String, String)], _ body: [UInt8]?) throws -> SolarNetworkHTTPResponse
