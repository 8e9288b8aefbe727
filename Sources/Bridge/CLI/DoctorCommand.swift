import Essentials
import FoundationEssentials

/// `ecbridge doctor`: the pre-flight checklist (design.md §4.1). Exits 1 when any check fails.
enum DoctorCommand {
    static let usage = """
    usage: ecbridge doctor [--config FILE] [--offline] [--json] [--timeout SECONDS]

    Checks the configuration before a deploy and prints a checklist (✓ pass, ✗ fail, ! warning, – skipped):
      secrets      every webhook, SolarNetwork, Energy Coordination and target secret resolves (by key path)
      store        the store opens and migrates, or its directory is writable when it does not exist yet
      listen       listen.host:listen.port can be bound (in use = warning: perhaps a running serve)
      solarnetwork the token authenticates; each solarnetwork-ocpp target's charger exists, is enabled,
                   Accepted and on the target's node; each solarnetwork-oscp target's capacity group
                   exists, is enabled and linked to the configured, enabled optimizer
      energy-coordination  an OAuth2 token can be obtained
      targets      direct oscp/greenflux base URLs parse (not contacted)
    --offline skips the network checks. --timeout bounds each call (default 10 s). Only reads are sent.
    Exit status: 0 when nothing failed, 1 otherwise.
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: ["timeout"], flags: ["offline"])
        guard arguments.positionals.isEmpty else { throw CLIError.usage("unexpected argument \(arguments.positionals[0])") }
        let timeout = try timeoutSetting(arguments)
        let path = arguments.value("config")
        let source = path ?? (FileManager.default.fileExists(atPath: "ecbridge.json") ? "ecbridge.json" : "built-in defaults")
        let report: DoctorReport
        do {
            let configuration = try BridgeConfiguration.load(path: path)
            let options = DoctorOptions(offline: arguments.has("offline"), callTimeout: timeout)
            report = Doctor(configuration: configuration, options: options, source: source).run()
        } catch {
            report = Doctor.report(loadFailure: error, source: source)
        }
        console.print(arguments.has("json") ? report.json.prettyText : report.text)
        return report.exitStatus
    }

    /// `--timeout SECONDS` (a positive number), default `DoctorOptions.defaultCallTimeout`.
    static func timeoutSetting(_ arguments: CommandLineArguments) throws -> Double {
        guard let text = arguments.value("timeout") else { return DoctorOptions.defaultCallTimeout }
        guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
            throw CLIError.usage("--timeout must be a positive number of seconds, got \(text)")
        }
        return seconds
    }
}
