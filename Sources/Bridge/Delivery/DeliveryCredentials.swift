import Essentials
import SmartCharging
import SolarNetwork

/// The secrets the channels need, resolved once at start-up: the SolarNetwork token pair and each direct
/// target's `Authorization: Token` value, by target key.
///
/// Why resolved up front: a missing environment variable or file fails `serve` at once with the key path,
/// not hours later on the first delivery. Its description shows no secret.
struct DeliveryCredentials: Sendable, CustomStringConvertible {
    var solarNetwork: SNWS2Credentials?
    private var tokens: [String: String]

    init(solarNetwork: SNWS2Credentials?, tokens: [String: String]) {
        self.solarNetwork = solarNetwork
        self.tokens = tokens
    }

    /// The token for a direct OSCP or GreenFlux target (`TargetConfig.key`).
    func token(forTarget key: String) -> String? { tokens[key] }

    var description: String { "DeliveryCredentials(solarNetwork: \(solarNetwork != nil), targets: \(tokens.count))" }

    static func resolve(_ configuration: BridgeConfiguration, registry: TargetRegistry,
                        environment: [String: String]) throws(ConfigError) -> DeliveryCredentials {
        var solarNetwork: SNWS2Credentials?
        if let settings = configuration.solarNetwork, let token = settings.token, let secret = settings.secret {
            do {
                solarNetwork = SNWS2Credentials(token: token, secret: try secret.resolve(environment: environment))
            } catch {
                throw ConfigError(path: "solarNetwork.secret", message: error.message)
            }
        }
        var tokens: [String: String] = [:]
        for (index, target) in registry.targets.enumerated() {
            let reference: SecretReference
            switch target.settings {
            case let .oscp(settings): reference = settings.token
            case let .greenFlux(settings): reference = settings.token
            case .solarNetworkOCPP, .solarNetworkOSCP: continue
            }
            do {
                tokens[target.key] = try reference.resolve(environment: environment)
            } catch {
                throw ConfigError(path: "targets[\(index)].token", message: error.message)
            }
        }
        return DeliveryCredentials(solarNetwork: solarNetwork, tokens: tokens)
    }
}
