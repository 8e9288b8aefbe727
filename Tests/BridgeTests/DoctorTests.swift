import BridgeStore
import Essentials
import Foundation
import Testing
@testable import Bridge

@Suite("doctor")
struct DoctorTests {
    @Test("a correct configuration against the stand-in passes every check and exits 0")
    func allPass() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        try harness.write(harness.config())
        let (status, output, errors) = harness.run(["doctor"])
        #expect(status == 0, "\(output)\(errors)")
        #expect(!output.contains("✗"))
        #expect(output.contains("✓ targets[0]"))
        #expect(output.contains("✓ targets[1]"))
        #expect(output.contains("charger 5 (CP-5) on node 123: enabled, Accepted"))
        #expect(output.contains("capacity group 'foo-group' enabled, linked to enabled optimizer 1"))
        #expect(output.contains("does not exist yet"))
        #expect(!output.contains(DoctorHarness.webhookSecret))
        #expect(!output.contains(DoctorHarness.oscpToken))
        #expect(!output.contains("sample-token-secret"))
        // No store file is created by doctor.
        #expect(!FileManager.default.fileExists(atPath: harness.storePath))
        // Only reads reached SolarNetwork.
        #expect(harness.solarNetwork.requests.allSatisfy { $0.method == "GET" })
        #expect(harness.solarNetwork.addCount == 0)
    }

    @Test("--json gives one object per check and the overall verdict")
    func json() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        try harness.write(harness.config())
        let (status, output, _) = harness.run(["doctor", "--json"])
        #expect(status == 0)
        let document = try JSON.parse(output)
        #expect(document["ok"] == .bool(true))
        #expect(document["summary"]?["fail"] == .int(0))
        let checks = try #require(document["checks"]?.arrayValue)
        let names = checks.compactMap { $0["name"]?.stringValue }
        #expect(names.contains("solarNetwork.secret"))
        #expect(names.contains("store.path"))
        #expect(checks.first { $0["name"] == .string("targets[0]") }?["status"] == .string("pass"))
    }

    @Test("an existing store opens, migrates and is counted")
    func existingStore() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        let store = try BridgeStore.open(StoreOptions(path: harness.storePath))
        store.close()
        let report = try harness.doctor(harness.config(), offline: true)
        let check = try #require(report.check(named: "store.path"))
        #expect(check.status == .pass)
        #expect(check.reason.contains("opens and is migrated"))
    }

    @Test("a store path whose directory cannot be created fails")
    func unwritableStore() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        let blocker = harness.directory + "/file"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        var json = harness.config()
        if case var .object(members) = json, let index = members.firstIndex(where: { $0.0 == "store" }) {
            members[index].1 = .members([("path", .string(blocker + "/sub/store.sqlite"))])
            json = .object(members)
        }
        let report = try harness.doctor(json, offline: true)
        #expect(report.check(named: "store.path")?.status == .fail)
        #expect(!report.passed)
    }

    @Test("misconfigured SolarNetwork targets give the right ✗ lines and exit 1")
    func misconfiguredTargets() throws {
        let settings = SolarNetworkSimulatorSettings(
            nodeIds: [123, 456],
            chargers: [SolarNetworkSimulatorSettings.Charger(id: 5, nodeId: 123, identifier: "CP-5"),
                       SolarNetworkSimulatorSettings.Charger(id: 6, nodeId: 123, identifier: "CP-6", enabled: false),
                       SolarNetworkSimulatorSettings.Charger(id: 7, nodeId: 123, identifier: "CP-7", registrationStatus: "Pending"),
                       SolarNetworkSimulatorSettings.Charger(id: 8, nodeId: 456, identifier: "CP-8")],
            capacityOptimizers: [SolarNetworkSimulatorSettings.CapacityOptimizer(configId: 1, name: "One"),
                                 SolarNetworkSimulatorSettings.CapacityOptimizer(configId: 2, name: "Two"),
                                 SolarNetworkSimulatorSettings.CapacityOptimizer(configId: 3, name: "Off", enabled: false)],
            capacityGroups: [SolarNetworkSimulatorSettings.CapacityGroup(configId: 1, identifier: "foo-group", name: "Foo", capacityOptimizerId: 1),
                             SolarNetworkSimulatorSettings.CapacityGroup(configId: 2, identifier: "bar-group", name: "Bar", capacityOptimizerId: 2),
                             SolarNetworkSimulatorSettings.CapacityGroup(configId: 3, identifier: "off-group", name: "Off", enabled: false,
                                                                         capacityOptimizerId: 3)])
        let harness = try DoctorHarness(settings: settings)
        defer { harness.stop() }
        try harness.write(harness.config(targets: [
            DoctorHarness.ocppTarget("v0", chargePointId: 99),           // unknown charger
            DoctorHarness.ocppTarget("v1", chargePointId: 6),            // disabled
            DoctorHarness.ocppTarget("v2", chargePointId: 7),            // Pending
            DoctorHarness.ocppTarget("v3", chargePointId: 8),            // another node
            DoctorHarness.oscpTarget("v4", group: "bar-group", optimizer: 1),  // group linked to optimizer 2
            DoctorHarness.oscpTarget("v5", group: "baz-group"),          // wrong identifier
            DoctorHarness.oscpTarget("v6", group: "off-group", optimizer: 3),  // group and optimizer disabled
            DoctorHarness.ocppTarget("v7", chargePointId: 5),            // fine
        ]))
        let (status, output, _) = harness.run(["doctor"])
        #expect(status == 1)
        func line(_ name: String) -> String {
            output.split(separator: "\n").first { $0.contains(" \(name) ") }.map(String.init) ?? ""
        }
        #expect(line("targets[0]").contains("✗"))
        #expect(line("targets[0]").contains("charger 99 does not exist"))
        #expect(line("targets[1]").contains("✗"))
        #expect(line("targets[1]").contains("is disabled"))
        #expect(line("targets[2]").contains("registrationStatus is Pending (must be Accepted)"))
        #expect(line("targets[3]").contains("belongs to node 456, not the target's nodeId 123"))
        #expect(line("targets[4]").contains("linked to optimizer 2, not the target's capacityOptimizerId 1"))
        #expect(line("targets[5]").contains("no capacity group with identifier 'baz-group'"))
        #expect(line("targets[5]").contains("foo-group"))
        #expect(line("targets[6]").contains("capacity group 'off-group' is disabled"))
        #expect(line("targets[6]").contains("capacity optimizer 3 is disabled"))
        #expect(line("targets[7]").contains("✓"))
        #expect(output.contains("FAILED:"))
    }

    @Test("an unknown optimizer id is reported")
    func unknownOptimizer() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        let report = try harness.doctor(harness.config(targets: [DoctorHarness.oscpTarget(optimizer: 9)]))
        let check = try #require(report.check(named: "targets[0]"))
        #expect(check.status == .fail)
        #expect(check.reason.contains("capacity optimizer 9 does not exist"))
    }

    @Test("a missing environment secret fails by key path without printing other secrets")
    func missingSecret() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        let variable = "ECBRIDGE_DOCTOR_TEST_UNSET_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        try harness.write(harness.config(targets: [DoctorHarness.ocppTarget(), DoctorHarness.directOSCPTarget(token: .members([("env", .string(variable))]))],
                                         solarNetworkSecret: .members([("env", .string(variable))])))
        let (status, output, _) = harness.run(["doctor"])
        #expect(status == 1)
        let secretLine = output.split(separator: "\n").first { $0.contains("solarNetwork.secret") && $0.contains("✗") }
        #expect(secretLine?.contains("environment variable \(variable) is not set") == true)
        #expect(output.contains("✗ targets[1].token"))
        #expect(output.contains("✓ webhooks[0].secrets[0]"))
        #expect(!output.contains(DoctorHarness.webhookSecret))
        #expect(!output.contains("sample-token-secret"))
        // The SolarNetwork checks are skipped, not failed twice.
        #expect(output.contains("– solarNetwork"))
        #expect(harness.solarNetwork.requests.isEmpty)
    }

    @Test("a wrong SolarNetwork secret fails authentication and skips the target checks")
    func wrongSecret() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        let report = try harness.doctor(harness.config(solarNetworkSecret: .string("wrong-secret")))
        let check = try #require(report.check(named: "solarNetwork"))
        #expect(check.status == .fail)
        #expect(check.reason.contains("authentication failed"))
        #expect(!check.reason.contains("wrong-secret"))
        #expect(report.check(named: "targets[0]") == nil)
    }

    @Test("--offline skips the network checks")
    func offline() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        try harness.write(harness.config())
        let (status, output, _) = harness.run(["doctor", "--offline"])
        #expect(status == 0)
        #expect(output.contains("– solarNetwork"))
        #expect(output.contains("--offline"))
        #expect(!output.contains("✓ targets[0]"))
        #expect(harness.solarNetwork.requests.isEmpty)
    }

    @Test("a listen port already in use is a warning, not a failure")
    func listenInUse() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        let report = try harness.doctor(harness.config(listenPort: harness.solarNetwork.port), offline: true)
        let check = try #require(report.check(named: "listen"))
        #expect(check.status == .warning)
        #expect(check.reason.contains("already in use"))
        #expect(report.passed)
    }

    @Test("SolarNetwork targets without a solarNetwork section fail")
    func noSolarNetworkSection() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        var json = harness.config()
        if case let .object(members) = json { json = .object(members.filter { $0.0 != "solarNetwork" }) }
        let report = try harness.doctor(json)
        let check = try #require(report.check(named: "solarNetwork"))
        #expect(check.status == .fail)
        #expect(check.reason.contains("targets[0], targets[1]"))
    }

    @Test("Energy Coordination: a token is obtained, or the failure is reported without the secret")
    func energyCoordination() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        let partner = EnergyCoordinationSimulator()
        try partner.start()
        defer { partner.stop() }
        func section(_ secret: String) -> JSON {
            .members([("baseUrl", .string(partner.apiBaseURL)), ("tokenUrl", .string(partner.tokenURL)),
                      ("clientId", .string("sample-client")), ("clientSecret", .string(secret))])
        }
        let good = try harness.doctor(harness.config(energyCoordination: section("sample-client-secret")))
        #expect(good.check(named: "energyCoordination")?.status == .pass)
        #expect(good.passed)

        let bad = try harness.doctor(harness.config(energyCoordination: section("bad-client-secret")))
        let check = try #require(bad.check(named: "energyCoordination"))
        #expect(check.status == .fail)
        #expect(!check.reason.contains("bad-client-secret"))
        #expect(!bad.text.contains("bad-client-secret"))

        let offline = try harness.doctor(harness.config(energyCoordination: section("sample-client-secret")), offline: true)
        #expect(offline.check(named: "energyCoordination")?.status == .skipped)
    }

    @Test("a configuration that does not load is one ✗ line naming the key path")
    func loadFailure() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        try #"{"listen": {"port": 8080, "hots": "x"}}"#.write(toFile: harness.configPath, atomically: true, encoding: .utf8)
        let (status, output, _) = harness.run(["doctor"])
        #expect(status == 1)
        #expect(output.contains("✗ listen.hots"))
    }

    @Test("an unreachable SolarNetwork is a failure within the call timeout")
    func unreachable() throws {
        let harness = try DoctorHarness()
        let json = harness.config()
        harness.stop()
        let configuration = try BridgeConfiguration(json: json)
        let report = Doctor(configuration: configuration, options: DoctorOptions(callTimeout: 2, environment: [:])).run()
        #expect(report.check(named: "solarNetwork")?.status == .fail)
        #expect(!report.passed)
    }

    @Test("a plain-http direct target on another host is a warning")
    func plainHTTP() {
        #expect(DirectTargetChecks.check(path: "targets[0]", channel: "oscp", baseUrl: "http://fp.example/oscp").status == .warning)
        #expect(DirectTargetChecks.check(path: "targets[0]", channel: "oscp", baseUrl: "https://fp.example/oscp").status == .pass)
        #expect(DirectTargetChecks.check(path: "targets[0]", channel: "oscp", baseUrl: "http://127.0.0.1:9/oscp").status == .pass)
    }
}
