import FoundationEssentials

/// OAuth2 client credentials for the Energy Coordination API (energy-coordination.md §2).
///
/// Why a type: the secret must never be printed, so `description` leaves it out.
public struct ClientCredentials: Sendable, CustomStringConvertible {
    /// The token endpoint (default Volue's identity server).
    public var tokenURL: URL
    public var clientId: String
    public var clientSecret: String

    /// Volue's token endpoint, used when the configuration names none.
    public static let defaultTokenURL = "https://auth.identity.volue.com/connect/token"

    public init(tokenURL: URL, clientId: String, clientSecret: String) {
        self.tokenURL = tokenURL
        self.clientId = clientId
        self.clientSecret = clientSecret
    }

    public var description: String { "client \(clientId) at \(tokenURL.absoluteString)" }
}
