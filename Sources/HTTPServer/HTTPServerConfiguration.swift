import CSystem
import FoundationEssentials

/// Every limit and timeout of the listener in one place, so operators can tune them and tests can shrink them.
/// The defaults are safe for a public-facing webhook receiver.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind (numeric IPv4 or IPv6, or a resolvable name).
    public var host: String = "127.0.0.1"
    /// TCP port; 0 asks the kernel for an ephemeral port (see `HTTPServer.start()`).
    public var port: Int = 8080
    /// Request line plus all header lines, CRLFs included. Exceeding it answers 431.
    public var maxHeaderBytes = 16_384
    /// Number of header fields. Exceeding it answers 431.
    public var maxHeaderCount = 100
    /// Largest accepted body (Content-Length or chunked total). Exceeding it answers 413 at once and closes.
    public var maxBodyBytes = 1_048_576
    /// Longest chunk-size line (size plus chunk extensions). Exceeding it answers 400.
    public var maxChunkLineBytes = 4_096
    /// Seconds from the first byte of a request until its body is complete; then 408 and close.
    public var requestReadTimeout: Double = 10
    /// Seconds a keep-alive connection may sit between requests before it is closed silently.
    public var idleTimeout: Double = 60
    /// Seconds a response may wait for the peer to accept its bytes before the connection is dropped.
    public var writeTimeout: Double = 30
    /// After an error response, seconds spent discarding what the client still sends before closing
    /// (so the client reads the response instead of a TCP reset).
    public var lingerTimeout: Double = 2
    /// After an error response, at most this many bytes are discarded before the connection is closed.
    public var lingerMaxBytes = 262_144
    /// Open connections across all event loops; beyond it a new connection gets a 503 and is closed.
    public var maxConnections = 1024
    /// Event-loop threads, each with its own epoll instance and SO_REUSEPORT listening socket. Default: one
    /// per CPU the process may run on (its affinity mask, so `taskset -c 0` or a one-CPU cpuset gives one
    /// loop instead of several competing for the same core).
    public var eventLoopCount = HTTPServerConfiguration.availableProcessors
    /// listen(2) backlog per listening socket.
    public var backlog = 1024
    /// TLS for every connection (certificate, key and policy); nil serves plain HTTP. The handshake counts
    /// against `requestReadTimeout`. See `HTTPServer.reloadTLS(_:)` for certificate rotation.
    public var tls: TLSServerContext?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxHeaderBytes: Int = 16_384,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1_048_576,
        maxChunkLineBytes: Int = 4_096,
        requestReadTimeout: Double = 10,
        idleTimeout: Double = 60,
        writeTimeout: Double = 30,
        lingerTimeout: Double = 2,
        lingerMaxBytes: Int = 262_144,
        maxConnections: Int = 1024,
        eventLoopCount: Int = HTTPServerConfiguration.availableProcessors,
        backlog: Int = 1024,
        tls: TLSServerContext? = nil
    ) {
        self.host = host
        self.port = port
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
        self.requestReadTimeout = requestReadTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.lingerTimeout = lingerTimeout
        self.lingerMaxBytes = lingerMaxBytes
        self.maxConnections = maxConnections
        self.eventLoopCount = eventLoopCount
        self.backlog = backlog
        self.tls = tls
    }

    /// The parser's share of the settings.
    var parserLimits: HTTPParserLimits {
        HTTPParserLimits(maxHeaderBytes: max(64, maxHeaderBytes), maxHeaderCount: max(1, maxHeaderCount),
                         maxBodyBytes: max(0, maxBodyBytes), maxChunkLineBytes: max(8, maxChunkLineBytes))
    }
}

extension HTTPServerConfiguration {
    /// CPUs this process may run on (at least 1).
    public static var availableProcessors: Int {
        #if os(Linux)
        return Int(ecb_available_cpus())
        #else
        return ProcessInfo.processInfo.activeProcessorCount
        #endif
    }
}
