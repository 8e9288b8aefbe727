import Essentials
import Foundation
import Testing
@testable import Bridge

@Suite struct ConfigurationTests {
    @Test func builtInDefaults() {
        let configuration = BridgeConfiguration()
        #expect(configuration.listen.host == "127.0.0.1")
        #expect(configuration.listen.port == 8080)
        #expect(configuration.listen.maxHeaderBytes == 16_384)
        #expect(configuration.listen.maxHeaderCount == 100)
        #expect(configuration.listen.maxBodyBytes == 1_048_576)
        #expect(configuration.listen.requestReadTimeout == 10)
        #expect(configuration.listen.idleTimeout == 60)
        #expect(configuration.listen.maxConnections == 1024)
        #expect(configuration.store.path == "var/ecbridge.sqlite")
        #expect(configuration.units.targetPower == "W")
    }

    @Test func storeClaimLease() throws {
        #expect(BridgeConfiguration().store.claimLease == 120)
        let configured = try BridgeConfiguration(json: JSON.parse(#"{"store":{"path":"/tmp/x.sqlite","claimLease":7.5}}"#))
        #expect(configured.store.claimLease == 7.5)
        #expect(throws: ConfigError.self) {
            try BridgeConfiguration(json: JSON.parse(#"{"store":{"path":"/tmp/x.sqlite","claimLease":0.5}}"#))
        }
    }

    @Test func storeBusyTimeoutAndSynchronous() throws {
        let defaults = BridgeConfiguration().store
        #expect(defaults.busyTimeout == 5)
        #expect(defaults.synchronous == "full")
        #expect(defaults.storeOptions.busyTimeoutMs == 5_000)
        #expect(defaults.storeOptions.synchronousFull)
        let configured = try BridgeConfiguration(json: JSON.parse(#"{"store":{"busyTimeout":0.25,"synchronous":"normal"}}"#))
        #expect(configured.store.storeOptions.busyTimeoutMs == 250)
        #expect(!configured.store.storeOptions.synchronousFull)
        for (bad, path) in [(#"{"store":{"synchronous":"FULL"}}"#, "store.synchronous"),
                            (#"{"store":{"synchronous":true}}"#, "store.synchronous"),
                            (#"{"store":{"busyTimeout":-1}}"#, "store.busyTimeout"),
                            (#"{"store":{"busyTimeout":7200}}"#, "store.busyTimeout")] {
            do {
                _ = try BridgeConfiguration(json: JSON.parse(bad))
                Issue.record("accepted \(bad)")
            } catch let error as ConfigError {
                #expect(error.path == path, "\(bad)")
            }
        }
    }

    @Test func parsesTheDesignExample() throws {
        let json = try JSON.parse("""
        {"listen":{"host":"0.0.0.0","port":9000,"maxBodyBytes":65536},
         "store":{"path":"/tmp/x.sqlite"},
         "webhooks":[{"path":"/notify","scheme":"spark","secrets":["a",{"env":"WH"},{"file":"/run/secrets/wh"}]}],
         "units":{"targetCurrent":"A","targetPower":"kW"},
         "energyCoordination":{"baseUrl":"https://api.example","tokenUrl":"https://auth.example/token","clientId":"c","clientSecret":{"env":"EC"}},
         "solarNetwork":{"baseUrl":"https://data.solarnetwork.net","token":"t","secret":{"env":"SN"}},
         "targets":[{"resourceId":"vehicle-1","channel":"solarnetwork-ocpp","nodeId":123,"chargePointId":5,"connectorId":1,"maxCurrent":32}]}
        """)
        let configuration = try BridgeConfiguration(json: json)
        #expect(configuration.listen.port == 9000)
        #expect(configuration.listen.maxBodyBytes == 65536)
        #expect(configuration.webhooks.first?.secrets == [.inline("a"), .environment("WH"), .file("/run/secrets/wh")])
        #expect(configuration.units.targetPower == "kW")
        #expect(configuration.energyCoordination?.clientSecret == .environment("EC"))
        #expect(configuration.targets.count == 1)
    }

    @Test(arguments: [
        (#"{"listen":{"prot":1}}"#, "listen.prot: unknown key"),
        (#"{"listen":{"port":70000}}"#, "listen.port: must be between 0 and 65535, found 70000"),
        (#"{"webhooks":[{"path":"/a","scheme":"hmac","secrets":["x"]}]}"#, "webhooks[0].scheme: must be one of spark, standard-webhooks, stripe, github, bearer, found \"hmac\""),
        (#"{"webhooks":[{"path":"/a","secrets":[]}]}"#, "webhooks[0].secrets: at least one secret is required (unsigned webhooks are refused)"),
        (#"{"webhooks":[{"path":"/a","secrets":["x"]},{"path":"/a","secrets":["y"]}]}"#, "webhooks[1].path: duplicate webhook path /a"),
        (#"{"webhooks":[{"path":"a","secrets":["x"]}]}"#, "webhooks[0].path: must be an absolute path such as /webhooks/energy-coordination"),
        (#"{"units":{"targetPower":"MW"}}"#, "units.targetPower: must be one of W, kW, found \"MW\""),
        (#"{"surprise":true}"#, "surprise: unknown key"),
    ])
    func rejectsBadConfigurationWithKeyPaths(_ text: String, _ message: String) throws {
        let json = try JSON.parse(text)
        #expect(throws: ConfigError.self) { try BridgeConfiguration(json: json) }
        do {
            _ = try BridgeConfiguration(json: json)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func secretsNeverAppearInErrors() throws {
        let json = try JSON.parse(#"{"webhooks":[{"path":"/a","scheme":"spark","secrets":[{"env":"ECBRIDGE_TEST_UNSET_SECRET"}]}]}"#)
        let configuration = try BridgeConfiguration(json: json)
        #expect(throws: ConfigError.self) { try BridgeRuntime.makeEndpoints(configuration, environment: [:]) }
        let endpoints = try BridgeRuntime.makeEndpoints(configuration, environment: ["ECBRIDGE_TEST_UNSET_SECRET": "s3cr3t-value"])
        #expect(endpoints.count == 1)
        #expect(!"\(configuration)".contains("s3cr3t-value"))
    }

    @Test func sampleConfigurationLoads() throws {
        let configuration = try BridgeConfiguration.load(path: TestFiles.repositoryRoot + "/samples/config.json")
        #expect(configuration.webhooks.first?.scheme == "spark")
        #expect(configuration.webhooks.first?.secrets == [.inline("Secret123%")])
    }
}

@Suite struct CommandLineArgumentsTests {
    @Test func parsesOptionsFlagsAndPositionals() throws {
        let arguments = try CommandLineArguments(["list", "--state", "planned", "--json", "--limit=5", "--", "--odd"],
                                                 valued: ["state", "limit"], flags: [])
        #expect(arguments.positionals == ["list", "--odd"])
        #expect(arguments.value("state") == "planned")
        #expect(try arguments.int("limit") == 5)
        #expect(arguments.has("json"))
    }

    @Test func rejectsUnknownAndMissing() {
        #expect(throws: CommandLineArguments.Error.self) { try CommandLineArguments(["--nope"], valued: [], flags: []) }
        #expect(throws: CommandLineArguments.Error.self) { try CommandLineArguments(["--state"], valued: ["state"], flags: []) }
        #expect(throws: CommandLineArguments.Error.self) {
            _ = try CommandLineArguments(["--limit", "+5"], valued: ["limit"], flags: []).int("limit")
        }
    }
}

/// Paths of files in the repository (tests run with the package root as working directory or not).
enum TestFiles {
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}
