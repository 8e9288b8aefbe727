import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import SmartCharging

@Suite struct TargetRegistryTests {
    /// The four channels of design.md §4.2, with defaults filled in.
    @Test func readsTheDesignExampleWithDefaults() throws {
        let registry = try Fixture.registry("""
        [ { "resourceId": "vehicle-1", "channel": "solarnetwork-ocpp", "nodeId": 123, "chargePointId": 5,
            "connectorId": 1, "ocppVersion": "1.6", "rateUnit": "A", "phases": 3, "voltage": 230,
            "minCurrent": 6, "maxCurrent": 32, "location": {"latitude": 59.9, "longitude": 10.7} },
          { "resourceId": "vehicle-2", "channel": "solarnetwork-oscp", "nodeId": 123, "capacityOptimizerId": 1,
            "groupIdentifier": "foo-group", "forecastType": "CONSUMPTION", "phase": "ALL", "unit": "KW",
            "phases": 3, "voltage": 230 },
          { "locationId": "loc-7", "channel": "oscp", "baseUrl": "https://fp.example/oscp/fp/2.0/", "token": { "env": "OSCP_TOKEN" },
            "groupIdentifier": "site-7", "unit": "KW" },
          { "locationId": "loc-9", "channel": "greenflux", "baseUrl": "https://platform-a.greenflux.com", "token": "inline-token",
            "capacityGroupId": "cg-1", "voltage": 230, "phases": 3 } ]
        """)
        #expect(registry.targets.count == 4)
        guard case let .solarNetworkOCPP(ocpp) = registry.targets[0].settings else { Issue.record("channel"); return }
        #expect(ocpp.chargePointId == "5")
        #expect(ocpp.belowMinimum == .pause)
        #expect(ocpp.stackLevel == OCPPTargetSettings.defaultStackLevel)
        #expect(ocpp.purpose == .transactionDefault)
        #expect(registry.targets[0].location == GeoLocation(latitude: Decimal(string: "59.9") ?? 0, longitude: Decimal(string: "10.7") ?? 0))
        guard case let .solarNetworkOSCP(sn) = registry.targets[1].settings else { Issue.record("channel"); return }
        #expect(sn.capacityOptimizerId == "1")
        #expect(sn.forecast.unit == .kilowatts)
        guard case let .oscp(direct) = registry.targets[2].settings else { Issue.record("channel"); return }
        #expect(direct.baseUrl == "https://fp.example/oscp/fp/2.0")
        #expect(direct.token == .environment("OSCP_TOKEN"))
        #expect(direct.forecast.forecastType == .consumption)
        #expect(direct.forecast.phase == .all)
        guard case let .greenFlux(gf) = registry.targets[3].settings else { Issue.record("channel"); return }
        #expect(gf.capacityUnit == .amps)
        #expect(gf.apiVersion == "1.0")
        #expect(registry.targets[3].key == "location:loc-9")
    }

    @Test func matchesByResourceThenLocationThenMeterPoint() throws {
        let registry = try Fixture.registry("""
        [ \(Fixture.ocppTarget()),
          { "locationId": "loc-7", "channel": "greenflux", "baseUrl": "https://gf.example", "token": "t", "capacityGroupId": "g" },
          { "meterPointId": "mp-1", "channel": "greenflux", "baseUrl": "https://gf.example", "token": "t", "capacityGroupId": "h" } ]
        """)
        #expect(registry.match(EventTarget(resourceId: "vehicle-1", locationId: "loc-7"))?.key == "resource:vehicle-1")
        #expect(registry.match(EventTarget(resourceId: "vehicle-x", locationId: "loc-7"))?.key == "location:loc-7")
        #expect(registry.match(EventTarget(resourceId: "vehicle-x", meterPointId: "mp-1"))?.key == "meterPoint:mp-1")
        #expect(registry.match(EventTarget(resourceId: "vehicle-x")) == nil)
        #expect(registry.match(EventTarget()) == nil)
    }

    @Test func ocpp201AcceptsEvseId() throws {
        let registry = try Fixture.registry("""
        [ {"resourceId": "r", "channel": "solarnetwork-ocpp", "nodeId": 1, "chargePointId": "7", "ocppVersion": "2.0.1",
           "evseId": 0, "maxCurrent": 16} ]
        """)
        guard case let .solarNetworkOCPP(s) = registry.targets[0].settings else { Issue.record("channel"); return }
        #expect(s.ocppVersion == .v201)
        #expect(s.connectorId == 0)
        #expect(s.purpose == .chargerMaximum)
    }

    /// Every error names its key path.
    @Test(arguments: [
        (#"[{"resourceId":"r","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":1,"maxCurrent":32,"phases":4}]"#,
         "targets[0].phases: must be between 1 and 3, found 4"),
        (#"[{"resourceId":"r","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":1,"maxCurrent":32,"voltage":0}]"#,
         "targets[0].voltage: must be greater than 0, found 0"),
        (#"[{"resourceId":"r","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":1,"minCurrent":10,"maxCurrent":8}]"#,
         "targets[0].maxCurrent: must be ≥ minCurrent (10), found 8"),
        (#"[{"resourceId":"r","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":-1,"maxCurrent":32}]"#,
         "targets[0].connectorId: must be between 0 and 2147483647, found -1"),
        (#"[{"resourceId":"r","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":1}]"#,
         "targets[0].maxCurrent: is required (amps per phase)"),
        (#"[{"resourceId":"r","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":1,"maxCurrent":32,"rateUnit":"kW"}]"#,
         "targets[0].rateUnit: must be one of A, W, found \"kW\""),
        (#"[{"resourceId":"r","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":1,"maxCurrent":32,"colour":"red"}]"#,
         "targets[0].colour: unknown key"),
        (#"[{"resourceId":"r","channel":"solarnetwork-oscp","nodeId":1,"capacityOptimizerId":1,"groupIdentifier":"g","unit":"kW"}]"#,
         "targets[0].unit: must be one of A, W, KW, WH, KWH, found \"kW\""),
        (#"[{"resourceId":"r","channel":"solarnetwork-oscp","nodeId":1,"capacityOptimizerId":1,"groupIdentifier":"g","unit":"KWH"}]"#,
         "targets[0].unit: energy units (WH, KWH) cannot express a power cap; use A, W or KW"),
        (#"[{"resourceId":"r","channel":"solarnetwork-oscp","nodeId":1,"capacityOptimizerId":1,"groupIdentifier":"g","forecastType":"consumption"}]"#,
         "targets[0].forecastType: must be one of CONSUMPTION, GENERATION, FALLBACK_CONSUMPTION, FALLBACK_GENERATION, OPTIMUM, found \"consumption\""),
        (#"[{"channel":"greenflux","baseUrl":"https://g","token":"t","capacityGroupId":"g"}]"#,
         "targets[0]: needs at least one of resourceId, locationId, meterPointId"),
        (#"[{"resourceId":"r","channel":"carrier-pigeon"}]"#,
         "targets[0].channel: must be one of solarnetwork-ocpp, solarnetwork-oscp, oscp, greenflux, found \"carrier-pigeon\""),
        (#"[{"resourceId":"r","channel":"oscp","baseUrl":"ftp://x","token":"t","groupIdentifier":"g"}]"#,
         "targets[0].baseUrl: must start with https:// or http://"),
        (#"[{"resourceId":"r","channel":"oscp","baseUrl":"https://x","groupIdentifier":"g"}]"#,
         "targets[0].token: is required"),
        (#"[{"resourceId":"r","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"evseId":1,"maxCurrent":32}]"#,
         "targets[0].evseId: is only used with ocppVersion 2.0.1; use connectorId"),
        (#"[{"resourceId":"r","channel":"greenflux","baseUrl":"https://g","token":"t","capacityGroupId":"g","location":{"latitude":91,"longitude":0}}]"#,
         "targets[0].location.latitude: must be between -90 and 90"),
    ])
    func rejectsWithKeyPath(config: String, expected: String) {
        #expect(Fixture.configError(config) == expected)
    }

    @Test func rejectsDuplicateMatchKeys() {
        let config = "[\(Fixture.ocppTarget()), \(Fixture.ocppTarget())]"
        #expect(Fixture.configError(config) == "targets[1].resourceId: \"vehicle-1\" is already used by targets[0]")
    }

    @Test func secretsNeverAppearInDescriptions() throws {
        let registry = try Fixture.registry("""
        [{"locationId":"l","channel":"oscp","baseUrl":"https://x","token":"super-secret-token","groupIdentifier":"g"}]
        """)
        #expect(!String(describing: registry.targets).contains("super-secret-token"))
    }
}
