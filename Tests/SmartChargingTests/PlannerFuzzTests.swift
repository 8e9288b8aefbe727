import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import SmartCharging

/// Bounded fuzz: random, often absurd events never crash the planner, and whatever it plans is
/// structurally valid (OCPP 1.6 rules embedded, OSCP and GreenFlux invariants).
@Suite struct PlannerFuzzTests {
    static let targets = """
    [ {"resourceId":"r16","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":1,"maxCurrent":32,"phases":1,"rateUnit":"W"},
      {"resourceId":"r16a","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":0,"maxCurrent":16,"belowMinimum":"minimum","maxPower":7000},
      {"resourceId":"r201","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":6,"ocppVersion":"2.0.1","evseId":1,"maxCurrent":32},
      {"resourceId":"sn-oscp","channel":"solarnetwork-oscp","nodeId":1,"capacityOptimizerId":2,"groupIdentifier":"g","defaultCapacity":11},
      {"locationId":"oscp","channel":"oscp","baseUrl":"https://x","token":"t","groupIdentifier":"g2","unit":"W"},
      {"meterPointId":"gf","channel":"greenflux","baseUrl":"https://g","token":"t","capacityGroupId":"c","capacityUnit":"W","defaultCapacity":0} ]
    """

    func randomSchedule(_ rng: inout SeededGenerator) -> CapSchedule? {
        if Int.random(in: 0..<8, using: &rng) == 0 { return nil }
        let starts: [ScheduleStart] = [.now, .at(Fixture.t0), .at(Date(timeIntervalSince1970: -62_135_596_800)),
                                       .at(.distantFuture), .at(Date(timeIntervalSince1970: 253_402_300_000)),
                                       .at(Date(timeIntervalSince1970: Double(Int.random(in: 0...4_000_000_000, using: &rng)) + 0.75))]
        let durations: [Int?] = [nil, 0, -5, 1, 900, 86_400, Int.max, Int(Int32.max), Int.random(in: -10...100_000, using: &rng)]
        let randomize = [0, 1, -30, 900, Int.max][Int.random(in: 0..<5, using: &rng)]
        let count = [0, 1, 3, 48, Int.random(in: 0...60, using: &rng)][Int.random(in: 0..<5, using: &rng)]
        var periods: [CapSchedule.Period] = []
        for _ in 0..<count {
            let offset = [0, -1, 3600, Int.max, Int.random(in: 0...100_000, using: &rng)][Int.random(in: 0..<5, using: &rng)]
            let values: [Decimal] = [0, -1, Decimal(string: "1e30")!, Decimal(string: "0.05")!, rng.decimal(max: 50_000, digits: 4)]
            let value = values[Int.random(in: 0..<values.count, using: &rng)]
            periods.append(.init(offset: offset, cap: Cap(value, Bool.random(using: &rng) ? .amps : .watts)))
        }
        return CapSchedule(start: starts[Int.random(in: 0..<starts.count, using: &rng)],
                           duration: durations[Int.random(in: 0..<durations.count, using: &rng)],
                           randomizeStart: randomize, periods: periods)
    }

    func randomEvent(_ rng: inout SeededGenerator, index: Int) -> CoordinationEvent {
        let ids = ["r16", "r16a", "r201", "sn-oscp", "oscp", "gf", "nobody"]
        var targets: [EventTarget] = []
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            let id = ids[Int.random(in: 0..<ids.count, using: &rng)]
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: targets.append(EventTarget(resourceId: id, schedule: randomSchedule(&rng)))
            case 1: targets.append(EventTarget(locationId: id, schedule: randomSchedule(&rng)))
            default: targets.append(EventTarget(meterPointId: id, schedule: randomSchedule(&rng)))
            }
        }
        let operations: [EventOperation?] = [nil, .create, .update, .delete]
        return CoordinationEvent(id: "fuzz-\(index)-\"ü/|", dialect: .ec2024,
                                 operation: operations[Int.random(in: 0..<4, using: &rng)], payloadType: "ResourceLPC",
                                 isMappable: Int.random(in: 0..<10, using: &rng) != 0,
                                 priority: [nil, Int.min, -1, 0, 5, Int.max][Int.random(in: 0..<6, using: &rng)],
                                 modifiedAt: Bool.random(using: &rng) ? .distantFuture : nil, targets: targets)
    }

    @Test func randomEventsPlanValidStructures() throws {
        let planner = Planner(registry: try Fixture.registry(Self.targets), options: PlannerOptions(maxPeriods: 40))
        var rng = SeededGenerator(seed: 0xF022)
        var delivered = 0
        for index in 0..<600 {
            let event = randomEvent(&rng, index: index)
            let plan = planner.plan(event, now: Fixture.t0)
            #expect(plan == planner.plan(event, now: Fixture.t0), "planning is deterministic")
            #expect(plan.deliveries.count + plan.skipped.count >= event.targets.count)
            _ = try JSON.parse(plan.json(event: .null).compactText)
            for delivery in plan.deliveries {
                delivered += 1
                try check(delivery, event: event)
            }
        }
        #expect(delivered > 50, "the fuzz should plan a fair number of deliveries")
    }

    func check(_ d: PlannedDelivery, event: CoordinationEvent) throws {
        switch d.channel {
        case .solarNetworkOCPP:
            let action = try #require(d.body["params"]?["action"]?.stringValue)
            #expect(d.body["params"]?["chargePointId"]?.stringValue != nil)
            let message = try Fixture.message(d)
            if case .solarNetworkPath("/solaruser/api/v1/sec/instr/add/OCPP_v16") = d.address {
                let rule = try #require(SchemaRule.ocpp16(action: action))
                #expect(rule.violations(message).isEmpty, "\(rule.violations(message)) in \(message.compactText)")
            }
            let profile = message["csChargingProfiles"] ?? message["chargingProfile"]
            let schedule = profile?["chargingSchedule"]?.arrayValue?.first ?? profile?["chargingSchedule"]
            if let periods = schedule?["chargingSchedulePeriod"]?.arrayValue {
                let starts = periods.compactMap { $0["startPeriod"]?.intValue }
                #expect(starts.first == 0 && starts == starts.sorted() && Set(starts).count == starts.count)
                #expect(!periods.isEmpty && periods.count <= 40)
                for period in periods {
                    let limit = try #require(period["limit"]?.decimalValue)
                    #expect(limit >= 0 && CapRounding.isMultipleOfTenth(limit))
                }
                if let stack = profile?["stackLevel"]?.intValue { #expect(stack >= 1 && stack <= 10) }
            } else {
                #expect(d.operation == .delete)
            }
        case .solarNetworkOSCP, .oscp:
            let message = d.channel == .oscp ? d.body : try Fixture.message(d)
            let blocks = try #require(message["forecasted_blocks"]?.arrayValue)
            #expect(!blocks.isEmpty)
            var previousEnd: Date?
            for block in blocks {
                let start = try #require(block["start_time"]?.stringValue.flatMap { Timestamp.parse($0) })
                let end = try #require(block["end_time"]?.stringValue.flatMap { Timestamp.parse($0) })
                #expect(start < end)
                if let previousEnd { #expect(previousEnd == start, "blocks are contiguous") }
                previousEnd = end
                #expect((block["capacity"]?.decimalValue ?? -1) >= 0)
                #expect(["A", "W", "KW"].contains(block["unit"]?.stringValue ?? ""))
            }
            if d.channel == .solarNetworkOSCP {
                #expect(message["group_id"]?.stringValue == d.body["params"]?["cgIdentifier"]?.stringValue)
            }
        case .greenFlux:
            let entries = try #require(d.body.arrayValue)
            #expect(!entries.isEmpty)
            for entry in entries {
                let start = try #require(entry["start_date_time"]?.stringValue.flatMap { Timestamp.parse($0) })
                let end = try #require(entry["end_date_time"]?.stringValue.flatMap { Timestamp.parse($0) })
                #expect(start < end)
            }
        }
    }

    /// The acceptance messages themselves pass the embedded OCPP 1.6 rules.
    @Test func acceptanceMessagesPassTheEmbeddedSchema() throws {
        let registry = try Fixture.registry("[\(Fixture.ocppTarget(rateUnit: "W"))]")
        let planner = Planner(registry: registry)
        for cap in [Cap(10, .amps), Cap(11000, .watts), Cap(Decimal(string: "8.1")!, .amps), Cap(0, .amps)] {
            for operation: EventOperation in [.create, .delete] {
                let event = Fixture.event(operation: operation, targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(cap))])
                let d = try #require(planner.plan(event, now: Fixture.t0).deliveries.first)
                let rule = try #require(SchemaRule.ocpp16(action: d.body["params"]?["action"]?.stringValue ?? ""))
                #expect(rule.violations(try Fixture.message(d)).isEmpty)
            }
        }
        // The rules catch what they should.
        let bad = try JSON.parse(#"{"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":1,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"kW","chargingSchedulePeriod":[{"startPeriod":0,"limit":7.25}]},"extra":1}}"#)
        #expect(SchemaRule.setChargingProfile16.violations(bad).count == 3)
    }
}
