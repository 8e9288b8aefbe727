import Testing
@testable import HTTPClient

/// URL splitting: the target is sent exactly as written, hosts are checked, ports and defaults are right.
struct ClientURLTests {
    @Test func splitsAnHTTPSURL() throws {
        let url = try ClientURL(parsing: "https://data.solarnetwork.net/solaruser/api/v1/sec/instr/add?nodeId=1&x=%2F#frag")
        #expect(url.scheme == .https)
        #expect(url.host == "data.solarnetwork.net")
        #expect(url.port == 443)
        #expect(url.target == "/solaruser/api/v1/sec/instr/add?nodeId=1&x=%2F")
        #expect(url.authority == "data.solarnetwork.net")
        #expect(url.hostAndPort == "data.solarnetwork.net:443")
        #expect(!url.isIPAddress)
    }

    @Test func keepsExplicitPortsAndIPv6Literals() throws {
        let local = try ClientURL(parsing: "http://127.0.0.1:8080")
        #expect(local.port == 8080)
        #expect(local.target == "/")
        #expect(local.authority == "127.0.0.1:8080")
        #expect(local.isIPAddress)
        let six = try ClientURL(parsing: "HTTPS://[::1]:8443?q=1")
        #expect(six.scheme == .https)
        #expect(six.host == "::1")
        #expect(six.target == "/?q=1")
        #expect(six.authority == "[::1]:8443")
        #expect(six.isIPAddress)
        let defaultPort = try ClientURL(parsing: "http://Example.COM:80/a")
        #expect(defaultPort.authority == "Example.COM")  // as written: signers sign the host they were given
        #expect(defaultPort.absoluteForm == "http://Example.COM/a")
    }

    @Test func userInfoIsSeparated() throws {
        let proxy = try ClientURL(parsing: "http://user:p%40ss@proxy.local:3128")
        #expect(proxy.userInfo == "user:p%40ss")
        #expect(proxy.host == "proxy.local")
        #expect(proxy.port == 3128)
    }

    @Test(arguments: [
        "data.solarnetwork.net/path", "ftp://host/", "http://", "http://:80/", "http://host:0/", "http://host:65536/",
        "http://host:8x/", "http://ho st/", "http://host\r\nX-Injected: 1/", "http://[::1/", "http://[zz]/",
        "http://host/a b", "http://host/\u{e9}", "http://host/\r\n",
    ])
    func refusesWhatCannotBeSentSafely(_ text: String) {
        #expect(throws: HTTPClientError.self) { try ClientURL(parsing: text) }
    }

    @Test func errorsDoNotEchoTheURL() {
        do {
            _ = try ClientURL(parsing: "http://host/?token=secret value")
            Issue.record("expected a failure")
        } catch {
            #expect(!error.description.contains("secret"))
        }
    }
}
