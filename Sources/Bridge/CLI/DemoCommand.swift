import EnergyCoordination
import Essentials
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ecbridge demo`: the whole job on embedded defaults — stand-ins for SolarNetwork, OSCP, GreenFlux and
/// the Energy Coordination API, an ecbridge runtime with a temporary store, every sample event sent by the
/// stand-in as signed webhooks, and a summary of what was mapped, delivered and reported.
enum DemoCommand {
    static let usage = """
    usage: ecbridge demo [--samples DIR] [--timeout SECONDS] [--verbose]

    Starts local stand-ins and ecbridge (temporary store, free ports), subscribes to the Energy
    Coordination stand-in (a v1 subscription and a 2024 webhook), publishes every sample event
    (default samples/events), and waits until every delivery is final and every report is posted.
    Prints a summary per event; exits 0 only if every step completed. --verbose shows ecbridge's logs.
    """

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: ["samples", "timeout"], flags: ["verbose"])
        let samples = arguments.value("samples") ?? "samples/events"
        let timeout = Double(arguments.value("timeout") ?? "25") ?? 25
        let files = try sampleFiles(samples)
        let started = Date()
        let logger = Logger(level: arguments.has("verbose") ? .info : .error, sink: .standardError)

        console.print("ecbridge demo: starting the stand-ins and ecbridge (temporary store, free ports)…")
        let environment = try DemoEnvironment(logger: logger)
        defer { environment.stop() }
        console.print("  ecbridge             \(environment.webhookURL)")
        console.print("  Energy Coordination  \(environment.energyCoordination.baseURL)")
        console.print("  SolarNetwork         \(environment.solarNetwork.baseURL)")
        console.print("  OSCP                 \(environment.oscp.baseURL)")
        console.print("  GreenFlux            \(environment.greenFlux.baseURL)")

        let v1 = try environment.partnerClient(.v1).createSubscription(SubscriptionDraft(
            url: environment.webhookURL, secret: environment.webhookSecret,
            eventPayloadTypes: ["CurrentLevel", "PowerLevel"], operationTypes: ["Create", "Update", "Delete"]))
        let v2024 = try environment.partnerClient(.v2024).createSubscription(SubscriptionDraft(
            url: environment.webhookURL, secret: environment.webhookSecret, name: "ecbridge demo",
            notificationTypes: ["ResourceLPCRequested", "LocationLPCRequested", "PriceCurveCreated", "UserEligibilityUpdated"]))
        console.print("subscribed: v1 subscription \(v1.id), 2024 webhook \(v2024.id)")

        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            let id = try environment.energyCoordination.publish(try JSON.parse(data))
            console.print("published \(URL(fileURLWithPath: file).lastPathComponent) (event \(id))")
            // One event at a time, as a sender spaces them: let each one be delivered and reported first.
            environment.energyCoordination.waitForWebhooks(timeout: 10)
            _ = waitUntilSettled(environment.runtime, deadline: Date().addingTimeInterval(timeout / Double(files.count)))
        }

        let settled = waitUntilSettled(environment.runtime, deadline: started.addingTimeInterval(timeout))
        let summary = try DemoSummary(store: environment.runtime.store,
                                       decodeOptions: environment.runtime.configuration.units.decodeOptions)
        console.print("")
        for line in summary.lines { console.print(line) }
        var problems = summary.problems
        if !settled { problems.append("not finished within \(Int(timeout)) s") }
        let received = environment.energyCoordination.reports.count
        if received != summary.reportsPosted {
            problems.append("the Energy Coordination stand-in received \(received) reports, ecbridge posted \(summary.reportsPosted)")
        }
        let seconds = FixedPointText.format(Date().timeIntervalSince(started), fractionDigits: 1)
        console.print("")
        if problems.isEmpty {
            console.print("demo: \(files.count) events published, \(summary.deliveriesDone) deliveries done, \(summary.reportsPosted) reports posted, in \(seconds) s — OK")
            return 0
        }
        for problem in problems { console.print("problem: \(problem)") }
        console.print("demo: FAILED after \(seconds) s")
        return 1
    }

    /// Sample files in name order, Deletes last (a Delete only makes sense after its Create and Update).
    static func sampleFiles(_ directory: String) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw CLIError("no sample events at \(directory) (run from the repository root or pass --samples DIR)")
        }
        let sorted = names.filter { $0.hasSuffix(".json") }.sorted()
        let ordered = sorted.filter { !$0.contains("delete") } + sorted.filter { $0.contains("delete") }
        guard !ordered.isEmpty else { throw CLIError("no *.json sample events in \(directory)") }
        return ordered.map { directory + "/" + $0 }
    }

    /// Waits until nothing is left to plan, deliver or report.
    static func waitUntilSettled(_ runtime: BridgeRuntime, deadline: Date) -> Bool {
        while Date() < deadline {
            if let counts = try? runtime.store.counts(),
               (counts.inbox["received"] ?? 0) == 0,
               counts.deliveries.allSatisfy({ ["done", "failed", "dead", "superseded"].contains($0.key) }),
               (counts.reports["pending"] ?? 0) == 0,
               (try? runtime.store.inboxAwaitingReport(limit: 1, includingUndelivered: true).isEmpty) == true {
                return true
            }
            usleep(100_000)
        }
        return false
    }
}
