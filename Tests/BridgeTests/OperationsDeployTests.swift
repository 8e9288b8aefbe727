import Essentials
import Foundation
import Testing
@testable import Bridge

/// The files in deploy/ stay consistent with the code: the example configuration loads, every
/// `{"env": …}` it references is in the example env file, and the systemd unit gives the drain time to stop.
@Suite struct OperationsDeployTests {
    static func read(_ name: String) throws -> String {
        try String(contentsOfFile: TestFiles.repositoryRoot + "/deploy/" + name, encoding: .utf8)
    }

    /// `NAME=value` lines of an EnvironmentFile (comments and blanks skipped).
    static func environmentFile(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    @Test func exampleConfigurationLoadsWithTheExampleEnvironment() throws {
        let configuration = try BridgeConfiguration(json: JSON.parse(Array(try Self.read("ecbridge.json.example").utf8)))
        #expect(configuration.store.path.hasPrefix("/var/lib/ecbridge/"))
        #expect(configuration.listen.host == "127.0.0.1")
        let environment = Self.environmentFile(try Self.read("ecbridge.env.example"))
        let endpoints = try BridgeRuntime.makeEndpoints(configuration, environment: environment)
        #expect(endpoints.count == 1)
        // Every secret reference in the example points at a variable the env example defines.
        let text = try Self.read("ecbridge.json.example")
        var references: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "{ \"env\": \"") {
            rest = rest[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            references.append(String(rest[..<end]))
        }
        #expect(references.count >= 5)
        for name in references { #expect(environment[name] != nil, "\(name) missing from ecbridge.env.example") }
        if let clientSecret = configuration.energyCoordination?.clientSecret { _ = try clientSecret.resolve(environment: environment) }
        if let secret = configuration.solarNetwork?.secret { _ = try secret.resolve(environment: environment) }
    }

    @Test func systemdUnitIsHardenedAndWaitsForTheDrain() throws {
        let unit = try Self.read("ecbridge.service")
        let directives = Set(unit.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
        for required in ["DynamicUser=yes", "StateDirectory=ecbridge", "ProtectSystem=strict", "ProtectHome=yes",
                         "PrivateTmp=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet=",
                         "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service",
                         "LockPersonality=yes", "Restart=on-failure", "LimitNOFILE=65536",
                         "EnvironmentFile=-/etc/ecbridge/ecbridge.env", "KillSignal=SIGTERM",
                         "ExecStart=/usr/local/bin/ecbridge serve --config /etc/ecbridge/ecbridge.json"] {
            #expect(directives.contains(required), "missing \(required)")
        }
        let stop = directives.first { $0.hasPrefix("TimeoutStopSec=") }.flatMap { Double($0.dropFirst("TimeoutStopSec=".count)) }
        let configuration = try BridgeConfiguration(json: JSON.parse(Array(try Self.read("ecbridge.json.example").utf8)))
        #expect((stop ?? 0) > configuration.listen.drainTimeout + ServeCommand.stopGraceSeconds)
    }
}
