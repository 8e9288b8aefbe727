import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import SmartCharging

@Suite struct PlannerMatchingTests {
    static let registry = """
        [\(Fixture.ocppTarget()),
         {"locationId": "loc-9", "channel": "greenflux", "baseUrl": "http://gf.example", "token": "t",
          "capacityGroupId": "cg-9", "defaultCapacity": 32}]
        """

    @Test func resourceLPCNeverFallsBackToTheLocation() throws {
        let planner = Planner(registry: try Fixture.registry(Self.registry))
        let cap = Fixture.schedule(Cap(3700, .watts))
        let event = Fixture.event(payloadType: "ResourceLPC", targets: [
            EventTarget(resourceId: "vehicle-1", locationId: "loc-9", schedule: cap),
            EventTarget(resourceId: "vehicle-9", locationId: "loc-9", schedule: cap),
        ])
        let plan = planner.plan(event, now: Fixture.t0)
        #expect(plan.deliveries.map(\.targetKey) == ["resource:vehicle-1"])
        #expect(plan.skipped.map(\.resourceId) == ["vehicle-9"])
        #expect(plan.skipped.first?.reason.contains("resource targets only") == true)
    }

    @Test func otherPayloadsFallBackToTheLocationAsDesigned() throws {
        let planner = Planner(registry: try Fixture.registry(Self.registry))
        let event = Fixture.event(payloadType: "CurrentLevel", targets: [
            EventTarget(resourceId: "vehicle-9", locationId: "loc-9", schedule: Fixture.schedule(Cap(16, .amps))),
        ])
        let plan = planner.plan(event, now: Fixture.t0)
        #expect(plan.deliveries.map(\.targetKey) == ["location:loc-9"])
    }
}
