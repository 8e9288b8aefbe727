import Dispatch
import EnergyCoordination
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge simulate solarnetwork|oscp|greenflux|energy-coordination`: runs one local stand-in until SIGTERM/SIGINT,
/// printing `listening on http://host:port` and then one JSON line per request.
enum SimulateCommand {
    static let usage = """
    usage: ecbridge simulate solarnetwork|oscp|greenflux|energy-coordination [--port P] [--host H] [--token T] [--secret S]
                             [--fail-rate F] [--seed N] [--rate-limit-every N] [--slow MS] [--drop-rate F]
                             [--reject-signature] [--declined]

    Runs a local stand-in for a downstream API (authentication checked, bodies validated) until SIGTERM or
    SIGINT. Prints 'listening on http://host:port', then one JSON line per request.

      solarnetwork   SolarUser API: SNWS2, /instr/add|exec|view|viewPending|viewActive, /instr, /whoami,
                     user/ocpp/chargers, user/oscp/capacity-groups, user/oscp/capacity-optimizers.
                     Defaults: port 9101, token sample-token, secret sample-token-secret, node 123,
                     charger 5, optimizer 1, group foo-group (as samples/config.json).
      oscp           POST …/update_group_capacity_forecast and …/adjust_group_capacity_forecast under any
                     base path; 204 on success. Defaults: port 9102, token sample-oscp-token.
      energy-coordination
                     Spark's Energy Coordination API: POST /connect/token (client credentials), bearer auth,
                     /subscriptions, /webhooks, /resources, /events, /reports, /simulation/events…; sends
                     signed webhooks (X-Payload-Signature) to matching subscriptions, 3 retries with backoff.
                     Serves at the root and under /energy-coordination/v1. Defaults: port 9104, client
                     sample-client / sample-client-secret, apiVersion v1.
      greenflux      GET/PUT /api/{v}/smartcharging/capacitygroups/{id}/capacityscenarios/datetime.
                     Defaults: port 9103, token sample-greenflux-token, group cg-9.

    Options:
      --host H                listen address (default 127.0.0.1); --port 0 picks a free port
      --token T, --secret S   credentials the stand-in accepts (--secret: solarnetwork only)
      --fail-rate F           answer 503 to this fraction of requests (0…1, default 0)
      --seed N                seed of the fault generator (default 1)
      --rate-limit-every N    every Nth request gets 429 with Retry-After: 1 (default 0 = never)
      --slow MS               delay every response by MS milliseconds (default 0)
      --drop-rate F           handle this fraction of requests but close the connection without answering
      --reject-signature      refuse every request as unauthenticated (403)
      --declined              solarnetwork only: every OCPP instruction is Declined at queue time
      --client-id ID, --client-secret S   energy-coordination: the OAuth2 client it accepts
      --api-version v1|2024   energy-coordination: shape of GET /events (default v1)
      --events DIR            energy-coordination: publish every DIR/*.json at start (e.g. samples/events)
      --lose-webhooks N       energy-coordination: never send the first N webhook notifications
      --retry-delay S         energy-coordination: first webhook retry delay in seconds, doubling (default 1)
    """

    enum Kind: String, CaseIterable {
        case solarnetwork, oscp, greenflux
        case energyCoordination = "energy-coordination"

        var defaultPort: Int {
            switch self {
            case .solarnetwork: return 9101
            case .oscp: return 9102
            case .greenflux: return 9103
            case .energyCoordination: return 9104
            }
        }
    }

    /// A running stand-in, whatever its kind.
    struct Running {
        var baseURL: String
        var stop: () -> Void
    }

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(
            argv, valued: ["port", "host", "token", "secret", "fail-rate", "seed", "rate-limit-every", "slow", "drop-rate",
                          "client-id", "client-secret", "api-version", "events", "lose-webhooks", "retry-delay"],
            flags: ["reject-signature", "declined"])
        guard arguments.positionals.count == 1, let kind = Kind(rawValue: arguments.positionals[0]) else {
            throw CLIError.usage("name one stand-in: " + Kind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let faults = try self.faults(arguments)
        if faults.declined && kind != .solarnetwork { throw CLIError.usage("--declined applies to solarnetwork only") }
        if arguments.value("secret") != nil && kind != .solarnetwork { throw CLIError.usage("--secret applies to solarnetwork only") }
        if kind != .energyCoordination {
            for name in ["client-id", "client-secret", "api-version", "events", "lose-webhooks", "retry-delay"] where arguments.value(name) != nil {
                throw CLIError.usage("--\(name) applies to energy-coordination only")
            }
        }
        let port = try arguments.int("port") ?? kind.defaultPort
        guard port <= 65_535 else { throw CLIError.usage("--port must be at most 65535") }
        let host = arguments.value("host") ?? "127.0.0.1"
        let logger = Logger(level: .info, sink: Logger.Sink { line in console.write(line) }, context: [("standin", kind.rawValue)])

        signal(SIGPIPE, SIG_IGN)
        let running = try start(kind, arguments: arguments, faults: faults, host: host, port: port, logger: logger)
        console.print("listening on \(running.baseURL)")
        waitForStopSignal()
        running.stop()
        return 0
    }

    static func start(_ kind: Kind, arguments: CommandLineArguments, faults: SimulatorFaults, host: String, port: Int,
                      logger: Logger) throws -> Running {
        switch kind {
        case .solarnetwork:
            var settings = SolarNetworkSimulatorSettings()
            if let token = arguments.value("token") { settings.token = token }
            if let secret = arguments.value("secret") { settings.secret = secret }
            let simulator = SolarNetworkSimulator(settings: settings, faults: faults, host: host, port: port, logger: logger)
            try simulator.start()
            return Running(baseURL: simulator.baseURL, stop: simulator.stop)
        case .oscp:
            var settings = OSCPSimulator.Settings()
            if let token = arguments.value("token") { settings.token = token }
            let simulator = OSCPSimulator(settings: settings, faults: faults, host: host, port: port, logger: logger)
            try simulator.start()
            return Running(baseURL: simulator.baseURL, stop: simulator.stop)
        case .greenflux:
            var settings = GreenFluxSimulator.Settings()
            if let token = arguments.value("token") { settings.token = token }
            let simulator = GreenFluxSimulator(settings: settings, faults: faults, host: host, port: port, logger: logger)
            try simulator.start()
            return Running(baseURL: simulator.baseURL, stop: simulator.stop)
        case .energyCoordination:
            let simulator = EnergyCoordinationSimulator(settings: try energyCoordinationSettings(arguments), faults: faults,
                                                        host: host, port: port, logger: logger)
            try simulator.start()
            if let directory = arguments.value("events") {
                let count = try simulator.loadEvents(directory: directory)
                logger.info("events loaded", [("directory", directory), ("count", String(count))])
            }
            return Running(baseURL: simulator.baseURL, stop: simulator.stop)
        }
    }

    /// The Energy Coordination stand-in's settings from the command line.
    static func energyCoordinationSettings(_ arguments: CommandLineArguments) throws -> EnergyCoordinationSimulatorSettings {
        var settings = EnergyCoordinationSimulatorSettings()
        if let id = arguments.value("client-id") { settings.clientId = id }
        if let secret = arguments.value("client-secret") { settings.clientSecret = secret }
        if let version = arguments.value("api-version") {
            guard let parsed = APIVersion(rawValue: version) else { throw CLIError.usage("--api-version must be v1 or 2024") }
            settings.apiVersion = parsed
        }
        settings.loseWebhooks = try arguments.int("lose-webhooks") ?? 0
        if let text = arguments.value("retry-delay") {
            guard let delay = Double(text), delay >= 0, delay <= 3600 else {
                throw CLIError.usage("--retry-delay must be a number of seconds from 0 to 3600")
            }
            settings.webhookRetryDelay = delay
        }
        return settings
    }

    /// The fault switches from the command line.
    static func faults(_ arguments: CommandLineArguments) throws -> SimulatorFaults {
        func fraction(_ name: String) throws -> Double {
            guard let text = arguments.value(name) else { return 0 }
            guard let value = Double(text), value >= 0, value <= 1 else {
                throw CLIError.usage("--\(name) must be a number from 0 to 1, got \(text)")
            }
            return value
        }
        var faults = SimulatorFaults()
        faults.failRate = try fraction("fail-rate")
        faults.dropRate = try fraction("drop-rate")
        if let seed = arguments.value("seed") {
            guard let value = UInt64(seed) else { throw CLIError.usage("--seed must be a whole number, got \(seed)") }
            faults.seed = value
        }
        faults.rateLimitEvery = try arguments.int("rate-limit-every") ?? 0
        faults.slowMilliseconds = try arguments.int("slow") ?? 0
        faults.rejectSignature = arguments.has("reject-signature")
        faults.declined = arguments.has("declined")
        return faults
    }

    /// Blocks until SIGTERM or SIGINT.
    static func waitForStopSignal() {
        let stopped = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "ecbridge.simulate.signals")
        var sources: [DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { stopped.signal() }
            source.resume()
            sources.append(source)
        }
        stopped.wait()
        for source in sources { source.cancel() }
    }
}
