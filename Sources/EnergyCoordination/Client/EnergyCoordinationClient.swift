import Essentials
import FoundationEssentials

/// A client for Spark's Energy Coordination partner API (both generations): subscriptions or webhooks,
/// resources, events and reports, with OAuth2 client credentials.
///
/// Why here and transport-agnostic: the CLI, the reconciliation worker and the reporter share it, and
/// tests run it against the local stand-in or a closure. Every call is blocking; a 401 triggers one token
/// refresh and one retry. Errors carry the server's problem details but never a secret.
public final class EnergyCoordinationClient: Sendable {
    /// Settings of one client.
    public struct Configuration: Sendable, CustomStringConvertible {
        /// The API base, e.g. `https://api.voluespark.com/energy-coordination/v1`.
        public var baseURL: URL
        public var credentials: ClientCredentials
        /// Paths and shapes to use. Default `.v1`.
        public var apiVersion: APIVersion
        /// `pageSize` asked for on paged `GET /events` (2024). Default 100.
        public var eventsPageSize: Int
        /// Most pages read by `allEvents()`, a guard against a server that never ends. Default 1000.
        public var maxEventPages: Int
        /// Seconds before token expiry at which a new token is fetched. Default 60.
        public var renewBeforeExpiry: Double

        public init(baseURL: URL, credentials: ClientCredentials, apiVersion: APIVersion = .v1, eventsPageSize: Int = 100,
                    maxEventPages: Int = 1000, renewBeforeExpiry: Double = 60) {
            self.baseURL = baseURL
            self.credentials = credentials
            self.apiVersion = apiVersion
            self.eventsPageSize = eventsPageSize
            self.maxEventPages = maxEventPages
            self.renewBeforeExpiry = renewBeforeExpiry
        }

        public var description: String { "\(baseURL.absoluteString) (\(apiVersion.rawValue), \(credentials))" }
    }

    public let configuration: Configuration
    public let tokens: OAuthTokenCache
    private let transport: APITransport

    public init(configuration: Configuration, transport: @escaping APITransport, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.transport = transport
        tokens = OAuthTokenCache(credentials: configuration.credentials, transport: transport,
                                 renewBeforeExpiry: configuration.renewBeforeExpiry, now: now)
    }

    public var apiVersion: APIVersion { configuration.apiVersion }

    // MARK: - Core

    /// Sends one authorised request and returns the success response (2xx), else throws
    /// `EnergyCoordinationError` with the problem details. `secrets` are redacted from any error text.
    public func send(_ method: String, _ path: String, query: [(String, String)] = [], body: JSON? = nil,
                     secrets: [String] = []) throws -> APIResponse {
        let operation = "\(method) \(path)"
        let redact = secrets + [configuration.credentials.clientSecret]
        var text = configuration.baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        text += path
        if !query.isEmpty { text += "?" + FormEncoding.encode(query) }
        guard let url = URL(string: text) else {
            throw EnergyCoordinationError(kind: .transport, operation: operation, message: "not a valid URL: \(text)")
        }
        let bytes = body.map { Array($0.compactText.utf8) }
        var token = try tokens.accessToken()
        var attempt = 0
        while true {
            attempt += 1
            var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json, application/problem+json")]
            if bytes != nil { headers.append(("Content-Type", "application/json")) }
            let response: APIResponse
            do {
                response = try transport(APIRequest(method: method, url: url, headers: headers, body: bytes))
            } catch {
                throw EnergyCoordinationError(kind: .transport, operation: operation, message: "\(error)").redacting(redact)
            }
            if response.status == 401 && attempt == 1 {
                token = try tokens.accessToken(rejected: token)
                continue
            }
            guard (200..<300).contains(response.status) else {
                throw EnergyCoordinationError(kind: .http, operation: operation, status: response.status,
                                              problem: ProblemDetails.parse(response.body)).redacting(redact)
            }
            return response
        }
    }

    /// `send`, then the body as JSON (`null` for an empty body).
    func sendJSON(_ method: String, _ path: String, query: [(String, String)] = [], body: JSON? = nil,
                  secrets: [String] = []) throws -> JSON {
        let response = try send(method, path, query: query, body: body, secrets: secrets)
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .null }
        do {
            return try JSON.parse(response.body)
        } catch {
            throw EnergyCoordinationError(kind: .decoding, operation: "\(method) \(path)", status: response.status,
                                          message: "the answer is not JSON (\(error.reason))")
        }
    }

    /// One path segment, percent-encoded.
    static func segment(_ value: String) -> String { FormEncoding.component(value) }
}
