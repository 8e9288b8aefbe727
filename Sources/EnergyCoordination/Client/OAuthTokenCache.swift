import Essentials
import FoundationEssentials
import Synchronization

/// OAuth2 client-credentials tokens, fetched on demand and cached until shortly before they expire.
///
/// Why: every API call needs a bearer token and Spark's last an hour; fetching one per call would double
/// the traffic and hammer the identity server. Only one refresh runs at a time: callers that find the
/// cache empty while another refresh is running wait for it and share its token.
public final class OAuthTokenCache: Sendable {
    /// Lifetime assumed when the token response has no `expires_in`. Default 3600 s (Spark's hour).
    public static let defaultLifetime: Double = 3600

    private struct Cached {
        var token: String
        var validUntil: Date
    }

    let credentials: ClientCredentials
    private let transport: APITransport
    private let now: @Sendable () -> Date
    /// Seconds before expiry at which a cached token is no longer handed out. Default 60.
    public let renewBeforeExpiry: Double
    private let cached = Mutex<Cached?>(nil)
    /// Held while a refresh is in flight, so refreshes never overlap.
    private let refreshGate = Mutex(0)
    private let fetches = Atomic<Int>(0)

    public init(credentials: ClientCredentials, transport: @escaping APITransport, renewBeforeExpiry: Double = 60,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.credentials = credentials
        self.transport = transport
        self.renewBeforeExpiry = renewBeforeExpiry
        self.now = now
    }

    /// How many token requests were made (for metrics and tests).
    public var fetchCount: Int { fetches.load(ordering: .relaxed) }

    /// A valid access token. `rejected` is a token the API just refused (401): it is not handed out again,
    /// so the call forces a refresh unless another caller has refreshed meanwhile.
    public func accessToken(rejected: String? = nil) throws -> String {
        if let token = usable(rejected: rejected) { return token }
        return try refreshGate.withLock { _ throws -> String in
            if let token = usable(rejected: rejected) { return token }
            return try fetch()
        }
    }

    /// Forgets the cached token.
    public func invalidate() { cached.withLock { $0 = nil } }

    private func usable(rejected: String?) -> String? {
        let now = self.now()
        return cached.withLock { cached in
            guard let entry = cached, entry.validUntil > now, entry.token != rejected else { return nil }
            return entry.token
        }
    }

    private func fetch() throws -> String {
        fetches.add(1, ordering: .relaxed)
        let form = FormEncoding.encode([("grant_type", "client_credentials"), ("client_id", credentials.clientId),
                                        ("client_secret", credentials.clientSecret)])
        let request = APIRequest(method: "POST", url: credentials.tokenURL,
                                 headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                 body: Array(form.utf8))
        let operation = "token \(credentials.tokenURL.host ?? credentials.tokenURL.absoluteString)"
        let started = now()
        let response: APIResponse
        do {
            response = try transport(request)
        } catch {
            throw EnergyCoordinationError(kind: .transport, operation: operation, message: "\(error)")
                .redacting([credentials.clientSecret])
        }
        guard (200..<300).contains(response.status) else {
            throw EnergyCoordinationError(kind: .token, operation: operation, status: response.status,
                                          problem: ProblemDetails.parse(response.body),
                                          message: response.status == 400 || response.status == 401 ? "check clientId and clientSecret" : "")
                .redacting([credentials.clientSecret])
        }
        guard let json = try? JSON.parse(response.body), let token = json["access_token"]?.stringValue, !token.isEmpty else {
            throw EnergyCoordinationError(kind: .token, operation: operation, status: response.status,
                                          message: "the token response has no access_token")
        }
        if let type = json["token_type"]?.stringValue, type.lowercased() != "bearer" {
            throw EnergyCoordinationError(kind: .token, operation: operation, status: response.status,
                                          message: "unsupported token_type \(type)")
        }
        let lifetime = json["expires_in"]?.doubleValue ?? json["expires_in"]?.stringValue.flatMap(Double.init)
            ?? Self.defaultLifetime
        let validUntil = started.addingTimeInterval(lifetime - renewBeforeExpiry)
        cached.withLock { $0 = Cached(token: token, validUntil: validUntil) }
        return token
    }
}
