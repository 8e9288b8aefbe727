import Essentials
import Foundation
import Testing
@testable import Bridge

@Suite("solarnetwork listing verbs")
struct DoctorSolarNetworkCommandTests {
    static let settings = SolarNetworkSimulatorSettings(
        chargers: [SolarNetworkSimulatorSettings.Charger(id: 5, nodeId: 123, identifier: "CP-5"),
                   SolarNetworkSimulatorSettings.Charger(id: 6, nodeId: 123, identifier: "CP-6", enabled: false, registrationStatus: "Pending")],
        capacityOptimizers: [SolarNetworkSimulatorSettings.CapacityOptimizer(configId: 1, name: "Optimizer 1"),
                             SolarNetworkSimulatorSettings.CapacityOptimizer(configId: 2, name: "Optimizer 2", enabled: false)],
        capacityGroups: [SolarNetworkSimulatorSettings.CapacityGroup(configId: 1, identifier: "foo-group", name: "Foo group", capacityOptimizerId: 1)])

    @Test("chargers as a table and as the raw entities array")
    func chargers() throws {
        let harness = try DoctorHarness(settings: Self.settings)
        defer { harness.stop() }
        try harness.write(harness.config())
        let (status, output, errors) = harness.run(["solarnetwork", "chargers"])
        #expect(status == 0, "\(errors)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.first?.contains("REGISTRATION") == true)
        #expect(lines.contains { $0.hasPrefix("5 ") && $0.contains("CP-5") && $0.contains("123") && $0.contains("true") && $0.contains("Accepted") })
        #expect(lines.contains { $0.hasPrefix("6 ") && $0.contains("false") && $0.contains("Pending") })

        let (jsonStatus, json, _) = harness.run(["solarnetwork", "chargers", "--json"])
        #expect(jsonStatus == 0)
        let items = try #require(try JSON.parse(json).arrayValue)
        #expect(items.count == 2)
        #expect(items.first?["info"]?["id"] == .string("CP-5"))
    }

    @Test("capacity groups and optimizers")
    func oscpEntities() throws {
        let harness = try DoctorHarness(settings: Self.settings)
        defer { harness.stop() }
        try harness.write(harness.config())
        let (status, groups, _) = harness.run(["solarnetwork", "capacity-groups"])
        #expect(status == 0)
        #expect(groups.contains("IDENTIFIER"))
        #expect(groups.split(separator: "\n").contains { $0.contains("foo-group") && $0.contains("Foo group") })
        let (optimizerStatus, optimizers, _) = harness.run(["solarnetwork", "capacity-optimizers"])
        #expect(optimizerStatus == 0)
        #expect(optimizers.split(separator: "\n").contains { $0.contains("Optimizer 2") && $0.contains("false") })
        let (_, json, _) = harness.run(["solarnetwork", "capacity-optimizers", "--json"])
        #expect(try JSON.parse(json).arrayValue?.count == 2)
    }

    @Test("a bad listing name is a usage error; a missing section names the key")
    func errors() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        var json = harness.config()
        try harness.write(json)
        let (usage, _, usageErrors) = harness.run(["solarnetwork", "nodes"])
        #expect(usage == 2)
        #expect(usageErrors.contains("expected chargers"))
        if case let .object(members) = json { json = .object(members.filter { $0.0 != "solarNetwork" && $0.0 != "targets" }) }
        try harness.write(json)
        let (status, _, errors) = harness.run(["solarnetwork", "chargers"])
        #expect(status == 1)
        #expect(errors.contains("solarNetwork"))
    }

    @Test("a refused token is one error line without the secret")
    func refused() throws {
        let harness = try DoctorHarness()
        defer { harness.stop() }
        try harness.write(harness.config(solarNetworkSecret: .string("not-the-secret")))
        let (status, output, errors) = harness.run(["solarnetwork", "chargers"])
        #expect(status == 1)
        #expect(output.isEmpty)
        #expect(errors.contains("authentication failed"))
        #expect(!errors.contains("not-the-secret"))
    }
}
