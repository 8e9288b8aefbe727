import Synchronization

/// A blocking HTTP/1.1 client over our own sockets and OpenSSL, for every outbound call ecbridge makes
/// (SolarNetwork, OSCP, GreenFlux, the Energy Coordination API, replays).
///
/// Why our own: URLSession on Linux drags in libcurl and its dependency tree (several MiB of resident
/// memory for an idle service) and hides the wire details a signed request depends on. This client sends
/// the target exactly as given, never follows redirects (a 3xx is an answer: following it could carry a
/// signed request to another host), bounds every request by one deadline and every answer by limits,
/// verifies certificates and host names, keeps connections alive per origin, and honours proxy settings.
///
/// Any HTTP status is a response; only "no usable answer" throws.
public final class HTTPClient: Sendable {
    public let options: HTTPClientOptions
    private let pool: ConnectionPool
    /// Built on the first https request: loading the trust store costs time and memory a plain-HTTP
    /// or idle process never needs.
    private let tlsContext = Mutex<TLSClientContext?>(nil)

    public init(options: HTTPClientOptions = HTTPClientOptions()) {
        self.options = options
        pool = ConnectionPool(maxIdlePerKey: options.maxIdleConnectionsPerOrigin,
                              idleTimeout: options.idleConnectionTimeout)
    }

    /// Idle kept-alive connections (tests, diagnostics).
    public var idleConnectionCount: Int { pool.idleCount }

    /// Sends one request and reads the whole response.
    public func send(method: String, url: ClientURL, headers: [(String, String)] = [],
                     body: [UInt8]? = nil) throws(HTTPClientError) -> HTTPClientResponse {
        let deadline = Deadline.after(seconds: options.timeout)
        let proxy = try options.proxy.proxy(for: url)
        let route = Route(url: url, proxy: proxy)
        var proxyFields: [(String, String)] = []
        if let proxy, url.scheme == .http, let credentials = proxy.userInfo {
            proxyFields.append(("Proxy-Authorization", "Basic " + ProxyCredentials.base64(credentials)))
        }
        let head = try RequestHead.serialize(method: method, target: route.requestTarget, authority: url.authority,
                                             headers: headers, bodyCount: body?.count, userAgent: options.userAgent,
                                             extra: proxyFields)
        var retriedStale = false
        while true {
            let pooled = retriedStale ? nil : pool.checkout(route.poolKey)
            let stream: any ClientStream
            if let pooled { stream = pooled } else { stream = try open(route, deadline: deadline) }
            var progress = ExchangeProgress()
            do {
                let outcome = try exchange(stream, head: head, body: body, method: method, host: url.host,
                                           deadline: deadline, progress: &progress)
                if outcome.keepAlive { pool.checkin(stream, key: route.poolKey) } else { stream.close() }
                return outcome.response
            } catch {
                stream.close()
                // A kept-alive connection the peer closed while it sat idle fails before any answer byte. The
                // request goes once more on a new connection (never another pooled one) only if that cannot
                // act twice: it was not completely sent, or its method is idempotent (RFC 9110 §9.2.2). A POST
                // that was sent may have been processed; the caller's lost-answer handling decides then.
                let safeToRepeat = !progress.sent || Self.idempotentMethods.contains(method)
                if pooled != nil, !progress.answered, safeToRepeat, !retriedStale, error.isStaleConnectionSymptom {
                    retriedStale = true
                    continue
                }
                throw error
            }
        }
    }

    // MARK: - Exchange

    /// Methods whose repetition has the same effect as one request (RFC 9110 §9.2.2).
    static let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]

    /// How far one exchange got before it failed.
    private struct ExchangeProgress {
        /// Every byte of the request was handed to the connection.
        var sent = false
        /// At least one byte of an answer arrived.
        var answered = false
    }

    private func exchange(_ stream: any ClientStream, head: [UInt8], body: [UInt8]?, method: String, host: String,
                          deadline: Deadline, progress: inout ExchangeProgress) throws(HTTPClientError) -> ResponseReader.Outcome {
        if let body, !body.isEmpty, body.count <= 65_536 {
            try stream.write(head + body, deadline: deadline)
        } else {
            try stream.write(head, deadline: deadline)
            if let body, !body.isEmpty { try stream.write(body, deadline: deadline) }
        }
        progress.sent = true
        var source = StreamSource(stream: stream, deadline: deadline)
        var reader = ResponseReader(host: host, limits: options.limits)
        defer { progress.answered = reader.receivedAny }
        return try reader.readResponse(from: &source, method: method)
    }

    // MARK: - Connecting

    private func open(_ route: Route, deadline: Deadline) throws(HTTPClientError) -> any ClientStream {
        let url = route.url
        guard let proxy = route.proxy else {
            let descriptor = try SocketConnector.connect(host: url.host, port: url.port, deadline: deadline)
            guard url.scheme == .https else { return PlainClientStream(fileDescriptor: descriptor, host: url.host) }
            return try TLSClientStream(fileDescriptor: descriptor, url: url, context: tls(), deadline: deadline)
        }
        let descriptor: Int32
        do {
            descriptor = try SocketConnector.connect(host: proxy.host, port: proxy.port, deadline: deadline)
        } catch {
            throw .proxy("cannot reach the proxy for \(url.host): \(error)")
        }
        let tunnel = PlainClientStream(fileDescriptor: descriptor, host: proxy.host)
        guard url.scheme == .https else { return tunnel }
        try establishTunnel(tunnel, to: url, proxy: proxy, deadline: deadline)
        return try TLSClientStream(fileDescriptor: tunnel.detach(), url: url, context: tls(), deadline: deadline)
    }

    /// `CONNECT host:port` through the proxy; any answer but 2xx (407, 403, 502…) is a proxy error.
    private func establishTunnel(_ tunnel: PlainClientStream, to url: ClientURL, proxy: ClientURL,
                                 deadline: Deadline) throws(HTTPClientError) {
        var text = "CONNECT \(url.hostAndPort) HTTP/1.1\r\nHost: \(url.hostAndPort)\r\n"
        if let userAgent = options.userAgent { text += "User-Agent: \(userAgent)\r\n" }
        if let credentials = proxy.userInfo { text += "Proxy-Authorization: Basic \(ProxyCredentials.base64(credentials))\r\n" }
        text += "\r\n"
        do throws(HTTPClientError) {
            try tunnel.write(Array(text.utf8), deadline: deadline)
            var source = StreamSource(stream: tunnel, deadline: deadline)
            var reader = ResponseReader(host: proxy.host, limits: options.limits)
            let outcome = try reader.readResponse(from: &source, method: "CONNECT")
            guard (200 ..< 300).contains(outcome.response.status) else {
                throw HTTPClientError.proxy("the proxy refused the tunnel to \(url.hostAndPort) with status \(outcome.response.status)")
            }
        } catch {
            tunnel.close()
            if case .proxy = error { throw error }
            throw .proxy("tunnel to \(url.hostAndPort) failed: \(error)")
        }
    }

    private func tls() throws(HTTPClientError) -> TLSClientContext {
        try tlsContext.withLock { context throws(HTTPClientError) in
            if let context { return context }
            let made = try TLSClientContext(trust: options.trust)
            context = made
            return made
        }
    }
}
