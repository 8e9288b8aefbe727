import EnergyCoordination
import Essentials
import FoundationEssentials
import WebhookAuth

/// What the `subscriptions`, `resources` and `events` verbs share: the client from the configuration,
/// comma lists, and webhook secret generation.
enum PartnerCommandSupport {
    /// The configuration and a client for its `energyCoordination` section (a clear error when missing).
    static func client(_ arguments: CommandLineArguments) throws -> (BridgeConfiguration, EnergyCoordinationClient) {
        let configuration = try ECBridgeCLI.configuration(arguments)
        let settings = try PartnerClientFactory.settings(configuration)
        return (configuration, try PartnerClientFactory.client(settings))
    }

    /// `a,b , c` → `["a", "b", "c"]`; nil when the option is absent.
    static func list(_ arguments: CommandLineArguments, _ name: String) -> [String]? {
        arguments.value(name).map { text in
            text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        }
    }

    /// The single ID after the subcommand.
    static func id(_ arguments: CommandLineArguments, _ subcommand: String) throws -> String {
        guard arguments.positionals.count == 2, !arguments.positionals[1].isEmpty else {
            throw CLIError.usage("expected '\(subcommand) ID'")
        }
        return arguments.positionals[1]
    }

    static func noExtraPositionals(_ arguments: CommandLineArguments) throws {
        if arguments.positionals.count > 1 { throw CLIError.usage("unexpected argument \(arguments.positionals[1])") }
    }

    /// Bytes of a generated webhook secret.
    static let generatedSecretBytes = 32

    /// 32 bytes from the system CSPRNG as unpadded URL-safe Base64 (43 characters, no quoting needed in
    /// JSON or a shell).
    static func generateSecret() throws -> String {
        let bytes = try SecureRandom.bytes(generatedSecretBytes)
        return Base64.encode(bytes).replacingLiteral("+", with: "-").replacingLiteral("/", with: "_")
            .replacingLiteral("=", with: "")
    }

    /// Where a generated secret goes: printed once, with the configuration snippet that reads it from an
    /// environment variable.
    static func secretInstructions(_ secret: String, webhookURL: String?) -> String {
        let path = webhookURL.flatMap { URL(string: $0)?.path }.flatMap { $0.isEmpty ? nil : $0 } ?? "/webhooks/energy-coordination"
        return """
        webhook secret (shown once, store it now): \(secret)
        configure ecbridge to verify it, e.g. through an environment variable:
          export ECBRIDGE_WEBHOOK_SECRET='\(secret)'
          "webhooks": [ { "path": "\(path)", "scheme": "spark", "secrets": [ { "env": "ECBRIDGE_WEBHOOK_SECRET" } ] } ]
        """
    }
}
