/// Which outbound requests go through an HTTP proxy, read the way curl and most tools read the
/// environment: `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy` for http URLs (lower case only,
/// as curl does, because CGI puts request headers into `HTTP_*` variables), `all_proxy`/`ALL_PROXY` for
/// both, and `no_proxy`/`NO_PROXY` for exceptions.
///
/// https requests are tunnelled with `CONNECT` (the TLS session and certificate checks stay end to end);
/// http requests are sent in absolute form. Loopback hosts never use a proxy.
public struct ProxySettings: Sendable, Equatable {
    public var httpProxy: ClientURL?
    public var httpsProxy: ClientURL?
    /// Lower-cased host names, domain suffixes and IP literals that bypass the proxy; `*` bypasses all.
    public var noProxy: [String]
    /// Set when a variable holds something unusable: every request that would need it fails with this
    /// text rather than silently going direct.
    public var problem: String?

    public static let none = ProxySettings()

    public init(httpProxy: ClientURL? = nil, httpsProxy: ClientURL? = nil, noProxy: [String] = [], problem: String? = nil) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
        self.problem = problem
    }

    public static func fromEnvironment(_ environment: [String: String]) -> ProxySettings {
        func value(_ names: String...) -> (String, String)? {
            for name in names {
                if let text = environment[name]?.trimmingOWS(), !text.isEmpty { return (name, text) }
            }
            return nil
        }
        var settings = ProxySettings()
        func parse(_ entry: (String, String)?) -> ClientURL? {
            guard let (name, text) = entry else { return nil }
            let withScheme = text.contains("://") ? text : "http://" + text
            guard withScheme.lowercased().hasPrefix("http://") else {
                settings.problem = "\(name) must be an http:// proxy URL (https and SOCKS proxies are not supported)"
                return nil
            }
            guard let url = try? ClientURL(parsing: withScheme) else {
                settings.problem = "\(name) is not a valid proxy URL"
                return nil
            }
            return url
        }
        let all = value("all_proxy", "ALL_PROXY")
        settings.httpProxy = parse(value("http_proxy") ?? all)
        settings.httpsProxy = parse(value("https_proxy", "HTTPS_PROXY") ?? all)
        if let (_, list) = value("no_proxy", "NO_PROXY") {
            settings.noProxy = list.split(separator: ",").map { entry in
                var item = String(entry).trimmingOWS().lowercased()
                if item.hasPrefix("*.") { item.removeFirst(2) }
                if item.hasPrefix(".") { item.removeFirst() }
                if item.hasPrefix("["), item.hasSuffix("]") { item = String(item.dropFirst().dropLast()) }
                return item
            }.filter { !$0.isEmpty }
        }
        return settings
    }

    /// The proxy to use for `url`, or nil to connect directly.
    func proxy(for url: ClientURL) throws(HTTPClientError) -> ClientURL? {
        let proxy = url.scheme == .https ? httpsProxy : httpProxy
        guard proxy != nil || problem != nil else { return nil }
        if Self.isLoopback(url.host) || bypasses(url.host) { return nil }
        if let problem { throw .proxy(problem) }
        return proxy
    }

    private func bypasses(_ host: String) -> Bool {
        let host = host.lowercased()
        return noProxy.contains { entry in
            entry == "*" || host == entry || host.hasSuffix("." + entry)
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1"
    }
}
