import Essentials

/// How the outbox delivers and tracks (`delivery` in the configuration). Every limit has a default.
///
/// Why settings rather than constants: operators tune retry pressure against a partner's rate limits,
/// and tests shrink the delays to milliseconds so retry and deadline paths run fast.
public struct DeliverySettings: Sendable, Equatable {
    /// Delivery worker threads (each sends one delivery at a time). Default 2.
    public var workers = 2
    /// Attempts before a delivery that keeps failing transiently becomes `dead`. Default 10.
    public var maxAttempts = 10
    /// First retry delay bound in seconds; doubles per attempt, with full jitter. Default 1.
    public var baseDelay = 1.0
    /// Largest retry delay in seconds (before jitter; a `Retry-After` may ask for longer). Default 300.
    public var maxDelay = 300.0
    /// Seconds after planning (or an operator retry) after which no retry is scheduled: `dead`. Default 86 400.
    public var maxAge = 86_400.0
    /// Timeout of one HTTP request in seconds (≥ 1). Default 30.
    public var requestTimeout = 30.0
    /// Seconds a SolarNetwork instruction may take to reach a final state before the delivery is `failed`.
    /// Default 600.
    public var trackerDeadline = 600.0
    /// First instruction status poll after queueing, in seconds; later polls back off ×1.5. Default 1.
    public var trackerFirstPoll = 1.0
    /// Longest pause between two status polls, in seconds. Default 30.
    public var trackerMaxPoll = 30.0
    /// Seconds an idle worker waits before looking at the outbox again (it is also woken by the planner).
    /// Default 1.
    public var pollInterval = 1.0
    /// Seconds subtracted from the first send time when looking for an instruction whose answer was lost
    /// (covers clock differences with SolarNetwork). Default 60.
    public var recoveryLookback = 60.0
    /// Send and sign `Digest: sha-256=…` on SolarNetwork requests with a body. Default false.
    public var signDigest = false
    /// Largest response body accepted from a partner, in bytes; a larger one is a transient failure.
    /// Default 16 777 216 (16 MiB).
    public var maxResponseBytes = 16 * 1_048_576
    /// Kept-alive connections per partner origin. Default 4; 0 closes each connection after its response.
    public var maxIdleConnections = 4
    /// Seconds an idle kept-alive connection is kept. Default 30.
    public var idleConnectionTimeout = 30.0
    /// A PEM file of trusted root certificates for https partners (a private CA); nil: the system store,
    /// which also honours `SSL_CERT_FILE`/`SSL_CERT_DIR`. Default nil.
    public var trustedCertificates: String?

    public init() {}

    init(_ source: ConfigObject) throws(ConfigError) {
        var o = source
        workers = try o.int("workers", default: workers, range: 1...64)
        maxAttempts = try o.int("maxAttempts", default: maxAttempts, range: 1...1_000)
        baseDelay = try o.seconds("baseDelay", default: baseDelay)
        maxDelay = try o.seconds("maxDelay", default: maxDelay)
        maxAge = try o.seconds("maxAge", default: maxAge)
        requestTimeout = try o.seconds("requestTimeout", default: requestTimeout)
        trackerDeadline = try o.seconds("trackerDeadline", default: trackerDeadline)
        trackerFirstPoll = try o.seconds("trackerFirstPoll", default: trackerFirstPoll)
        trackerMaxPoll = try o.seconds("trackerMaxPoll", default: trackerMaxPoll)
        pollInterval = try o.seconds("pollInterval", default: pollInterval)
        recoveryLookback = try o.seconds("recoveryLookback", default: recoveryLookback)
        signDigest = try o.bool("signDigest", default: signDigest)
        maxResponseBytes = try o.int("maxResponseBytes", default: maxResponseBytes, range: 1_024...1_073_741_824)
        maxIdleConnections = try o.int("maxIdleConnections", default: maxIdleConnections, range: 0...256)
        idleConnectionTimeout = try o.seconds("idleConnectionTimeout", default: idleConnectionTimeout)
        trustedCertificates = try o.string("trustedCertificates")
        if maxDelay < baseDelay {
            throw ConfigError(path: o.childPath("maxDelay"), message: "must be ≥ baseDelay")
        }
        if trackerMaxPoll < trackerFirstPoll {
            throw ConfigError(path: o.childPath("trackerMaxPoll"), message: "must be ≥ trackerFirstPoll")
        }
        if requestTimeout < 1 {
            // Below a second a partner's normal latency would already look like an outage.
            throw ConfigError(path: o.childPath("requestTimeout"), message: "must be at least 1 second")
        }
        for (key, value) in [("pollInterval", pollInterval),
                             ("trackerFirstPoll", trackerFirstPoll)] where value <= 0 {
            throw ConfigError(path: o.childPath(key), message: "must be greater than 0")
        }
        try o.finish()
    }
}
