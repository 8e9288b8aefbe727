import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import SmartCharging

/// Builds `map`-shaped outputs for every channel and message kind. With the environment variable
/// `ECBRIDGE_WRITE_CONFORMANCE_SAMPLES=DIR` set, writes them to DIR for Tests/Conformance/run.sh
/// (the committed Tests/Conformance/samples were produced this way).
@Suite struct ConformanceSampleTests {
    static let config = """
    [ {"resourceId":"vehicle-1","channel":"solarnetwork-ocpp","nodeId":123,"chargePointId":5,"connectorId":1,"maxCurrent":32},
      {"resourceId":"vehicle-w","channel":"solarnetwork-ocpp","nodeId":123,"chargePointId":5,"connectorId":2,"rateUnit":"W","phases":1,"maxCurrent":32,"belowMinimum":"minimum"},
      {"resourceId":"charger-0","channel":"solarnetwork-ocpp","nodeId":123,"chargePointId":6,"connectorId":0,"maxCurrent":63,"stackLevel":3},
      {"resourceId":"station-201","channel":"solarnetwork-ocpp","nodeId":124,"chargePointId":"7","ocppVersion":"2.0.1","evseId":1,"maxCurrent":32},
      {"resourceId":"vehicle-2","channel":"solarnetwork-oscp","nodeId":123,"capacityOptimizerId":1,"groupIdentifier":"foo-group","defaultCapacity":22},
      {"locationId":"loc-7","channel":"oscp","baseUrl":"https://fp.example/oscp/fp/2.0","token":{"env":"OSCP_TOKEN"},"groupIdentifier":"site-7","unit":"KW","defaultCapacity":50},
      {"locationId":"loc-9","channel":"greenflux","baseUrl":"https://platform-a.greenflux.com","token":{"env":"GF_TOKEN"},"capacityGroupId":"cg-1","defaultCapacity":32} ]
    """

    static let everyone = ["vehicle-1", "vehicle-w", "charger-0", "station-201", "vehicle-2"]

    static func events() -> [(name: String, event: CoordinationEvent)] {
        func targets(_ schedule: CapSchedule?) -> [EventTarget] {
            everyone.map { EventTarget(resourceId: $0, schedule: schedule) }
                + [EventTarget(locationId: "loc-7", schedule: schedule), EventTarget(locationId: "loc-9", schedule: schedule),
                   EventTarget(resourceId: "vehicle-9", schedule: schedule)]
        }
        let lpc = CapSchedule(start: .at(Fixture.t0), duration: 10800, periods: [
            .init(offset: 0, cap: Cap(11000, .watts)), .init(offset: 3600, cap: Cap(Decimal(string: "6900.5") ?? 0, .watts)),
            .init(offset: 7200, cap: Cap(1000, .watts)),
        ])
        return [
            ("current-level", Fixture.event(id: "ev-current", targets: targets(Fixture.schedule(Cap(Decimal(string: "8.15") ?? 0, .amps))))),
            ("power-level", Fixture.event(id: "ev-power", payloadType: "PowerLevel", priority: 2,
                                          targets: targets(Fixture.schedule(Cap(11000, .watts), randomizeStart: 600)))),
            ("lpc", Fixture.event(id: "ev-lpc", payloadType: "LocationLPC", targets: targets(lpc))),
            ("open-ended", Fixture.event(id: "ev-open", operation: .update, targets: targets(Fixture.schedule(Cap(16, .amps), start: .now, duration: nil)))),
            ("delete", Fixture.event(id: "ev-current", operation: .delete, targets: targets(nil))),
        ]
    }

    static func eventJSON(_ event: CoordinationEvent) -> JSON {
        .members([("id", .string(event.id)), ("dialect", .string(event.dialect.rawValue)),
                  ("operation", .string((event.operation ?? .create).rawValue)), ("payloadType", .string(event.payloadType))])
    }

    @Test func samplesPlanForEveryChannelAndPassTheEmbeddedRules() throws {
        let planner = Planner(registry: try Fixture.registry(Self.config))
        let outputDir = ProcessInfo.processInfo.environment["ECBRIDGE_WRITE_CONFORMANCE_SAMPLES"]
        for (name, event) in Self.events() {
            let plan = planner.plan(event, now: Fixture.t0)
            #expect(plan.deliveries.count == 7, "\(name): \(plan.skipped)")
            #expect(plan.skipped.map(\.reason) == ["no target configured"])
            for delivery in plan.deliveries where delivery.address == .solarNetworkPath("/solaruser/api/v1/sec/instr/add/OCPP_v16") {
                let rule = try #require(SchemaRule.ocpp16(action: delivery.body["params"]?["action"]?.stringValue ?? ""))
                #expect(rule.violations(try Fixture.message(delivery)).isEmpty)
            }
            if let outputDir {
                let text = plan.json(event: Self.eventJSON(event)).prettyText + "\n"
                try Data(text.utf8).write(to: URL(fileURLWithPath: outputDir).appendingPathComponent("\(name).json"))
            }
        }
    }
}
