import Essentials
import Foundation
import Testing
@testable import SmartCharging

/// Wire names and number formatting of the message models.
@Suite struct MessageModelTests {
    @Test(arguments: [("16", "16.0"), ("16.1", "16.1"), ("0.3", "0.3"), ("7.25", "7.2"), ("0.0000001", "0.0"),
                      ("11000", "11000.0"), ("-4", "0.0"), ("21.49999", "21.4")])
    func limitsHaveExactlyOneFractionDigit(input: String, expected: String) {
        #expect(OCPPLimitText.text(Decimal(string: input) ?? 0) == expected)
    }

    @Test func ocpp16HelperMessages() {
        #expect(OCPP16GetCompositeSchedule(connectorId: 0, duration: 3600, rateUnit: .watts).json.compactText
                == #"{"connectorId":0,"duration":3600,"chargingRateUnit":"W"}"#)
        #expect(OCPP16ClearChargingProfile(id: 7, connectorId: 0, purpose: .chargerMaximum, stackLevel: 3).json.compactText
                == #"{"id":7,"connectorId":0,"chargingProfilePurpose":"ChargePointMaxProfile","stackLevel":3}"#)
        let schedule = OCPPChargingSchedule(startSchedule: Date(timeIntervalSince1970: 0), duration: nil, rateUnit: .amps,
                                            periods: [.init(startPeriod: 0, limit: Decimal(string: "0.3") ?? 0)],
                                            minChargingRate: 6)
        #expect(OCPP16SetChargingProfile(connectorId: 1, chargingProfileId: 9, stackLevel: 2, purpose: .transactionDefault,
                                         schedule: schedule).json.compactText
                == #"{"connectorId":1,"csChargingProfiles":{"chargingProfileId":9,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"1970-01-01T00:00:00Z","chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":0.3}],"minChargingRate":6.0}}}"#)
    }

    @Test func oscpAndGreenFluxWireNames() {
        let block = ForecastedBlock(capacity: Decimal(string: "123.456") ?? 0, phase: .three, unit: .watts,
                                    startTime: Date(timeIntervalSince1970: 0), endTime: Date(timeIntervalSince1970: 900))
        #expect(GroupCapacityForecast(kind: .update, groupId: "g", type: .fallbackConsumption, blocks: [block]).json.compactText
                == #"{"group_id":"g","type":"FALLBACK_CONSUMPTION","forecasted_blocks":[{"capacity":123.456,"phase":"THREE","unit":"W","start_time":"1970-01-01T00:00:00Z","end_time":"1970-01-01T00:15:00Z"}]}"#)
        #expect(GroupCapacityForecast.Kind.adjust.path == "/adjust_group_capacity_forecast")
        #expect(GreenFluxCapacityScenario.body([GreenFluxCapacityScenario(capacity: 10, start: Date(timeIntervalSince1970: 0),
                                                                          end: Date(timeIntervalSince1970: 60))]).compactText
                == #"[{"capacity":10,"start_date_time":"1970-01-01T00:00:00Z","end_date_time":"1970-01-01T00:01:00Z"}]"#)
    }

    @Test func requestIdsAreStableUUIDShapes() {
        let a = StableHash.uuid(from: "key-1")
        #expect(a == StableHash.uuid(from: "key-1"))
        #expect(a != StableHash.uuid(from: "key-2"))
        #expect(a.count == 36 && Array(a)[14] == "8")
    }

    @Test func profileIdsStayInRange() throws {
        let planner = Planner(registry: try TargetRegistry([]),
                              options: PlannerOptions(profileIdBase: Int(Int32.max) - 5, profileIdRange: 1000))
        for i in 0..<200 {
            let id = planner.chargingProfileId(eventId: "e\(i)", targetKey: "resource:x")
            #expect(id >= Int(Int32.max) - 5 && id <= Int(Int32.max))
        }
    }
}
