import Testing
@testable import HTTPClient

/// Proxy variables are read the way curl reads them; loopback and `no_proxy` hosts go direct.
struct ProxySettingsTests {
    @Test func readsTheUsualVariables() throws {
        let settings = ProxySettings.fromEnvironment([
            "https_proxy": "http://user:pw@proxy.corp:3128", "http_proxy": "proxy.corp:8080",
            "no_proxy": " .internal.example, *.lan ,10.0.0.7,[fd00::1]",
        ])
        #expect(settings.httpsProxy?.hostAndPort == "proxy.corp:3128")
        #expect(settings.httpsProxy?.userInfo == "user:pw")
        #expect(settings.httpProxy?.hostAndPort == "proxy.corp:8080")
        #expect(settings.noProxy == ["internal.example", "lan", "10.0.0.7", "fd00::1"])
        #expect(try settings.proxy(for: ClientURL(parsing: "https://data.solarnetwork.net/"))?.host == "proxy.corp")
        #expect(try settings.proxy(for: ClientURL(parsing: "http://data.solarnetwork.net/"))?.port == 8080)
        #expect(try settings.proxy(for: ClientURL(parsing: "https://api.internal.example/")) == nil)
        #expect(try settings.proxy(for: ClientURL(parsing: "https://internal.example/")) == nil)
        #expect(try settings.proxy(for: ClientURL(parsing: "https://notinternal.example/")) != nil)
        #expect(try settings.proxy(for: ClientURL(parsing: "https://box.lan/")) == nil)
        #expect(try settings.proxy(for: ClientURL(parsing: "http://10.0.0.7:9/")) == nil)
        #expect(try settings.proxy(for: ClientURL(parsing: "http://[fd00::1]:9/")) == nil)
    }

    @Test func loopbackNeverUsesAProxy() throws {
        let settings = ProxySettings.fromEnvironment(["all_proxy": "http://proxy:1"])
        for url in ["http://127.0.0.1:9/", "http://localhost/", "https://[::1]/", "http://a.localhost/"] {
            #expect(try settings.proxy(for: ClientURL(parsing: url)) == nil, "\(url)")
        }
        #expect(try settings.proxy(for: ClientURL(parsing: "http://example.com/")) != nil)
    }

    @Test func upperCaseHTTPProxyIsIgnoredLikeCurl() throws {
        let settings = ProxySettings.fromEnvironment(["HTTP_PROXY": "http://attacker:1", "HTTPS_PROXY": "http://proxy:2"])
        #expect(settings.httpProxy == nil)
        #expect(settings.httpsProxy?.port == 2)
    }

    @Test func unusableProxiesFailInsteadOfGoingDirect() throws {
        let settings = ProxySettings.fromEnvironment(["https_proxy": "socks5://proxy:1080", "no_proxy": "direct.example"])
        #expect(settings.problem != nil)
        #expect(throws: HTTPClientError.self) { try settings.proxy(for: ClientURL(parsing: "https://example.com/")) }
        #expect(try settings.proxy(for: ClientURL(parsing: "https://direct.example/")) == nil)
    }

    @Test func credentialsArePercentDecodedIntoBasic() {
        #expect(ProxyCredentials.base64("user:p%40ss") == "dXNlcjpwQHNz")
        #expect(ProxyCredentials.base64("a:") == "YTo=")
    }
}
