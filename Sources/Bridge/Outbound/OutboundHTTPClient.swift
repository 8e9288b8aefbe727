import Essentials
import FoundationEssentials
import HTTPClient

/// The blocking HTTP client for every outbound call (replay, SolarNetwork, OSCP, GreenFlux, reports),
/// over ecbridge's own `HTTPClient`: no redirects (a 3xx is returned as is: following one could leak a
/// signed request to another host), one deadline per call, bounded answers, verified TLS, kept-alive
/// connections, the usual proxy variables, and a User-Agent that names ecbridge.
public final class OutboundHTTPClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first(where: { $0.key.equalsIgnoringASCIICase(name) })?.value
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static let userAgent = "ecbridge/\(ECBridgeVersion.current)"

    private let client: HTTPClient
    public var timeout: Double { client.options.timeout }

    /// `environment` supplies `https_proxy`, `http_proxy`, `all_proxy` and `no_proxy` (the process
    /// environment by default); trust comes from the system store, which honours `SSL_CERT_FILE`.
    public convenience init(timeout: Double = 30, trust: TLSClientContext.Trust = .system,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(options: HTTPClientOptions(timeout: timeout, trust: trust, proxy: ProxySettings.fromEnvironment(environment),
                                             userAgent: Self.userAgent))
    }

    /// A client with the `delivery` settings: request timeout, response size limit, kept-alive
    /// connections and trusted certificates.
    public convenience init(delivery settings: DeliverySettings,
                            environment: [String: String] = ProcessInfo.processInfo.environment) {
        var options = HTTPClientOptions(timeout: settings.requestTimeout,
                                        limits: HTTPClientLimits(maxBodyBytes: settings.maxResponseBytes),
                                        trust: settings.trustedCertificates.map { .certificateFile($0) } ?? .system,
                                        proxy: ProxySettings.fromEnvironment(environment),
                                        maxIdleConnectionsPerOrigin: settings.maxIdleConnections,
                                        idleConnectionTimeout: settings.idleConnectionTimeout)
        options.userAgent = Self.userAgent
        self.init(options: options)
    }

    private init(options: HTTPClientOptions) {
        client = HTTPClient(options: options)
    }

    /// Sends one request and waits for the answer. Throws only when no HTTP answer arrived.
    public func send(method: String, url: URL, headers: [(String, String)], body: [UInt8]?) throws(Failure) -> Response {
        do {
            let target = try ClientURL(parsing: url.absoluteString)
            let response = try client.send(method: method, url: target, headers: headers, body: body)
            // Repeated fields are combined the way HTTP allows (RFC 9110 §5.3), under their first spelling.
            var fields: [String: String] = [:]
            var spelling: [String: String] = [:]
            for (name, value) in response.headers {
                if let first = spelling[name.lowercased()], let existing = fields[first] {
                    fields[first] = existing + ", " + value
                } else {
                    spelling[name.lowercased()] = name
                    fields[name] = value
                }
            }
            return Response(status: response.status, headers: fields, body: response.body)
        } catch {
            throw Failure(description: "\(method) \(error)")
        }
    }
}
