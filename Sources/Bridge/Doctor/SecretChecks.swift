import Essentials
import SmartCharging

/// `doctor`'s secrets section: every configured secret must resolve (inline, environment variable or
/// file), reported by its key path.
///
/// Why before anything else: a missing variable fails `serve` at start-up or, worse, the first delivery
/// hours later; naming `targets[2].token` points at the fix. Values are resolved and dropped at once —
/// only their source (`environment variable X`) ever appears in a reason.
enum SecretChecks {
    static let group = "secrets"

    /// Every secret reference in the configuration with its key path, in document order.
    static func references(_ configuration: BridgeConfiguration, registry: TargetRegistry) -> [(path: String, reference: SecretReference)] {
        var found: [(String, SecretReference)] = []
        for (index, hook) in configuration.webhooks.enumerated() {
            for (secretIndex, secret) in hook.secrets.enumerated() {
                found.append(("webhooks[\(index)].secrets[\(secretIndex)]", secret))
            }
        }
        if let secret = configuration.solarNetwork?.secret { found.append(("solarNetwork.secret", secret)) }
        if let secret = configuration.energyCoordination?.clientSecret { found.append(("energyCoordination.clientSecret", secret)) }
        for (index, target) in registry.targets.enumerated() {
            switch target.settings {
            case let .oscp(settings): found.append(("targets[\(index)].token", settings.token))
            case let .greenFlux(settings): found.append(("targets[\(index)].token", settings.token))
            case .solarNetworkOCPP, .solarNetworkOSCP: continue
            }
        }
        return found
    }

    /// One check per secret; `failedPaths` collects the key paths that did not resolve.
    static func run(_ configuration: BridgeConfiguration, registry: TargetRegistry, environment: [String: String],
                    failedPaths: inout Set<String>) -> [DoctorCheck] {
        let references = references(configuration, registry: registry)
        guard !references.isEmpty else {
            return [DoctorCheck(group: group, name: "secrets", status: .skipped, reason: "no secrets configured")]
        }
        return references.map { path, reference in
            do throws(ConfigError) {
                _ = try reference.resolve(environment: environment)
                return DoctorCheck(group: group, name: path, status: .pass, reason: source(reference) + " resolves")
            } catch {
                failedPaths.insert(path)
                return DoctorCheck(group: group, name: path, status: .fail, reason: Self.reason(error.message))
            }
        }
    }

    /// Where a secret comes from, without its value.
    static func source(_ reference: SecretReference) -> String {
        switch reference {
        case .inline: return "inline value"
        case let .environment(name): return "environment variable \(name)"
        case let .file(path): return "file \(path)"
        }
    }

    /// `SecretReference`'s message without its `secret: ` prefix.
    private static func reason(_ message: String) -> String {
        message.hasPrefix("secret: ") ? String(message.dropFirst("secret: ".count)) : message
    }
}
