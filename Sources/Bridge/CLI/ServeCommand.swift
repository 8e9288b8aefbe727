import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// `ecbridge serve`: runs until SIGTERM/SIGINT, then drains; a second signal exits at once.
enum ServeCommand {
    static let usage = """
    usage: ecbridge serve [--config FILE]

    Runs the webhook listener and the workers. Logs are JSON lines on standard output.
    SIGTERM or SIGINT: stop accepting, finish in-flight requests (listen.drainTimeout), close the store,
    exit 0. A second signal exits immediately (nothing committed is lost: the store is durable).
    SIGHUP: reload the listen.tls certificate and key for new connections (open ones keep theirs).
    """

    /// Extra seconds after `listen.drainTimeout` before a stuck shutdown gives up and exits 1.
    static let stopGraceSeconds = 15.0

    static func run(_ argv: [String], console: Console) throws -> Int32 {
        let arguments = try CommandLineArguments(argv, valued: [], flags: [])
        guard arguments.positionals.isEmpty else { throw CLIError.usage("unexpected argument \(arguments.positionals[0])") }
        let configuration = try ECBridgeCLI.configuration(arguments)
        let environment = ProcessInfo.processInfo.environment
        let levelName = environment["ECBRIDGE_LOG_LEVEL"] ?? configuration.log.level
        let logger = Logger(level: Logger.Level(name: levelName) ?? .info, sink: .standardOutput)
        if Logger.Level(name: levelName) == nil {
            logger.warning("unknown ECBRIDGE_LOG_LEVEL, using info", [("value", levelName)])
        }

        signal(SIGPIPE, SIG_IGN)
        let runtime = try BridgeRuntime.start(configuration, logger: logger)

        let stopped = DispatchSemaphore(value: 0)
        let queue = DispatchQueue(label: "ecbridge.signals")
        var sources: [DispatchSourceSignal] = []
        let signals = SignalLatch()
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if signals.first() {
                    logger.info("signal received, draining", [("signal", String(number))])
                    DispatchQueue.global().async {
                        runtime.stop()
                        stopped.signal()
                    }
                    // A watchdog: a shutdown that hangs (a wedged disk, say) must not outlive the service
                    // manager's patience silently.
                    let limit = configuration.listen.drainTimeout + stopGraceSeconds
                    queue.asyncAfter(deadline: .now() + limit) {
                        logger.error("shutdown did not finish in time, exiting", [("seconds", String(limit))])
                        exit(1)
                    }
                } else {
                    logger.warning("second signal, exiting now")
                    exit(1)
                }
            }
            source.resume()
            sources.append(source)
        }
        signal(SIGHUP, SIG_IGN)
        let reload = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        reload.setEventHandler {
            do {
                try runtime.reloadTLS()
            } catch {
                logger.error("TLS reload failed, keeping the current certificate", [("error", "\(error)")])
            }
        }
        reload.resume()
        sources.append(reload)
        stopped.wait()
        _ = sources
        return 0
    }
}

/// Remembers whether a stop signal was already seen.
final class SignalLatch: @unchecked Sendable {
    // Only touched from the serial signal queue.
    private var seen = false

    func first() -> Bool {
        defer { seen = true }
        return !seen
    }
}
