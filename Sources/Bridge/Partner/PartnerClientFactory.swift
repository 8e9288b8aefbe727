import EnergyCoordination
import Essentials
import FoundationEssentials

/// Builds the Energy Coordination client from the `energyCoordination` configuration section, resolving
/// the client secret and sending through `OutboundHTTPClient` (no redirects, timeouts).
///
/// Why one place: the CLI verbs, the sync worker and the reporter must authenticate the same way.
public enum PartnerClientFactory {
    /// A missing section is reported with the key to add.
    public static func settings(_ configuration: BridgeConfiguration) throws -> EnergyCoordinationSettings {
        guard let settings = configuration.energyCoordination else {
            throw CLIError("no 'energyCoordination' section in the configuration (baseUrl, tokenUrl, clientId, clientSecret)")
        }
        return settings
    }

    public static func client(_ settings: EnergyCoordinationSettings,
                              environment: [String: String] = ProcessInfo.processInfo.environment,
                              http: OutboundHTTPClient = OutboundHTTPClient(timeout: 30)) throws -> EnergyCoordinationClient {
        guard let baseURL = URL(string: settings.baseUrl), baseURL.scheme != nil, baseURL.host != nil else {
            throw ConfigError(path: "energyCoordination.baseUrl", message: "not an absolute URL")
        }
        let tokenText = settings.tokenUrl ?? ClientCredentials.defaultTokenURL
        guard let tokenURL = URL(string: tokenText), tokenURL.scheme != nil, tokenURL.host != nil else {
            throw ConfigError(path: "energyCoordination.tokenUrl", message: "not an absolute URL")
        }
        guard let clientId = settings.clientId, !clientId.isEmpty else {
            throw ConfigError(path: "energyCoordination.clientId", message: "required to call the API")
        }
        guard let reference = settings.clientSecret else {
            throw ConfigError(path: "energyCoordination.clientSecret", message: "required to call the API")
        }
        let secret: String
        do {
            secret = try reference.resolve(environment: environment)
        } catch {
            throw ConfigError(path: "energyCoordination.clientSecret", message: error.message)
        }
        let configuration = EnergyCoordinationClient.Configuration(
            baseURL: baseURL, credentials: ClientCredentials(tokenURL: tokenURL, clientId: clientId, clientSecret: secret),
            apiVersion: APIVersion(rawValue: settings.apiVersion) ?? .v1)
        return EnergyCoordinationClient(configuration: configuration, transport: transport(http))
    }

    /// `OutboundHTTPClient` as the client's transport.
    public static func transport(_ http: OutboundHTTPClient) -> APITransport {
        { request in
            let response = try http.send(method: request.method, url: request.url, headers: request.headers, body: request.body)
            return APIResponse(status: response.status, headers: response.headers.map { ($0.key, $0.value) }, body: response.body)
        }
    }
}
