import EnergyCoordination
import Essentials
import FoundationEssentials

/// `doctor`'s Energy Coordination section: an OAuth2 token can be obtained with the configured client.
///
/// Why only the token: it proves the token URL, client id and secret together, costs one request, and
/// changes nothing on the partner side; reports and `events sync` fail without it.
enum EnergyCoordinationCheck {
    static let group = "energy-coordination"

    static func run(_ configuration: BridgeConfiguration, options: DoctorOptions, failedSecrets: Set<String>) -> DoctorCheck {
        let name = "energyCoordination"
        guard let settings = configuration.energyCoordination else {
            return DoctorCheck(group: group, name: name, status: .skipped,
                               reason: "not configured (reports and the partner verbs need this section)")
        }
        if options.offline {
            return DoctorCheck(group: group, name: name, status: .skipped, reason: "--offline: token not requested")
        }
        if failedSecrets.contains("energyCoordination.clientSecret") {
            return DoctorCheck(group: group, name: name, status: .skipped, reason: "energyCoordination.clientSecret does not resolve")
        }
        let client: EnergyCoordinationClient
        do {
            client = try PartnerClientFactory.client(settings, environment: options.environment,
                                                     http: OutboundHTTPClient(timeout: options.callTimeout))
        } catch let error as ConfigError {
            return DoctorCheck(group: group, name: error.path.isEmpty ? name : error.path, status: .fail, reason: error.message)
        } catch {
            return DoctorCheck(group: group, name: name, status: .fail, reason: "\(error)")
        }
        let tokenURL = client.configuration.credentials.tokenURL
        do {
            _ = try client.tokens.accessToken()
            return DoctorCheck(group: group, name: name, status: .pass,
                               reason: "token obtained from \(tokenURL.host ?? tokenURL.absoluteString) for client \(client.configuration.credentials.clientId)")
        } catch {
            return DoctorCheck(group: group, name: name, status: .fail, reason: "no token from \(tokenURL.absoluteString): \(error)")
        }
    }
}
