import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import SmartCharging

/// OSCP (through SolarNetwork and direct) and GreenFlux deliveries.
@Suite struct PlannerChannelTests {
    static let targets = """
    [ {"resourceId":"vehicle-2","channel":"solarnetwork-oscp","nodeId":123,"capacityOptimizerId":1,
       "groupIdentifier":"foo-group","defaultCapacity":22},
      {"locationId":"loc-7","channel":"oscp","baseUrl":"https://fp.example/oscp/fp/2.0","token":{"env":"T"},
       "groupIdentifier":"site-7","unit":"A"},
      {"locationId":"loc-9","channel":"greenflux","baseUrl":"https://platform-a.greenflux.com","token":"t",
       "capacityGroupId":"cg 1","defaultCapacity":32} ]
    """

    func plan(_ event: CoordinationEvent) throws -> Plan {
        Planner(registry: try Fixture.registry(Self.targets)).plan(event, now: Fixture.t0)
    }

    @Test func solarNetworkOSCPCarriesKilowattsAndUTCTimes() throws {
        let schedule = CapSchedule(start: .at(Fixture.t0), duration: 7200, periods: [
            .init(offset: 0, cap: Cap(10, .amps)), .init(offset: 3600, cap: Cap(6, .amps)),
        ])
        let plan = try plan(Fixture.event(targets: [EventTarget(resourceId: "vehicle-2", schedule: schedule)]))
        let delivery = try #require(plan.deliveries.first)
        #expect(delivery.address == .solarNetworkPath("/solaruser/api/v1/sec/instr/add/OSCP_v20"))
        #expect(delivery.body["nodeId"] == .int(123))
        #expect(delivery.body["params"]?["action"] == .string("AdjustGroupCapacityForecast"))
        #expect(delivery.body["params"]?["coId"] == .string("1"))
        #expect(delivery.body["params"]?["cgIdentifier"] == .string("foo-group"))
        #expect(delivery.body["params"]?["msg"]?.stringValue == #"{"group_id":"foo-group","type":"CONSUMPTION","forecasted_blocks":[{"capacity":6.9,"phase":"ALL","unit":"KW","start_time":"2024-01-01T16:00:00Z","end_time":"2024-01-01T17:00:00Z"},{"capacity":4.14,"phase":"ALL","unit":"KW","start_time":"2024-01-01T17:00:00Z","end_time":"2024-01-01T18:00:00Z"}]}"#)
        #expect(delivery.applied == AppliedCap(current: 10, power: 6900, voltage: 230, phases: 3))
    }

    @Test func directOSCPPostsUpdateWithARequestId() throws {
        let event = Fixture.event(targets: [EventTarget(locationId: "loc-7", schedule: Fixture.schedule(Cap(11000, .watts), duration: nil))])
        let plan = try plan(event)
        let delivery = try #require(plan.deliveries.first)
        #expect(delivery.address == .url("https://fp.example/oscp/fp/2.0/update_group_capacity_forecast"))
        #expect(delivery.body.compactText == #"{"group_id":"site-7","type":"CONSUMPTION","forecasted_blocks":[{"capacity":15.9,"phase":"ALL","unit":"A","start_time":"2024-01-01T16:00:00Z","end_time":"2024-01-02T16:00:00Z"}]}"#)
        let requestId = try #require(delivery.headers.first)
        #expect(requestId.name == "X-Request-ID")
        #expect(requestId.value.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression) != nil)
        #expect(requestId.value == (try self.plan(event)).deliveries.first?.headers.first?.value)
        #expect(!delivery.headers.contains { $0.name == "Authorization" })
        let rendered = plan.json(event: .null).compactText
        #expect(rendered.contains(#"{"locationId":"loc-7","channel":"oscp","method":"POST","url":"https://fp.example/oscp/fp/2.0/update_group_capacity_forecast","headers":{"X-Request-ID":""#))
    }

    @Test func greenFluxPutsScenarioEntries() throws {
        let schedule = CapSchedule(start: .at(Fixture.t0), duration: 7200, periods: [
            .init(offset: 0, cap: Cap(Decimal(string: "16.19") ?? 0, .amps)), .init(offset: 3600, cap: Cap(4140, .watts)),
        ])
        let delivery = try #require(try plan(Fixture.event(targets: [EventTarget(locationId: "loc-9", schedule: schedule)])).deliveries.first)
        #expect(delivery.method == "PUT")
        #expect(delivery.address == .url("https://platform-a.greenflux.com/api/1.0/smartcharging/capacitygroups/cg%201/capacityscenarios/datetime"))
        #expect(delivery.body.compactText == #"[{"capacity":16.1,"start_date_time":"2024-01-01T16:00:00Z","end_date_time":"2024-01-01T17:00:00Z"},{"capacity":6,"start_date_time":"2024-01-01T17:00:00Z","end_date_time":"2024-01-01T18:00:00Z"}]"#)
        #expect(delivery.windowStart == Fixture.t0)
        #expect(delivery.windowEnd == Fixture.t0.addingTimeInterval(7200))
    }

    @Test func deleteRestoresDefaultCapacityOrIsSkipped() throws {
        let targets = [EventTarget(resourceId: "vehicle-2"), EventTarget(locationId: "loc-7"), EventTarget(locationId: "loc-9")]
        let plan = try plan(Fixture.event(operation: .delete, targets: targets))
        #expect(plan.deliveries.count == 2)
        #expect(plan.deliveries[0].body["params"]?["msg"]?.stringValue == #"{"group_id":"foo-group","type":"CONSUMPTION","forecasted_blocks":[{"capacity":22,"phase":"ALL","unit":"KW","start_time":"2024-01-01T16:00:00Z","end_time":"2024-01-02T16:00:00Z"}]}"#)
        #expect(plan.deliveries[1].body.compactText == #"[{"capacity":32,"start_date_time":"2024-01-01T16:00:00Z","end_date_time":"2024-01-02T16:00:00Z"}]"#)
        #expect(plan.skipped == [SkippedTarget(locationId: "loc-7", reason: "Delete needs defaultCapacity to restore, and none is configured")])
    }

    @Test func aTargetMatchedTwiceIsPlannedOnce() throws {
        let schedule = Fixture.schedule(Cap(10, .amps))
        let plan = try plan(Fixture.event(targets: [EventTarget(locationId: "loc-9", schedule: schedule),
                                                    EventTarget(resourceId: "x", locationId: "loc-9", schedule: schedule)]))
        #expect(plan.deliveries.count == 1)
        #expect(plan.skipped.first?.reason == "target location:loc-9 is already planned for this event")
    }
}
