import EnergyCoordination
import Essentials
import Foundation
import Testing
@testable import SmartCharging

/// The issue's acceptance figures for OCPP targets, plus the exact instruction body of design.md §4.3.
@Suite struct PlannerOCPPTests {
    func plan(_ targets: String, _ event: CoordinationEvent, options: PlannerOptions = PlannerOptions()) throws -> Plan {
        Planner(registry: try Fixture.registry("[\(targets)]"), options: options).plan(event, now: Fixture.t0)
    }

    func onlyMessage(_ plan: Plan) throws -> JSON {
        try #require(plan.deliveries.count == 1, "skipped: \(plan.skipped)")
        return try Fixture.message(plan.deliveries[0])
    }

    func limits(_ message: JSON) -> [String] {
        let schedule = message["csChargingProfiles"]?["chargingSchedule"]
        return (schedule?["chargingSchedulePeriod"]?.arrayValue ?? []).compactMap {
            if case let .number(n)? = $0["limit"] { return n }
            return nil
        }
    }

    @Test func currentLevelOnAWattTargetIsWatts() throws {
        let event = Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(10, .amps)))])
        let plan = try plan(Fixture.ocppTarget(rateUnit: "W"), event)
        let message = try onlyMessage(plan)
        #expect(limits(message) == ["6900.0"])
        #expect(message["csChargingProfiles"]?["chargingSchedule"]?["chargingRateUnit"] == .string("W"))
        #expect(plan.deliveries[0].applied == AppliedCap(current: 10, power: 6900, voltage: 230, phases: 3))
    }

    @Test func powerLevelOnAnAmpTargetIsRoundedDown() throws {
        let event = Fixture.event(payloadType: "PowerLevel",
                                  targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(11000, .watts)))])
        let message = try onlyMessage(try plan(Fixture.ocppTarget(rateUnit: "A"), event))
        #expect(limits(message) == ["15.9"])
    }

    @Test func clampsToMaxCurrentAndMaxPower() throws {
        let event = Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(63, .amps)))])
        #expect(limits(try onlyMessage(try plan(Fixture.ocppTarget(), event))) == ["32.0"])
        // maxPower 11 kW at 690 W/A → 15.94… A → 15.9 A.
        #expect(limits(try onlyMessage(try plan(Fixture.ocppTarget(#", "maxPower": 11000"#), event))) == ["15.9"])
        #expect(limits(try onlyMessage(try plan(Fixture.ocppTarget(#", "maxPower": 11000"#, rateUnit: "W"), event))) == ["11000.0"])
    }

    @Test(arguments: ["A", "W"])
    func belowMinimumPausesOrRaises(unit: String) throws {
        let event = Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(Decimal(string: "5.9") ?? 0, .amps)))])
        let paused = try plan(Fixture.ocppTarget(rateUnit: unit), event)
        #expect(limits(try onlyMessage(paused)) == ["0.0"])
        #expect(paused.deliveries[0].applied?.isStop == true)
        let raised = try onlyMessage(try plan(Fixture.ocppTarget(#", "belowMinimum": "minimum""#, rateUnit: unit), event))
        #expect(limits(raised) == [unit == "A" ? "6.0" : "4140.0"])
        // Zero stays zero under either policy.
        let zero = Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(0, .amps)))])
        #expect(limits(try onlyMessage(try plan(Fixture.ocppTarget(#", "belowMinimum": "minimum""#, rateUnit: unit), zero))) == ["0.0"])
    }

    @Test func lpcPointsBecomePeriods() throws {
        let schedule = CapSchedule(start: .at(Fixture.t0), duration: 10800, periods: [
            .init(offset: 0, cap: Cap(11000, .watts)), .init(offset: 3600, cap: Cap(6900, .watts)),
            .init(offset: 7200, cap: Cap(4140, .watts)),
        ])
        let event = Fixture.event(payloadType: "ResourceLPC", targets: [EventTarget(resourceId: "vehicle-1", schedule: schedule)])
        let message = try onlyMessage(try plan(Fixture.ocppTarget(), event))
        let chargingSchedule = message["csChargingProfiles"]?["chargingSchedule"]
        #expect(chargingSchedule?["duration"] == .int(10800))
        #expect(chargingSchedule?["startSchedule"] == .string("2024-01-01T16:00:00Z"))
        let starts = (chargingSchedule?["chargingSchedulePeriod"]?.arrayValue ?? []).compactMap { $0["startPeriod"]?.intValue }
        #expect(starts == [0, 3600, 7200])
        #expect(limits(message) == ["15.9", "10.0", "6.0"])
    }

    @Test func openEndedHasNoDuration() throws {
        let event = Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(16, .amps), start: .now, duration: nil))])
        let plan = try plan(Fixture.ocppTarget(), event)
        let chargingSchedule = try onlyMessage(plan)["csChargingProfiles"]?["chargingSchedule"]
        #expect(chargingSchedule?["duration"] == nil)
        #expect(chargingSchedule?["startSchedule"] == .string("2024-01-01T16:00:00Z"))
        #expect(plan.deliveries[0].windowEnd == nil)
    }

    /// design.md §4.3: `body` is exactly what is sent; params values are strings; `msg` is a JSON string.
    @Test func instructionBodyIsExact() throws {
        let event = Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(10, .amps)))])
        let planner = Planner(registry: try Fixture.registry("[\(Fixture.ocppTarget())]"))
        let plan = planner.plan(event, now: Fixture.t0)
        let delivery = try #require(plan.deliveries.first)
        let id = planner.chargingProfileId(eventId: "evt-1", targetKey: "resource:vehicle-1")
        #expect(delivery.address == .solarNetworkPath("/solaruser/api/v1/sec/instr/add/OCPP_v16"))
        #expect(delivery.method == "POST")
        let msg = #"{"connectorId":1,"csChargingProfiles":{"chargingProfileId":"# + "\(id)" +
            #","stackLevel":1,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"2024-01-01T16:00:00Z","duration":7200,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":10.0}]}}}"#
        let expected = JSON.members([("nodeId", .int(123)), ("params", .members([
            ("action", .string("SetChargingProfile")), ("chargePointId", .string("5")), ("msg", .string(msg)),
        ]))])
        #expect(delivery.body.compactText == expected.compactText)
        let rendered = plan.json(event: .members([("id", .string("evt-1"))])).compactText
        #expect(rendered.hasPrefix(#"{"event":{"id":"evt-1"},"deliveries":[{"resourceId":"vehicle-1","channel":"solarnetwork-ocpp","method":"POST","path":"/solaruser/api/v1/sec/instr/add/OCPP_v16","body":{"nodeId":123,"#))
        #expect(rendered.hasSuffix(#""skipped":[]}"#))
    }

    @Test func connectorZeroIsChargePointMaxAndPhasesAreWritten() throws {
        let target = #"{"resourceId":"vehicle-1","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":5,"connectorId":0,"maxCurrent":32,"phases":1}"#
        let event = Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(3680, .watts)))])
        let message = try onlyMessage(try plan(target, event))
        #expect(message["connectorId"] == .int(0))
        #expect(message["csChargingProfiles"]?["chargingProfilePurpose"] == .string("ChargePointMaxProfile"))
        let period = message["csChargingProfiles"]?["chargingSchedule"]?["chargingSchedulePeriod"]?.arrayValue?.first
        #expect(period?["numberPhases"] == .int(1))
        #expect(period?["limit"] == .number("16.0"))
    }

    @Test func updateKeepsTheProfileIdAndDeleteClearsIt() throws {
        let target = EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(10, .amps)))
        let create = try plan(Fixture.ocppTarget(), Fixture.event(operation: nil, targets: [target]))
        var changed = target
        changed.schedule = Fixture.schedule(Cap(12, .amps))
        let update = try plan(Fixture.ocppTarget(), Fixture.event(operation: .update, targets: [changed]))
        let delete = try plan(Fixture.ocppTarget(), Fixture.event(operation: .delete, targets: [EventTarget(resourceId: "vehicle-1")]))
        #expect(create.operation == .create)
        let id = try #require(create.deliveries.first?.chargingProfileId)
        #expect(update.deliveries.first?.chargingProfileId == id)
        #expect(try onlyMessage(update)["csChargingProfiles"]?["chargingProfileId"] == .int(id))
        #expect(create.deliveries.first?.idempotencyKey != update.deliveries.first?.idempotencyKey)
        let clear = try #require(delete.deliveries.first)
        #expect(clear.body["params"]?["action"] == .string("ClearChargingProfile"))
        #expect(try Fixture.message(clear).compactText == #"{"id":\#(id)}"#)
        #expect(clear.applied == nil)
    }

    @Test func ocpp201MessagesUseEvseAndArraySchedules() throws {
        let target = #"{"resourceId":"vehicle-1","channel":"solarnetwork-ocpp","nodeId":1,"chargePointId":"5","ocppVersion":"2.0.1","evseId":0,"maxCurrent":32}"#
        let planner = Planner(registry: try Fixture.registry("[\(target)]"))
        let event = Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(10, .amps)))])
        let set = try #require(planner.plan(event, now: Fixture.t0).deliveries.first)
        let id = planner.chargingProfileId(eventId: "evt-1", targetKey: "resource:vehicle-1")
        #expect(set.address == .solarNetworkPath("/solaruser/api/v1/sec/instr/add/OCPP_v201"))
        #expect(try Fixture.message(set).compactText == #"{"evseId":0,"chargingProfile":{"id":\#(id),"stackLevel":1,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":\#(id),"startSchedule":"2024-01-01T16:00:00Z","duration":7200,"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":10.0}]}]}}"#)
        var delete = event
        delete.operation = .delete
        let clear = try #require(planner.plan(delete, now: Fixture.t0).deliveries.first)
        #expect(try Fixture.message(clear).compactText == #"{"chargingProfileId":\#(id)}"#)
    }

    @Test(arguments: [(nil as Int?, 1), (9, 1), (20, 1), (5, 5), (0, 10), (-3, 10)])
    func higherPriorityGetsAHigherStackLevel(priority: Int?, expected: Int) throws {
        let event = Fixture.event(priority: priority, targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(10, .amps)))])
        let message = try onlyMessage(try plan(Fixture.ocppTarget(), event))
        #expect(message["csChargingProfiles"]?["stackLevel"] == .int(expected))
        #expect(Planner.stackLevel(base: 10, priority: 0, maxStackLevel: 15) == 15)
    }

    @Test func randomizedStartIsStableAndInRange() throws {
        let event = Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: Fixture.schedule(Cap(10, .amps), randomizeStart: 900))])
        let a = try plan(Fixture.ocppTarget(), event)
        let b = try plan(Fixture.ocppTarget(), event)
        #expect(a == b)
        let start = try #require(a.deliveries.first?.windowStart)
        let offset = start.timeIntervalSince(Fixture.t0)
        #expect(offset >= 0 && offset < 900)
        #expect(offset == Double(Planner.randomStartOffset(eventId: "evt-1", targetKey: "resource:vehicle-1", randomizeStart: 900)))
        // Pinned value: FNV-1a is fully specified, so this holds on every platform and run.
        #expect(StableHash.of("a") == 0x089b_c907_b544_c769) // FNV-1a 64 of "a" + 0xFF separator
        var plain = StableHash()
        plain.add(UInt8(ascii: "a"))
        #expect(plain.value == 0xaf63_dc4c_8601_ec8c) // the published FNV-1a 64 test value for "a"
        #expect(StableHash.hex(StableHash.of([])) == "cbf29ce484222325")
    }

    @Test func unmatchedAndUnmappedAreSkipped() throws {
        let event = Fixture.event(targets: [EventTarget(resourceId: "vehicle-9", schedule: Fixture.schedule(Cap(10, .amps))),
                                            EventTarget(locationId: "loc-3")])
        let plan = try plan(Fixture.ocppTarget(), event)
        #expect(plan.deliveries.isEmpty)
        #expect(plan.skipped == [SkippedTarget(resourceId: "vehicle-9", reason: "no target configured"),
                                 SkippedTarget(locationId: "loc-3", reason: "no target configured")])
        #expect(plan.json(event: .null).compactText == #"{"event":null,"deliveries":[],"skipped":[{"resourceId":"vehicle-9","reason":"no target configured"},{"locationId":"loc-3","reason":"no target configured"}]}"#)
        var price = Fixture.event(payloadType: "PriceCurve", targets: [EventTarget(resourceId: "vehicle-1")])
        price.isMappable = false
        #expect(try self.plan(Fixture.ocppTarget(), price).skipped == [SkippedTarget(resourceId: "vehicle-1", reason: "payload type PriceCurve is not mapped")])
    }

    @Test func oddSchedulesAreSkippedWithAReason() throws {
        func reason(_ schedule: CapSchedule?) throws -> String? {
            try plan(Fixture.ocppTarget(), Fixture.event(targets: [EventTarget(resourceId: "vehicle-1", schedule: schedule)])).skipped.first?.reason
        }
        #expect(try reason(nil) == "no cap schedule for Create")
        #expect(try reason(CapSchedule(start: .now, duration: 60, periods: [])) == "the cap schedule has no periods")
        #expect(try reason(CapSchedule(start: .now, duration: 0, periods: [.init(offset: 0, cap: Cap(1, .amps))])) == "window duration 0 s is outside 1…2147483647")
        #expect(try reason(CapSchedule(start: .now, duration: 60, periods: [.init(offset: 60, cap: Cap(1, .amps))])) == "no period starts inside the window")
        #expect(try reason(Fixture.schedule(Cap(-1, .amps))) == "negative or invalid cap -1 A")
    }
}
