import Essentials
import FoundationEssentials

/// The `ecbridge` command line: parses the verb and hands over to it. Every verb takes `--config FILE`
/// and `--help`; failures print one line on standard error and exit non-zero (design.md §4.1).
public enum ECBridgeCLI {
    struct Verb: Sendable {
        var name: String
        var summary: String
        var usage: String
        var run: @Sendable ([String], Console) throws -> Int32
    }

    static let verbs: [Verb] = [
        Verb(name: "demo", summary: "the whole job against local stand-ins, with a summary (start here)", usage: DemoCommand.usage, run: DemoCommand.run),
        Verb(name: "serve", summary: "run the webhook listener and workers until SIGTERM/SIGINT", usage: ServeCommand.usage, run: ServeCommand.run),
        Verb(name: "map", summary: "dry run: decode events and print the planned deliveries", usage: MapCommand.usage, run: MapCommand.run),
        Verb(name: "replay", summary: "sign sample bodies and POST them byte for byte", usage: ReplayCommand.usage, run: ReplayCommand.run),
        Verb(name: "sign", summary: "print signature headers (spark, standard-webhooks, stripe, github, snws2)", usage: SignCommand.usage, run: SignCommand.run),
        Verb(name: "inbox", summary: "list or show received notifications", usage: InboxCommand.inboxUsage, run: InboxCommand.runInbox),
        Verb(name: "outbox", summary: "list, show or retry deliveries", usage: OutboxCommand.usage, run: OutboxCommand.run),
        Verb(name: "quarantine", summary: "list or show rejected bodies kept for inspection", usage: InboxCommand.quarantineUsage, run: InboxCommand.runQuarantine),
        Verb(name: "subscriptions", summary: "manage Energy Coordination webhook subscriptions", usage: SubscriptionsCommand.usage, run: SubscriptionsCommand.run),
        Verb(name: "resources", summary: "manage Energy Coordination resources (vehicles)", usage: ResourcesCommand.usage, run: ResourcesCommand.run),
        Verb(name: "events", summary: "list, show and sync Energy Coordination events", usage: EventsCommand.usage, run: EventsCommand.run),
        Verb(name: "doctor", summary: "check the configuration against the machine and the live systems", usage: DoctorCommand.usage, run: DoctorCommand.run),
        Verb(name: "solarnetwork", summary: "list SolarNetwork chargers, capacity groups and optimizers (read-only)", usage: SolarNetworkCommand.usage, run: SolarNetworkCommand.run),
        Verb(name: "simulate", summary: "run a local stand-in for SolarNetwork, OSCP, GreenFlux or Energy Coordination", usage: SimulateCommand.usage, run: SimulateCommand.run),
        Verb(name: "version", summary: "print the version", usage: "usage: ecbridge version", run: { _, console in
            console.print("ecbridge \(ECBridgeVersion.current)")
            return 0
        }),
    ]

    /// Runs one command line (without the program name) and returns the exit status.
    public static func run(_ arguments: [String], console: Console = .terminal) -> Int32 {
        guard let name = arguments.first else {
            console.print(help())
            return 0
        }
        let rest = Array(arguments.dropFirst())
        if ["help", "--help", "-h"].contains(name) {
            if let topic = rest.first, let verb = verbs.first(where: { $0.name == topic }) {
                console.print(verb.usage)
            } else {
                console.print(help())
            }
            return 0
        }
        if name == "--version" { return run(["version"], console: console) }
        guard let verb = verbs.first(where: { $0.name == name }) else {
            console.error("ecbridge: unknown verb '\(name)' (see 'ecbridge help')")
            return 2
        }
        if rest.contains("--help") || rest.contains("-h") {
            console.print(verb.usage)
            return 0
        }
        do {
            return try verb.run(rest, console)
        } catch let error as CLIError {
            console.error("ecbridge \(name): \(error.description)")
            return error.exitCode
        } catch let error as CommandLineArguments.Error {
            console.error("ecbridge \(name): \(error.description)")
            return 2
        } catch let error as ConfigError {
            console.error("ecbridge \(name): configuration: \(error.description)")
            return 1
        } catch {
            console.error("ecbridge \(name): \(error)")
            return 1
        }
    }

    static func help() -> String {
        var text = "usage: ecbridge <verb> [options]   (every verb takes --config FILE and --help)\n\nverbs:\n"
        for verb in verbs { text += "  " + verb.name.padded(toLength: 15) + verb.summary + "\n" }
        text += "  help           this text, or 'ecbridge help <verb>'\n"
        return text
    }

    /// Loads the configuration named by `--config` (default `ecbridge.json`, then built-in defaults).
    static func configuration(_ arguments: CommandLineArguments) throws(ConfigError) -> BridgeConfiguration {
        try BridgeConfiguration.load(path: arguments.value("config"))
    }

    /// Reads `--file` or standard input.
    static func body(_ arguments: CommandLineArguments, console: Console) throws -> [UInt8] {
        if let file = arguments.value("file") {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            return Array(data)
        }
        return Array(console.readInput())
    }
}
