import Essentials
import FoundationEssentials
import SmartCharging

/// `ecbridge doctor`: checks a loaded configuration against the machine and the live systems before a
/// deploy — secrets resolve, the store opens, the listen address is free, SolarNetwork and Energy
/// Coordination authenticate, and every SolarNetwork target points at entities that accept instructions.
///
/// Why a separate pass over the configuration: `serve` fails fast on its own errors but cannot know that
/// a charger was disabled or a capacity group re-linked on the SolarNetwork side; those only show up as
/// declined instructions hours later. Every network call is a read and bounded by `callTimeout`.
public struct Doctor: Sendable {
    public let configuration: BridgeConfiguration
    public let options: DoctorOptions
    /// Where the configuration came from, for the first line (`ecbridge.json`, `built-in defaults`).
    public let source: String

    public init(configuration: BridgeConfiguration, options: DoctorOptions = DoctorOptions(), source: String = "configuration") {
        self.configuration = configuration
        self.options = options
        self.source = source
    }

    /// The report of a configuration that did not load: one failing line naming the key path.
    public static func report(loadFailure error: ConfigError, source: String) -> DoctorReport {
        DoctorReport(checks: [DoctorCheck(group: "configuration", name: error.path.isEmpty ? "configuration" : error.path,
                                          status: .fail, reason: "\(source) does not load: \(error.message)")])
    }

    /// Runs every check, in checklist order.
    public func run() -> DoctorReport {
        let registry: TargetRegistry
        do {
            registry = try configuration.targetRegistry()
        } catch {
            return Self.report(loadFailure: error, source: source)
        }
        var checks: [DoctorCheck] = [
            DoctorCheck(group: "configuration", name: "configuration", status: .pass,
                        reason: "\(source) loads: \(plural(configuration.webhooks.count, "webhook path")), \(plural(registry.targets.count, "target"))"),
        ]
        if configuration.webhooks.isEmpty {
            checks.append(DoctorCheck(group: "configuration", name: "webhooks", status: .warning,
                                      reason: "no webhook paths: serve will accept no notifications"))
        }
        var failedSecrets = Set<String>()
        checks += SecretChecks.run(configuration, registry: registry, environment: options.environment, failedPaths: &failedSecrets)
        checks.append(StoreCheck.run(configuration.store))
        checks += ListenCheck.run(configuration.listen)
        checks += SolarNetworkChecks.run(configuration, registry: registry, options: options, failedSecrets: failedSecrets)
        checks.append(EnergyCoordinationCheck.run(configuration, options: options, failedSecrets: failedSecrets))
        checks += DirectTargetChecks.run(registry)
        return DoctorReport(checks: checks)
    }

    private func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
