import Essentials

/// Where and how the webhook listener runs, with every HTTP limit (defaults in the README).
public struct ListenSettings: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var maxHeaderBytes = 16_384
    public var maxHeaderCount = 100
    public var maxBodyBytes = 1_048_576
    public var requestReadTimeout = 10.0
    public var idleTimeout = 60.0
    public var writeTimeout = 30.0
    public var maxConnections = 1024
    public var maxChunkLineBytes = 4096
    public var lingerTimeout = 2.0
    public var lingerMaxBytes = 262_144
    public var backlog = 1024
    /// Event-loop threads; 0 = one per core.
    public var eventLoops = 0
    /// Seconds `serve` waits for in-flight requests on SIGTERM/SIGINT.
    public var drainTimeout = 10.0
    public var tls: TLSSettings?

    public init() {}

    init(_ source: ConfigObject) throws(ConfigError) {
        var o = source
        host = try o.string("host") ?? host
        port = try o.int("port", default: port, range: 0...65_535)
        maxHeaderBytes = try o.int("maxHeaderBytes", default: maxHeaderBytes, range: 1_024...1_048_576)
        maxHeaderCount = try o.int("maxHeaderCount", default: maxHeaderCount, range: 1...10_000)
        maxBodyBytes = try o.int("maxBodyBytes", default: maxBodyBytes, range: 1...1_073_741_824)
        requestReadTimeout = try o.seconds("requestReadTimeout", default: requestReadTimeout)
        idleTimeout = try o.seconds("idleTimeout", default: idleTimeout)
        writeTimeout = try o.seconds("writeTimeout", default: writeTimeout)
        maxConnections = try o.int("maxConnections", default: maxConnections, range: 1...1_000_000)
        maxChunkLineBytes = try o.int("maxChunkLineBytes", default: maxChunkLineBytes, range: 64...1_048_576)
        lingerTimeout = try o.seconds("lingerTimeout", default: lingerTimeout)
        lingerMaxBytes = try o.int("lingerMaxBytes", default: lingerMaxBytes, range: 0...1_073_741_824)
        backlog = try o.int("backlog", default: backlog, range: 1...65_535)
        eventLoops = try o.int("eventLoops", default: eventLoops, range: 0...256)
        drainTimeout = try o.seconds("drainTimeout", default: drainTimeout)
        if var t = try o.object("tls") {
            let certificate = try t.requiredString("certificate")
            let privateKey = try t.requiredString("privateKey")
            try t.finish()
            tls = TLSSettings(certificate: certificate, privateKey: privateKey)
        }
        try o.finish()
    }
}

/// PEM files for TLS on the listener.
public struct TLSSettings: Sendable, Equatable {
    public var certificate: String
    public var privateKey: String
}
