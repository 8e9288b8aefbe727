import Essentials
import FoundationEssentials
import SolarNetwork

/// Builds a `SolarNetworkClient` from the `solarNetwork` configuration section, resolving the token
/// secret and sending through `OutboundHTTPClient` (no redirects, bounded by a timeout).
///
/// Why one place: `doctor` and the read-only `ecbridge solarnetwork …` verbs must sign and classify
/// exactly as delivery does, and report a missing key by its path.
public enum SolarNetworkClientFactory {
    /// The client, or a `ConfigError` naming the key to fix (`solarNetwork`, `solarNetwork.token`,
    /// `solarNetwork.secret`, `solarNetwork.baseUrl`). The error never holds the secret.
    public static func client(_ configuration: BridgeConfiguration,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              timeout: Double) throws(ConfigError) -> SolarNetworkClient {
        guard let settings = configuration.solarNetwork else {
            throw ConfigError(path: "solarNetwork", message: "no 'solarNetwork' section in the configuration (baseUrl, token, secret)")
        }
        guard let url = URL(string: settings.baseUrl), let scheme = url.scheme?.lowercased(),
              ["http", "https"].contains(scheme), url.host != nil else {
            throw ConfigError(path: "solarNetwork.baseUrl", message: "not an absolute http(s) URL")
        }
        guard let token = settings.token, !token.isEmpty else {
            throw ConfigError(path: "solarNetwork.token", message: "required to call SolarNetwork")
        }
        guard let reference = settings.secret else {
            throw ConfigError(path: "solarNetwork.secret", message: "required to call SolarNetwork")
        }
        let secret: String
        do {
            secret = try reference.resolve(environment: environment)
        } catch {
            throw ConfigError(path: "solarNetwork.secret", message: error.message)
        }
        return SolarNetworkClient(baseURL: settings.baseUrl, credentials: SNWS2Credentials(token: token, secret: secret),
                                  transport: transport(OutboundHTTPClient(timeout: timeout)),
                                  digest: configuration.delivery.signDigest)
    }

    /// `OutboundHTTPClient` as the client's transport.
    public static func transport(_ http: OutboundHTTPClient) -> SolarNetworkClientTransport {
        { method, url, headers, body throws in
            let response = try http.send(method: method, url: url, headers: headers, body: body)
            return SolarNetworkHTTPResponse(status: response.status, headers: response.headers.map { ($0.key, $0.value) },
                                            body: response.body)
        }
    }
}
