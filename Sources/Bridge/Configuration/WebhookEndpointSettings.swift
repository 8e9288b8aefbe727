import Essentials

/// One webhook path, its signature scheme and its secrets (several = rotation).
public struct WebhookEndpointSettings: Sendable, Equatable {
    public static let schemes = ["spark", "standard-webhooks", "stripe", "github", "bearer"]

    public var path: String
    public var scheme: String
    public var secrets: [SecretReference]
    /// Allowed clock difference for timestamped schemes (standard-webhooks, stripe), both directions.
    public var tolerance: Double = 300
    /// Per-path body limit; `nil` = the listener's `maxBodyBytes`.
    public var maxBodyBytes: Int?

    public init(path: String, scheme: String, secrets: [SecretReference], tolerance: Double = 300) {
        self.path = path
        self.scheme = scheme
        self.secrets = secrets
        self.tolerance = tolerance
    }

    init(_ source: ConfigObject) throws(ConfigError) {
        var o = source
        path = try o.requiredString("path")
        guard path.hasPrefix("/"), !path.contains("?"), !path.contains("#") else {
            throw ConfigError(path: o.childPath("path"), message: "must be an absolute path such as /webhooks/energy-coordination")
        }
        guard !["/healthz", "/readyz", "/metrics"].contains(path) else {
            throw ConfigError(path: o.childPath("path"), message: "\(path) is reserved")
        }
        scheme = try o.choice("scheme", Self.schemes) ?? "spark"
        guard let items = try o.array("secrets"), !items.isEmpty else {
            throw ConfigError(path: o.childPath("secrets"), message: "at least one secret is required (unsigned webhooks are refused)")
        }
        secrets = []
        for (index, item) in items.enumerated() {
            secrets.append(try SecretReference(json: item, path: "\(o.childPath("secrets"))[\(index)]"))
        }
        tolerance = try o.seconds("tolerance", default: tolerance)
        maxBodyBytes = try o.int("maxBodyBytes", range: 1...1_073_741_824)
        try o.finish()
    }
}
