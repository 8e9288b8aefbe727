/// Everything an `HTTPClient` can be tuned with; each has a documented default.
public struct HTTPClientOptions: Sendable, Equatable {
    /// Seconds for the whole request: resolving, connecting, TLS, sending and receiving. Default 30.
    public var timeout: Double
    public var limits: HTTPClientLimits
    /// Trusted roots for https. Default: the system store.
    public var trust: TLSClientContext.Trust
    /// Default: none (`HTTPClientOptions.fromEnvironment` reads the usual proxy variables).
    public var proxy: ProxySettings
    /// Kept-alive connections per origin. Default 4; 0 closes every connection after its response.
    public var maxIdleConnectionsPerOrigin: Int
    /// Seconds an idle connection is kept. Default 30.
    public var idleConnectionTimeout: Double
    /// Sent as `User-Agent` unless the request sets its own.
    public var userAgent: String?

    public init(timeout: Double = 30, limits: HTTPClientLimits = HTTPClientLimits(), trust: TLSClientContext.Trust = .system,
                proxy: ProxySettings = .none, maxIdleConnectionsPerOrigin: Int = 4, idleConnectionTimeout: Double = 30,
                userAgent: String? = nil) {
        self.timeout = timeout
        self.limits = limits
        self.trust = trust
        self.proxy = proxy
        self.maxIdleConnectionsPerOrigin = maxIdleConnectionsPerOrigin
        self.idleConnectionTimeout = idleConnectionTimeout
        self.userAgent = userAgent
    }
}
