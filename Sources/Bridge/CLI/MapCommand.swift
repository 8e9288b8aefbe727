import EnergyCoordination
import Essentials
import FoundationEssentials
import SmartCharging
import WebhookAuth

/// `ecbridge map FILE…`: the dry run — decode each file and print the plan exactly as `serve` would
/// write it to the outbox (design.md §4.3). Same decoder, same planner, no store, no network.
enum MapCommand {
    static let usage = """
    usage: ecbridge map FILE… [--pretty] [--now ISO8601] [--config FILE]

    Prints one JSON document per file: {"event": …, "deliveries": […], "skipped": […]}.
    Files are read in the order given: a Delete that names only the event id takes its targets from an
    earlier file of the same event (as `serve` takes them from the inbox).
    `body` is exactly what would be sent (SolarNetwork params are strings; `msg` is the message as a string).
    --now fixes the time used for events that start "now" (0001-01-01); default: the current time.
    Exits 1 if any file cannot be read or decoded.
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: ["now"], flags: ["pretty"])
        guard !arguments.positionals.isEmpty else { throw CLIError.usage("name at least one event file") }
        let configuration = try ECBridgeCLI.configuration(arguments)
        let planner = Planner(registry: try configuration.targetRegistry())
        var now = Date()
        if let text = arguments.value("now") {
            guard let date = Timestamp.parse(text) else { throw CLIError.usage("--now must be an ISO 8601 time with a zone") }
            now = date
        }
        let options = configuration.units.decodeOptions
        let writer = JSONWriter(pretty: arguments.has("pretty"))
        var failures = 0
        // Earlier files of this run play the inbox's part for a Delete that names only the event id.
        var history: [String: CoordinationEvent] = [:]
        for file in arguments.positionals {
            guard let data = FileManager.default.contents(atPath: file) else {
                console.error("ecbridge map: \(file): cannot read")
                failures += 1
                continue
            }
            let body = Array(data)
            do {
                let decoded = try NotificationDecoder.decode(body: body, bodySHA256Hex: Hex.encode(SHA256.hash(body)), options: options)
                let event = DeleteTargets.resolve(decoded.event, previous: history[decoded.event.id])
                if event.operation != .delete { history[event.id] = event }
                console.print(writer.string(plan(event, planner: planner, now: now)))
            } catch {
                console.error("ecbridge map: \(file): \(error.reason)")
                failures += 1
            }
        }
        return failures == 0 ? 0 : 1
    }

    /// The §4.3 document for one event. A bare event's operation is taken as Create (no inbox to ask).
    static func plan(_ event: CoordinationEvent, planner: Planner, now: Date) -> JSON {
        var resolved = event
        if resolved.operation == nil { resolved.operation = .create }
        return planner.plan(resolved, now: now).json(event: resolved.json)
    }
}
