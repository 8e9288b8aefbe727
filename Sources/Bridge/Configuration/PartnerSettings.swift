import Essentials

/// Credentials and endpoints of the Energy Coordination API (used by the reporter and the partner CLI).
public struct EnergyCoordinationSettings: Sendable, Equatable {
    public var baseUrl: String
    public var tokenUrl: String?
    public var clientId: String?
    public var clientSecret: SecretReference?
    /// `v1` (mid-2023 paths, default) or `2024` (`/webhooks`, paged `/events`).
    public var apiVersion = "v1"
    /// Seconds between reconciliation syncs in `serve`; 0 disables.
    public var syncInterval = 0.0

    init(_ source: ConfigObject) throws(ConfigError) {
        var o = source
        baseUrl = try o.requiredString("baseUrl")
        tokenUrl = try o.string("tokenUrl")
        clientId = try o.string("clientId")
        clientSecret = try o.secret("clientSecret")
        apiVersion = try o.choice("apiVersion", ["v1", "2024"]) ?? apiVersion
        syncInterval = try o.seconds("syncInterval", default: syncInterval)
        try o.finish()
    }
}

/// SolarNetwork SolarUser credentials (SNWS2 token and secret).
public struct SolarNetworkSettings: Sendable, Equatable {
    public var baseUrl = "https://data.solarnetwork.net"
    public var token: String?
    public var secret: SecretReference?

    init(_ source: ConfigObject) throws(ConfigError) {
        var o = source
        baseUrl = try o.string("baseUrl") ?? baseUrl
        token = try o.string("token")
        secret = try o.secret("secret")
        try o.finish()
    }
}

/// Log level and format.
public struct LogSettings: Sendable, Equatable {
    /// `debug`, `info` (default), `warning`, `error`; the `ECBRIDGE_LOG_LEVEL` environment variable overrides it.
    public var level = "info"

    public init() {}

    init(_ source: ConfigObject) throws(ConfigError) {
        var o = source
        level = try o.choice("level", ["debug", "info", "warning", "error"]) ?? level
        try o.finish()
    }
}
