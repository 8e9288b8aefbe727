import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// ecbridge-bench: the performance and resilience harness (Tests/Benchmarks, Tests/Resilience drive it).
/// The subcommands, in the order `help` lists them.
func benchCommands() -> [(name: String, summary: String, usage: String, run: ([String]) throws -> Int32)] { [
    ("intake", "signed unique events against a running receiver", IntakeCommand.usage, IntakeCommand.run),
    ("serve-and-measure", "start ecbridge serve, measure start-up, RSS, load, CPU/request", ServeAndMeasureCommand.usage, ServeAndMeasureCommand.run),
    ("verify-server", "in-process listener that only verifies + decodes (no store)", VerifyServerCommand.usage, VerifyServerCommand.run),
    ("decode", "NotificationDecoder.decode + compactJSONText of N ec-v1 bodies (for callgrind)", DecodeCommand.usage, DecodeCommand.run),
    ("fanout", "plan one event to N targets and insert its outbox rows", FanoutCommand.usage, FanoutCommand.run),
    ("plan-events", "plan many distinct events against two targets (callgrind: --toggle-collect='*planAll*')", PlanEventsCommand.usage, PlanEventsCommand.run),
    ("store", "raw group-commit throughput of BridgeStore.admit", StoreCommand.usage, StoreCommand.run),
    ("send", "send N unique events with retries and record outcomes (crash test)", SendCommand.usage, SendCommand.run),
    ("idle-connections", "hold many idle/half-open connections, then require a prompt 200", IdleConnectionsCommand.usage, IdleConnectionsCommand.run),
    ("e2e", "latency from webhook POST to the instruction at the SolarNetwork stand-in", E2ELatencyCommand.usage, E2ELatencyCommand.run),
    ("fuzz", "bounded seeded mutation fuzzing of the HTTP parser, JSON, decoder and durations", FuzzCommand.usage, FuzzCommand.run),
    ("delivery-resilience", "webhook → deliveries → reports under SIGKILLs and peer faults, checked end to end", DeliveryResilienceCommand.usage, DeliveryResilienceCommand.run),
] }

/// Many connections need many descriptors: raise the soft limit to the hard one.
func raiseDescriptorLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

func printUsage() {
    print("usage: ecbridge-bench COMMAND [options]   (ecbridge-bench COMMAND --help for details)\n")
    for command in benchCommands() { print("  " + command.name.padding(toLength: 21, withPad: " ", startingAt: 0) + command.summary) }
}

signal(SIGPIPE, SIG_IGN)
raiseDescriptorLimit()
let argv = Array(CommandLine.arguments.dropFirst())
guard let name = argv.first, name != "help", name != "--help" else {
    printUsage()
    exit(argv.isEmpty ? 2 : 0)
}
guard let command = benchCommands().first(where: { $0.name == name }) else {
    FileHandle.standardError.write(Data("ecbridge-bench: unknown command \(name)\n".utf8))
    printUsage()
    exit(2)
}
if argv.contains("--help") {
    print(command.usage)
    exit(0)
}
do {
    exit(try command.run(Array(argv.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("ecbridge-bench \(name): \(error)\n".utf8))
    exit(1)
}
