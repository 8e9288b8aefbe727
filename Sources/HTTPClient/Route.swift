/// How one URL is reached: directly, or through a proxy (absolute-form for http, a tunnel for https).
struct Route {
    let url: ClientURL
    let proxy: ClientURL?

    var requestTarget: String { proxy != nil && url.scheme == .http ? url.absoluteForm : url.target }

    /// Connections are shared only between requests that would open the same one.
    var poolKey: String {
        guard let proxy else { return "\(url.scheme.rawValue)://\(url.hostAndPort)" }
        return url.scheme == .http ? "http-proxy://\(proxy.hostAndPort)"
                                   : "https://\(url.hostAndPort) via \(proxy.hostAndPort)"
    }
}
