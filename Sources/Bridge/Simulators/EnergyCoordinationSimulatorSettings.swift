import EnergyCoordination

/// What the Energy Coordination stand-in accepts and how it behaves as a webhook sender. The defaults
/// match the sample configuration the README shows, so `ecbridge simulate energy-coordination` works
/// with it as is.
public struct EnergyCoordinationSimulatorSettings: Sendable {
    /// The OAuth2 client the token endpoint accepts. Default `sample-client`.
    public var clientId: String
    /// Its secret. Default `sample-client-secret`.
    public var clientSecret: String
    /// `expires_in` of issued tokens, in seconds. Default 3600 (Spark's hour).
    public var tokenLifetime: Int
    /// Shape of `GET /events`: `.v1` a plain array, `.v2024` `{events, pagination}`. Default `.v1`.
    public var apiVersion: APIVersion
    /// `pageSize` when a 2024 `GET /events` names none. Default 50; at most 500 is accepted.
    public var defaultPageSize: Int
    /// Retries after a webhook answered anything but 200 (Spark: up to 3). Default 3.
    public var webhookRetries: Int
    /// Delay before the first retry; doubles each time (Spark: exponential backoff). Default 1 s.
    public var webhookRetryDelay: Double
    /// Timeout of one webhook POST. Default 10 s.
    public var webhookTimeout: Double
    /// The first this-many webhook notifications are "lost": never sent (events stay fetchable through
    /// `GET /events`), for reconciliation tests. Default 0.
    public var loseWebhooks: Int

    public init(clientId: String = "sample-client", clientSecret: String = "sample-client-secret", tokenLifetime: Int = 3600,
                apiVersion: APIVersion = .v1, defaultPageSize: Int = 50, webhookRetries: Int = 3,
                webhookRetryDelay: Double = 1, webhookTimeout: Double = 10, loseWebhooks: Int = 0) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.tokenLifetime = tokenLifetime
        self.apiVersion = apiVersion
        self.defaultPageSize = defaultPageSize
        self.webhookRetries = webhookRetries
        self.webhookRetryDelay = webhookRetryDelay
        self.webhookTimeout = webhookTimeout
        self.loseWebhooks = loseWebhooks
    }
}
