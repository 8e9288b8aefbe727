import Foundation
import Testing
@testable import Bridge

/// `ecbridge simulate`: argument handling, and each stand-in started the way the verb starts it.
@Suite struct SimulatorCommandTests {
    func run(_ arguments: [String]) -> (Int32, ConsoleCapture) {
        let capture = ConsoleCapture()
        return (ECBridgeCLI.run(arguments, console: capture.console()), capture)
    }

    @Test func usageErrors() {
        #expect(run(["simulate"]).0 == 2)
        #expect(run(["simulate", "energy"]).0 == 2)
        #expect(run(["simulate", "oscp", "--declined"]).0 == 2)
        #expect(run(["simulate", "greenflux", "--secret", "x"]).0 == 2)
        #expect(run(["simulate", "solarnetwork", "--fail-rate", "2"]).0 == 2)
        #expect(run(["simulate", "solarnetwork", "--seed", "-1"]).0 == 2)
        let (status, capture) = run(["help"])
        #expect(status == 0)
        #expect(capture.output.contains("simulate"))
        #expect(run(["simulate", "--help"]).1.output.contains("--rate-limit-every"))
    }

    @Test func faultOptionsAreParsed() throws {
        let arguments = try CommandLineArguments(
            ["--fail-rate", "0.3", "--seed", "9", "--rate-limit-every", "4", "--slow", "250", "--drop-rate", "0.1",
             "--reject-signature", "--declined"],
            valued: ["fail-rate", "seed", "rate-limit-every", "slow", "drop-rate"], flags: ["reject-signature", "declined"])
        let faults = try SimulateCommand.faults(arguments)
        #expect(faults == SimulatorFaults(failRate: 0.3, seed: 9, rateLimitEvery: 4, slowMilliseconds: 250, dropRate: 0.1,
                                          rejectSignature: true, declined: true))
    }

    @Test(arguments: SimulateCommand.Kind.allCases)
    func eachStandInStartsAndLogsJSONLines(_ kind: SimulateCommand.Kind) throws {
        let capture = ConsoleCapture()
        let console = capture.console()
        let logger = Logger(sink: Logger.Sink { console.write($0) })
        let arguments = try CommandLineArguments(["--token", "t"], valued: ["token"], flags: [])
        let running = try SimulateCommand.start(kind, arguments: arguments, faults: .none, host: "127.0.0.1", port: 0, logger: logger)
        defer { running.stop() }
        #expect(running.baseURL.hasPrefix("http://127.0.0.1:"))
        let url = try #require(URL(string: running.baseURL + "/nowhere"))
        let response = try OutboundHTTPClient(timeout: 10).send(method: "GET", url: url, headers: [], body: nil)
        #expect(response.status == 404)
        let line = try #require(capture.output.split(separator: "\n").last)
        #expect(line.contains("\"target\":\"/nowhere\""))
        #expect(line.contains("\"status\":404"))
    }
}
